/**
 * Public types of the emulator (`sentry-rbac/testing`). Everything here is plain data so a test can
 * build a fixture or a fault script as a literal.
 */
import type { RequestHandler } from "msw";

/** Org roles Sentry knows (`billing` exists on sentry.io only). */
export type OrgRole = "member" | "admin" | "manager" | "owner" | "billing";
/** Team roles (`null` = the minimum implied by the org role). */
export type TeamRole = "contributor" | "admin";
/** The three bearer-token kinds the emulator issues: `sntryu_`, `sntrys_`, `sntryi_`. */
export type TokenKind = "user" | "org" | "integration";
/** Names of the built-in fixtures. */
export type FixtureName = "demo" | "empty";

/** Member flags as Sentry serialises them. */
export interface MemberFlags {
  "idp:provisioned": boolean;
  "idp:role-restricted": boolean;
  "sso:linked": boolean;
  "sso:invalid": boolean;
  "member-limit:restricted": boolean;
  "partnership:restricted": boolean;
}

/** A member in a fixture; dates are days before `now`. */
export interface FixtureMember {
  email: string;
  name?: string;
  orgRole: OrgRole;
  /** A pending invite (no user account yet). */
  pending?: boolean;
  /** Days since the member joined or was invited (default 200). */
  daysAgo?: number;
  flags?: Partial<MemberFlags>;
  has2fa?: boolean;
  teams?: Array<{ team: string; role?: TeamRole | null }>;
  /** A pending invite's inviter: the email of a member with an account (default: none recorded). */
  invitedBy?: string;
}

/** A token in a fixture, owned by a member email (user tokens) or by the org. */
export interface FixtureToken {
  kind: TokenKind;
  name: string;
  scopes: string[];
  /** Owner of a user token (default: the first owner). */
  userEmail?: string;
  daysAgo?: number;
  /** Days until expiry; negative = already expired; absent = never expires. */
  expiresInDays?: number;
  lastUsedDaysAgo?: number;
}

/** A whole organization described as data; `createEmulator({ fixture })` builds its state from it. */
export interface Fixture {
  /**
   * `openMembership` is Sentry's `allow_joinleave` flag (default on, as new Sentry orgs have it): members may
   * join teams and see every team. `memberInvites` is the inverse of `disable_member_invite` (default on).
   */
  org: { slug: string; name?: string; openMembership?: boolean; memberInvites?: boolean };
  /** SSO provider; `scimEnabled` also creates the SCIM internal integration and its token. */
  authProvider?: { provider: string; scimEnabled: boolean; requireLink?: boolean; defaultRole?: OrgRole } | null;
  teams?: Array<{ slug: string; name?: string; idpProvisioned?: boolean; daysAgo?: number }>;
  projects?: Array<{ slug: string; name?: string; platform?: string | null; teams?: string[]; daysAgo?: number }>;
  members?: FixtureMember[];
  tokens?: FixtureToken[];
  /** Number of historical audit entries generated (lazily, from the seed) over the last 120 days. */
  auditRows?: number;
}

/** A fault the emulator can inject into one answer. */
export type FaultKind = 500 | 502 | 503 | "drop" | "malformed-json" | { latencyMs: number };

/** Which requests a fault rule applies to; every given field must match. */
export interface FaultMatcher {
  method?: string;
  /** A string matches when the URL path ends with it (`"/teams/"`); a RegExp is tested on the path. */
  path?: string | RegExp;
  /** An operationId from the generated operation table, e.g. `"createOrganizationTeam"`. */
  operation?: string;
}

/** `"before"`: the request is not applied; `"commit"`: the mutation happens, then the answer fails. */
export type FaultTiming = "before" | "commit";

/** Fault injection: random (seeded) rules and/or a deterministic script. */
export interface FaultSpec {
  rules?: Array<FaultMatcher & { probability: number; fault: FaultKind; after?: FaultTiming }>;
  /** `{ method: "POST", path: "/teams/", nth: 3, fault: 503, after: "commit" }`: the 3rd matching request fails. */
  script?: Array<FaultMatcher & { nth: number; fault: FaultKind; after?: FaultTiming }>;
}

/** Per-endpoint fixed window (`limit` requests per `windowMs`). */
export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

/** Sentry-style rate limiting; `false` disables it (as self-hosted Sentry does: no headers). */
export interface RateLimitOptions {
  limit?: number;
  windowMs?: number;
  concurrent?: number;
  /** Keyed by operationId or `"METHOD /api/0/path/{template}/"`. */
  perEndpoint?: Record<string, RateLimitWindow>;
  /** Daily invitation caps per inviting user, per org and per invited email; `false` turns them off. */
  invites?: { perUser?: number; perOrg?: number; perEmail?: number; windowMs?: number } | false;
}

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  fixture?: FixtureName | Fixture;
  rateLimit?: RateLimitOptions | false;
  faults?: FaultSpec;
  /** Seeds fault dice, generated audit history and token values (default 1). */
  seed?: number;
  /** Origin the msw handlers answer on (default `https://sentry.test`, an origin the SDK client accepts). */
  baseUrl?: string;
  now?: () => number;
  /** Used for latency faults (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Overrides the fixture's number of generated audit rows. */
  auditRows?: number;
}

export interface IssueTokenOptions {
  scopes: string[];
  name?: string;
  kind?: TokenKind;
  /** Acting member of a user token (default: the org's first owner). */
  userEmail?: string;
  /** Absolute expiry (epoch ms). */
  expiresAt?: number;
}

export interface ListenOptions {
  port?: number;
  host?: string;
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
}

/** Snapshot shapes (read-only copies; never token values). */
export interface OrgSnapshot {
  id: string;
  slug: string;
  name: string;
  openMembership: boolean;
  memberInvites: boolean;
  authProvider: { provider: string; scimEnabled: boolean; requireLink: boolean; defaultRole: string } | null;
}
export interface TeamSnapshot {
  id: string;
  org: string;
  slug: string;
  name: string;
  idpProvisioned: boolean;
  dateCreated: string;
}
export interface MemberSnapshot {
  id: string;
  org: string;
  email: string;
  name: string;
  userId: string | null;
  orgRole: OrgRole;
  pending: boolean;
  expired: boolean;
  flags: MemberFlags;
  dateCreated: string;
  teams: Array<{ team: string; role: TeamRole | null }>;
}
export interface ProjectSnapshot {
  id: string;
  org: string;
  slug: string;
  name: string;
  platform: string | null;
  teams: string[];
}
export interface TokenSnapshot {
  id: string;
  kind: TokenKind;
  name: string;
  scopes: string[];
  org: string | null;
  userId: string | null;
  tokenLastCharacters: string;
  dateCreated: string;
  expiresAt: string | null;
  dateLastUsed: string | null;
  active: boolean;
}
export interface AuditSnapshot {
  id: string;
  org: string;
  event: string;
  actorUserId: string | null;
  actorLabel: string;
  ipAddress: string | null;
  targetObject: number | null;
  targetUserId: string | null;
  data: Record<string, unknown>;
  dateCreated: string;
}
export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  operationId: string | null;
  fault: string | null;
}

/** What `emu.state` returns: a deep-frozen copy taken at the moment of reading. */
export interface EmulatorState {
  readonly orgs: readonly OrgSnapshot[];
  readonly teams: readonly TeamSnapshot[];
  readonly members: readonly MemberSnapshot[];
  readonly projects: readonly ProjectSnapshot[];
  /** Every token, without its value (only `tokenLastCharacters`). */
  readonly tokens: readonly TokenSnapshot[];
  /** Oldest first; includes the fixture's generated history. */
  readonly auditLog: readonly AuditSnapshot[];
  /** Every request answered since creation or `reset()` (no headers, so no tokens). */
  readonly requests: readonly RequestLogEntry[];
}

/** The object {@link createEmulator} returns. */
export interface Emulator {
  /** msw handlers answering on `baseUrl` for the whole `/api/0/*` tree (use with `setupServer`). */
  readonly handlers: RequestHandler[];
  /** Calls the emulator in-process (no msw, no socket); paths starting with "/" resolve against `baseUrl`. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Starts a real node:http server (loopback, random port by default); Link headers then use its URL. */
  listen(options?: ListenOptions): Promise<RunningEmulator>;
  /** Mints a token of the default org and returns its value (the only time it is visible). */
  issueToken(options: IssueTokenOptions): string;
  readonly state: EmulatorState;
  /**
   * Live audit mode: keeps appending audit rows on the emulator clock (visible from the next request), with equal
   * timestamps and late commits on demand. Replaces an earlier live stream; `reset()` stops it.
   */
  liveAudit(options?: LiveAuditOptions): LiveAudit;
  /** Rebuilds the fixture's state; the admin and SCIM tokens stay valid, issued tokens do not. */
  reset(): void;
  /** Slug of the default organization. */
  readonly org: string;
  /** Bearer token of the org's SCIM internal integration, when SCIM is enabled. */
  readonly scimToken: string | undefined;
  /** A user token of the first owner carrying every scope (effective scopes are the owner role's). */
  readonly adminToken: string;
  readonly baseUrl: string;
}

/** Options of `emulator.liveAudit()`. */
export interface LiveAuditOptions {
  /** Rows per second of the emulator clock (default 50). */
  ratePerSecond?: number;
  /** Stop after this many rows (default: never). */
  maxRows?: number;
  /** Rows come in groups of this size sharing one timestamp (default 1). */
  sameTimestamp?: number;
  /** Share of rows committed late (0..1, default 0). */
  lateFraction?: number;
  /** A late row is dated up to this much before it becomes visible (default 30 s). */
  lateByMs?: number;
  /** Seeds the event mix and the late rows (default 1). */
  seed?: number;
}

/** The handle of a live audit stream. */
export interface LiveAudit {
  /** Rows appended so far (by the clock, plus burst and late-commit rows). */
  readonly written: number;
  /** Appends every row due by the emulator clock now; returns how many were added. */
  catchUp(): number;
  /** Appends `count` rows sharing the current timestamp, now; returns their ids. */
  burst(count: number, event?: string): string[];
  /** Appends one row dated `ageMs` before now that becomes visible now (a late commit); returns its id. */
  lateCommit(ageMs: number, event?: string): string;
  /** Stops appending by the clock (burst and lateCommit still work). */
  stop(): void;
}
