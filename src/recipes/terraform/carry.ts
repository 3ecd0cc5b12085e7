/**
 * Carries the provider's resources over into an access document: `sentry_team` → a team's name,
 * `sentry_organization_member` → a member's org role, `sentry_team_member` → their team roles, `sentry_project`'s
 * `teams` (or the older `team`) → each team's projects. Only what Terraform managed is declared (additive policy);
 * the provider's pitfalls are reported per address. With the live organization, the file's whole sets (a member's
 * teams, a team's projects) keep what Sentry has outside Terraform, so `plan` proposes no removal of it.
 */
import { defaultPolicy } from "../access/dump.js";
import type { LiveState } from "../access/live.js";
import type { AccessConfig, DeclaredMember, DeclaredMembership, DeclaredTeam } from "../access/types.js";
import { compareText } from "./address.js";
import { refuse } from "./state.js";
import type { StateInstance, TerraformPitfall, TerraformPitfallCode } from "./types.js";

type OrgRole = DeclaredMember["role"];
type TeamRole = NonNullable<DeclaredMembership["role"]>;

const ORG_ROLES: readonly string[] = ["member", "admin", "manager", "owner", "billing"];
const TEAM_ROLES: readonly string[] = ["contributor", "admin"];
const isOrgRole = (value: unknown): value is OrgRole => typeof value === "string" && ORG_ROLES.includes(value);
const isTeamRole = (value: unknown): value is TeamRole => typeof value === "string" && TEAM_ROLES.includes(value);

/** What {@link carryOver} produced. */
export interface Carried {
  config: AccessConfig;
  pitfalls: TerraformPitfall[];
  notes: string[];
  /** Plan subjects (`payments`, `ana@acme.test`, `payments/ana@acme.test`, `payments/payment-api`) → state address. */
  subjects: Map<string, string>;
}

function text(attributes: Record<string, unknown>, key: string): string | undefined {
  const value = attributes[key];
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value !== "" ? value : undefined;
}

function required(item: StateInstance, key: string): string {
  const value = text(item.attributes, key);
  if (value === undefined) throw refuse(`${item.address}.${key}`, `missing in the state (a ${item.type} needs it)`);
  return value;
}

/** The member id of a `sentry_organization_member`: `internal_id`, else the last part of `id` (`org/123`). */
function memberIdOf(item: StateInstance): string | undefined {
  return text(item.attributes, "internal_id") ?? text(item.attributes, "id")?.split("/").pop();
}

/** Refuses two addresses for one object (the second is named; the first is in the message). */
class Unique {
  private readonly seen = new Map<string, string>();
  constructor(private readonly what: string) {}
  claim(key: string, item: StateInstance): void {
    const first = this.seen.get(key);
    if (first !== undefined) throw refuse(item.address, `the same ${this.what} as ${first} (${key}): two addresses for one object`);
    this.seen.set(key, item.address);
  }
}

interface StateMember {
  email: string;
  address: string;
  /** Why it was not carried over (its team memberships are not either), as the pitfall its memberships get. */
  dropped?: { code: TerraformPitfallCode; why: string };
}

type Report = (code: TerraformPitfallCode, address: string, message: string) => void;

/** One pass over the instances, resource type by resource type, filling the document and the report. */
class Carrier {
  readonly pitfalls: TerraformPitfall[] = [];
  readonly notes: string[] = [];
  readonly subjects = new Map<string, string>();
  readonly teams: Record<string, DeclaredTeam> = {};
  readonly members: Record<string, DeclaredMember> = {};
  /** Member id → the state's member (or Sentry's, for a membership of a member outside the state). */
  private readonly byId = new Map<string, StateMember>();
  /** Email → the teams Terraform managed their membership of. */
  readonly managedTeams = new Map<string, Set<string>>();
  readonly pitfall: Report = (code, address, message) => this.pitfalls.push({ code, address, message });

  constructor(private readonly live: LiveState | undefined) {}

  carryTeams(items: readonly StateInstance[]): void {
    const slugs = new Unique("team");
    for (const item of items) {
      const slug = text(item.attributes, "slug") ?? required(item, "id");
      slugs.claim(slug, item);
      const name = text(item.attributes, "name");
      this.teams[slug] = name === undefined ? {} : { name };
      this.subjects.set(slug, item.address);
    }
  }

  carryMembers(items: readonly StateInstance[]): void {
    const emails = new Unique("member (email)");
    const ids = new Unique("member (id)");
    for (const item of items) {
      const email = required(item, "email");
      emails.claim(email.toLowerCase(), item);
      const id = memberIdOf(item);
      if (id !== undefined) ids.claim(id, item);
      const member: StateMember = { email, address: item.address };
      if (id !== undefined) this.byId.set(id, member);
      this.subjects.set(email.toLowerCase(), item.address);
      const listed = item.attributes.teams;
      if (Array.isArray(listed) && listed.length > 0) {
        this.pitfall(
          "deprecated-teams",
          item.address,
          `the deprecated \`teams\` list (provider #343: ${listed.map(String).join(", ")}) is not carried over: team memberships come from sentry_team_member resources`,
        );
      }
      if (item.attributes.expired === true) {
        member.dropped = { code: "expired-invite", why: "its invite expired" };
        this.pitfall(
          "expired-invite",
          item.address,
          `the invite of ${email} expired (provider #755: Sentry removes expired invites): left out, so plan does not invite them again; declare them to re-invite`,
        );
        continue;
      }
      const role = item.attributes.role;
      if (isOrgRole(role)) {
        this.members[email] = { role };
        continue;
      }
      const empty = role === "" || role === null || role === undefined;
      const problem = empty ? "role empty in state (provider #364)" : `unknown role ${JSON.stringify(role)}`;
      const code = empty ? "empty-role" : "unsupported-value";
      const liveRole = this.live?.byEmail.get(email.toLowerCase())?.role;
      if (liveRole !== undefined) {
        this.members[email] = { role: liveRole };
        this.pitfall(code, item.address, `${problem}: carried over with the role Sentry has, ${liveRole}`);
      } else {
        member.dropped = { code, why: "its role could not be carried over" };
        this.pitfall(code, item.address, `${problem}: ${email} left out; declare them with a role (\`sentry-rbac dump\` shows the live one)`);
      }
    }
  }

  carryMemberships(items: readonly StateInstance[]): void {
    const memberships = new Unique("team membership");
    for (const item of items) {
      const team = required(item, "team");
      const memberId = required(item, "member_id");
      memberships.claim(`${team}/${memberId}`, item);
      const member = this.byId.get(memberId) ?? this.memberOutsideState(memberId, item);
      if (member === undefined) continue;
      if (member.dropped !== undefined) {
        this.pitfall(member.dropped.code, item.address, `not carried over: ${member.email} is left out (${member.dropped.why})`);
        continue;
      }
      const declared = this.members[member.email];
      if (!declared) continue;
      declared.teams ??= {};
      declared.teams[team] = membershipOf(item, this.pitfall);
      (this.managedTeams.get(member.email) ?? this.managedTeams.set(member.email, new Set()).get(member.email))?.add(team);
      this.subjects.set(`${team}/${member.email.toLowerCase()}`, item.address);
    }
  }

  /** A membership's member that the state does not hold: found in Sentry by id and declared with its live role. */
  private memberOutsideState(memberId: string, item: StateInstance): StateMember | undefined {
    const found = this.live?.members.find((m) => m.id === memberId);
    if (found === undefined) {
      this.pitfall(
        "unknown-member",
        item.address,
        this.live
          ? `member ${memberId} is neither in this state nor in Sentry: not carried over`
          : `member ${memberId} is not a sentry_organization_member of this state: not carried over (import with a token to resolve it)`,
      );
      return undefined;
    }
    const member: StateMember = { email: found.email, address: item.address };
    this.byId.set(memberId, member);
    if (found.pending && found.expired) member.dropped = { code: "expired-invite", why: "its invite expired" };
    else {
      this.members[found.email] = { role: found.role };
      this.subjects.set(found.email.toLowerCase(), item.address);
      this.pitfall(
        "unknown-member",
        item.address,
        `member ${memberId} (${found.email}) is not in this state: declared with the role Sentry has (${found.role}) so the membership can be`,
      );
    }
    return member;
  }
}

/**
 * Builds the access document of `organization` from the provider's instances (already limited to it).
 * @example const { config, pitfalls } = carryOver("acme", instances, live);
 * @throws {ValidationError} for a missing key attribute or two addresses for one object.
 */
export function carryOver(organization: string, instances: readonly StateInstance[], live: LiveState | undefined): Carried {
  const of = (type: string) => instances.filter((i) => i.type === type);
  const carrier = new Carrier(live);
  carrier.carryTeams(of("sentry_team"));
  carrier.carryMembers(of("sentry_organization_member"));
  carrier.carryMemberships(of("sentry_team_member"));
  const { teams, members, notes, pitfalls, subjects } = carrier;
  carryProjects(of("sentry_project"), teams, subjects, live, notes);
  if (live) keepLiveMemberships(members, carrier.managedTeams, live, notes);
  else if (carrier.managedTeams.size > 0)
    notes.push(
      "not compared with Sentry: a member's teams are their whole set, so plan removes memberships outside this state; import with a token to keep them",
    );
  pitfalls.sort((a, b) => compareText(a.address, b.address));
  return { config: sorted(organization, teams, members), pitfalls, notes, subjects };
}

/** A team membership's role: `role`, or for an empty one (#364) the `effective_role` Sentry applied. */
function membershipOf(item: StateInstance, pitfall: Report): DeclaredMembership {
  const role = item.attributes.role;
  const effective = item.attributes.effective_role;
  if (role === "") {
    pitfall(
      "empty-role",
      item.address,
      `role empty in state (provider #364: Sentry stores none when the org role already grants it): carried over as ${isTeamRole(effective) ? `its effective_role, ${effective}` : "the minimum the org role gives"}`,
    );
    return isTeamRole(effective) ? { role: effective } : {};
  }
  if (role === null || role === undefined) return {};
  if (!isTeamRole(role)) {
    pitfall("unsupported-value", item.address, `unknown team role ${JSON.stringify(role)}: carried over as the minimum the org role gives`);
    return {};
  }
  if (effective === "admin" && role === "contributor") {
    pitfall(
      "effective-role",
      item.address,
      "effective_role admin is above role contributor: the org role makes them admin of every team they are on; the file keeps contributor, which Sentry applies as admin",
    );
  }
  return { role };
}

/** Each team's `projects`: the state's projects linked to it, plus (with the live state) its links to others. */
function carryProjects(
  projects: readonly StateInstance[],
  teams: Record<string, DeclaredTeam>,
  subjects: Map<string, string>,
  live: LiveState | undefined,
  notes: string[],
): void {
  if (projects.length === 0) return;
  const slugs = new Unique("project");
  const inState = new Set<string>();
  const linked = new Map<string, Set<string>>();
  for (const item of projects) {
    const slug = text(item.attributes, "slug") ?? required(item, "id");
    slugs.claim(slug, item);
    inState.add(slug);
    const listed = Array.isArray(item.attributes.teams) ? item.attributes.teams.filter((t): t is string => typeof t === "string" && t !== "") : [];
    const single = text(item.attributes, "team");
    for (const team of single !== undefined && listed.length === 0 ? [single] : listed) {
      (linked.get(team) ?? linked.set(team, new Set()).get(team))?.add(slug);
      subjects.set(`${team}/${slug}`, item.address);
      if (!subjects.has(team)) subjects.set(team, item.address);
    }
  }
  // A team's project list is its whole set: a team linked (in the state or in Sentry) to a project of the state
  // gets one, holding the state's links and, from Sentry, its links to projects Terraform did not manage.
  const involved = new Set(linked.keys());
  for (const team of live?.teams.values() ?? []) if (team.projects.some((p) => inState.has(p))) involved.add(team.slug);
  let kept = 0;
  for (const slug of involved) {
    const fromState = [...(linked.get(slug) ?? [])];
    const others = (live?.teams.get(slug)?.projects ?? []).filter((p) => !inState.has(p));
    kept += others.length;
    const team = (teams[slug] ??= {});
    team.projects = [...new Set([...fromState, ...others])].sort(compareText);
  }
  if (kept > 0) notes.push(`${kept} project link(s) Terraform did not manage are declared as Sentry has them, so plan keeps them`);
  if (!live)
    notes.push(
      "not compared with Sentry: a team's projects list is its whole set, so plan removes links to projects outside this state; import with a token to keep them",
    );
}

/** A member's teams are a whole set: the memberships Terraform did not manage are declared as Sentry has them. */
function keepLiveMemberships(members: Record<string, DeclaredMember>, managed: Map<string, Set<string>>, live: LiveState, notes: string[]): void {
  let kept = 0;
  for (const [email, member] of Object.entries(members)) {
    if (member.teams === undefined) continue;
    const current = live.byEmail.get(email.toLowerCase());
    for (const [team, role] of current?.teams ?? []) {
      if (managed.get(email)?.has(team)) continue;
      member.teams[team] = { role };
      kept++;
    }
  }
  if (kept > 0) notes.push(`${kept} team membership(s) of imported members Terraform did not manage are declared as Sentry has them, so plan keeps them`);
}

function sorted(organization: string, teams: Record<string, DeclaredTeam>, members: Record<string, DeclaredMember>): AccessConfig {
  const byKey = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b)));
  for (const member of Object.values(members)) if (member.teams) member.teams = byKey(member.teams);
  return { version: 1, organization, policy: defaultPolicy(), teams: byKey(teams), members: byKey(members) };
}
