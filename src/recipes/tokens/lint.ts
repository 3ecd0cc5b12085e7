/**
 * Token lint: the seed's token-hygiene guidance as findings, each with a fix. Sentry lists personal and org auth
 * tokens only to a browser session, so the records usually come from the caller (`tokens`); only without them are the
 * list endpoints tried, which raise SessionRequiredError with a hint naming the UI page.
 */
import type { SentryClient } from "../../client.js";
import { resolveNow, type NowOption } from "../shared/clock.js";
import { expandScopes } from "../../vocabulary/roles.js";
import type { TokenRecord } from "./types.js";
import { conventionalName, parseTokenName, TOKEN_ENVIRONMENTS } from "./naming.js";

/** What a finding is about. */
export type TokenFindingCode = "name-convention" | "scopes-too-broad" | "admin-scopes-widespread" | "rotation-due" | "expired";

/** One finding: which token, what is wrong, and how to fix it. */
export interface TokenFinding {
  code: TokenFindingCode;
  severity: "high" | "medium" | "low";
  tokenId: string;
  tokenName: string;
  message: string;
  fix: string;
}

/** Options of {@link lintTokens}. */
export interface LintTokensOptions {
  /** Token records as the token endpoints return them; when absent the list endpoints are tried. */
  tokens?: readonly TokenRecord[];
  /** The instant ages and expiry are measured at; default now. */
  now?: NowOption;
  /** Age after which a token is due for rotation; default 90 days (the seed's quarterly rotation). */
  maxAgeDays?: number;
  /** More tokens than this holding an `*:admin` scope is a finding; default 2 (the seed's "one or two Owners"). */
  maxAdminTokens?: number;
}

/** The outcome of {@link lintTokens}. */
export interface TokenLintReport {
  findings: TokenFinding[];
  summary: { tokens: number; findings: number; byCode: Record<TokenFindingCode, number>; clean: number };
}

/** A token purpose the seed gives a minimum scope set for. */
export type TokenPurpose = "ci" | "monitoring";

/** The seed's minimum scopes per purpose: CI `project:releases` + `org:read`; monitoring `event:read` + `project:read`. */
export const PURPOSE_SCOPES: Readonly<Record<TokenPurpose, readonly string[]>> = Object.freeze({
  ci: Object.freeze(["project:releases", "org:read"]),
  monitoring: Object.freeze(["event:read", "project:read"]),
});

const PURPOSE_WORDS: ReadonlyArray<[TokenPurpose, readonly string[]]> = [
  ["ci", ["ci", "cd", "deploy", "release", "releases"]],
  ["monitoring", ["grafana", "monitor", "monitoring", "dashboard", "dashboards", "read"]],
];
const DAY_MS = 86_400_000;

/**
 * The purpose a token name suggests: any dash-separated word ci/cd/deploy/release → CI; grafana/monitor/dashboard/
 * read → monitoring; CI wins when both appear.
 * @example inferTokenPurpose("ci-cd-pipeline-prod") // "ci"
 */
export function inferTokenPurpose(name: string): TokenPurpose | undefined {
  const words = new Set(name.toLowerCase().split(/[^a-z0-9]+/));
  return PURPOSE_WORDS.find(([, keys]) => keys.some((key) => words.has(key)))?.[0];
}

async function listTokens(sentry: SentryClient): Promise<TokenRecord[]> {
  // Both lists need a browser session; the SDK raises SessionRequiredError (with the UI page) before sending.
  const user = await sentry.apiTokens.list().toArray();
  const org = await sentry.org.authTokens.list().toArray();
  return [
    ...user.map((t) => ({ id: t.id, name: t.name ?? "", scopes: t.scopes, dateCreated: t.dateCreated, expiresAt: t.expiresAt, kind: "user" as const })),
    ...org.map((t) => ({ id: t.id, name: t.name, scopes: t.scopes, dateCreated: t.dateCreated, expiresAt: null, kind: "org" as const })),
  ];
}

function nameFinding(token: TokenRecord): TokenFinding | undefined {
  if (parseTokenName(token.name)) return undefined;
  return {
    code: "name-convention",
    severity: "low",
    tokenId: token.id,
    tokenName: token.name,
    message: `"${token.name}" does not follow {purpose}-{environment} (lowercase, dash-separated, ending in ${TOKEN_ENVIRONMENTS.join("|")})`,
    fix: `Rename it, e.g. to "${conventionalName(token.name)}" (sentry.apiTokens.rename / sentry.org.authTokens.rename).`,
  };
}

function scopeFinding(token: TokenRecord): TokenFinding | undefined {
  // Org auth tokens always carry exactly org:ci, which nobody can narrow.
  if (token.kind === "org" || token.scopes === undefined) return undefined;
  const purpose = inferTokenPurpose(token.name);
  if (purpose === undefined) return undefined;
  const needed = PURPOSE_SCOPES[purpose];
  const allowed = expandScopes(needed);
  const extra = token.scopes.filter((scope) => !allowed.has(scope));
  if (extra.length === 0) return undefined;
  const admin = extra.some((scope) => scope.endsWith(":admin"));
  return {
    code: "scopes-too-broad",
    severity: admin ? "high" : "medium",
    tokenId: token.id,
    tokenName: token.name,
    message: `a ${purpose === "ci" ? "CI" : "monitoring"} token needs only ${needed.join(" + ")}, but also holds ${extra.join(" ")}`,
    fix: `Rotate it with narrower scopes: rotateToken(sentry, { kind: "user", current: { id: "${token.id}" }, scopes: [${needed.map((s) => `"${s}"`).join(", ")}], mint, publish }).`,
  };
}

function ageFindings(token: TokenRecord, now: number, maxAgeDays: number): TokenFinding[] {
  const expires = token.expiresAt ? Date.parse(token.expiresAt) : Number.NaN;
  if (!Number.isNaN(expires) && expires <= now) {
    return [
      {
        code: "expired",
        severity: "low",
        tokenId: token.id,
        tokenName: token.name,
        message: `expired on ${new Date(expires).toISOString().slice(0, 10)}`,
        fix: `Delete it (sentry.${token.kind === "org" ? "org.authTokens" : "apiTokens"}.delete("${token.id}")) and replace it if still needed.`,
      },
    ];
  }
  const created = token.dateCreated ? Date.parse(token.dateCreated) : Number.NaN;
  if (Number.isNaN(created)) return [];
  const ageDays = Math.floor((now - created) / DAY_MS);
  if (ageDays <= maxAgeDays) return [];
  return [
    {
      code: "rotation-due",
      severity: "medium",
      tokenId: token.id,
      tokenName: token.name,
      message: `${ageDays} days old (rotation due after ${maxAgeDays})`,
      fix: `Rotate it: rotateToken(sentry, { kind: "${token.kind ?? "user"}", current: { id: "${token.id}" }, mint, publish }).`,
    },
  ];
}

function adminFindings(tokens: readonly TokenRecord[], maxAdminTokens: number): TokenFinding[] {
  const holders = tokens.filter((t) => (t.scopes ?? []).some((scope) => scope.endsWith(":admin")));
  if (holders.length <= maxAdminTokens) return [];
  return holders.map((token) => ({
    code: "admin-scopes-widespread" as const,
    severity: "high" as const,
    tokenId: token.id,
    tokenName: token.name,
    message: `one of ${holders.length} tokens holding *:admin scopes (at most ${maxAdminTokens} advised)`,
    fix: "Keep admin scopes on one or two owners' tokens; rotate the others to the scopes their job needs, or delete them.",
  }));
}

/**
 * Lints tokens against the seed's hygiene rules: names off `{purpose}-{environment}`, scopes broader than the
 * purpose the name suggests, `*:admin` scopes on more than two tokens, tokens older than `maxAgeDays`, expired tokens.
 * @example
 * const { findings } = await lintTokens(sentry, { tokens: exportedFromSettingsPage });
 * for (const f of findings) console.log(f.tokenName, f.message, "→", f.fix);
 * @throws {SessionRequiredError} when `tokens` is absent (Sentry lists tokens only to a browser session).
 */
export async function lintTokens(sentry: SentryClient, options: LintTokensOptions = {}): Promise<TokenLintReport> {
  const tokens = options.tokens ?? (await listTokens(sentry));
  const now = resolveNow(options.now).getTime();
  const maxAgeDays = options.maxAgeDays ?? 90;
  const findings: TokenFinding[] = [];
  for (const token of tokens) {
    const kinds = [nameFinding(token), scopeFinding(token), ...ageFindings(token, now, maxAgeDays)];
    findings.push(...kinds.filter((f): f is TokenFinding => f !== undefined));
  }
  findings.push(...adminFindings(tokens, options.maxAdminTokens ?? 2));
  const byCode: Record<TokenFindingCode, number> = { "name-convention": 0, "scopes-too-broad": 0, "admin-scopes-widespread": 0, "rotation-due": 0, expired: 0 };
  for (const finding of findings) byCode[finding.code] += 1;
  const flagged = new Set(findings.map((f) => f.tokenId));
  return { findings, summary: { tokens: tokens.length, findings: findings.length, byCode, clean: tokens.filter((t) => !flagged.has(t.id)).length } };
}
