/**
 * Sentry's APITestCase world on the emulator: an organization `baz` owned by `admin@localhost` (Sentry's
 * `self.user`), built from a fixture literal, and `loginAs`, a session-like token (every scope, bounded by the
 * member's role as Sentry's session access is).
 */
import { createEmulator, type Emulator, type Fixture, type FixtureMember } from "../../../src/testing/index.js";
import { ALL_SCOPES } from "../../../src/testing/roles.js";
import { call, NOW } from "../helpers.js";

export { asArray, asObject, call, NOW } from "../helpers.js";

export const OWNER = "admin@localhost";
export const ORG = "/api/0/organizations/baz";

export interface OrgSetup {
  /** Sentry's `allow_joinleave` (the test factories' default flags turn it on). */
  openMembership?: boolean;
  /** The inverse of `disable_member_invite`. */
  memberInvites?: boolean;
  members?: FixtureMember[];
  teams?: Fixture["teams"];
  projects?: Fixture["projects"];
  authProvider?: Fixture["authProvider"];
}

export function sentryOrg(setup: OrgSetup = {}): Emulator {
  return createEmulator({
    fixture: {
      org: { slug: "baz", openMembership: setup.openMembership ?? true, memberInvites: setup.memberInvites ?? true },
      authProvider: setup.authProvider ?? null,
      teams: setup.teams ?? [],
      projects: setup.projects ?? [],
      members: [{ email: OWNER, orgRole: "owner" }, ...(setup.members ?? [])],
    },
    rateLimit: false,
    now: () => NOW,
  });
}

/** `login_as(user)`: a token with every scope, which Sentry bounds by the member's role. */
export function loginAs(emu: Emulator, email: string): string {
  return emu.issueToken({ kind: "user", userEmail: email, scopes: [...ALL_SCOPES] });
}

/** A user token with exactly these scopes (`create_user_auth_token(scope_list=...)`). */
export function userToken(emu: Emulator, email: string, scopes: string[]): string {
  return emu.issueToken({ kind: "user", userEmail: email, scopes });
}

/** An internal integration's token (`create_internal_integration(scopes=...)`). */
export function integrationToken(emu: Emulator, scopes: string[]): string {
  return emu.issueToken({ kind: "integration", scopes });
}

export function memberId(emu: Emulator, email: string): string {
  const found = emu.state.members.find((m) => m.email === email);
  if (!found) throw new Error(`no member ${email}`);
  return found.id;
}

export function teamIdOf(emu: Emulator, slug: string): string {
  const found = emu.state.teams.find((t) => t.slug === slug);
  if (!found) throw new Error(`no team ${slug}`);
  return found.id;
}

export function teamsOf(emu: Emulator, email: string): Array<{ team: string; role: string | null }> {
  return emu.state.members.find((m) => m.email === email)?.teams.map((t) => ({ ...t })) ?? [];
}

/** A token of a user who is no member of the organization: its membership is removed after the token is issued. */
export async function outsiderToken(emu: Emulator, email: string): Promise<string> {
  const token = loginAs(emu, email);
  const removed = await call(emu, "DELETE", `${ORG}/members/${memberId(emu, email)}/`);
  if (removed.status !== 204) throw new Error(`could not remove ${email}: ${removed.status}`);
  return token;
}
