/**
 * Type-level tests for sentry.org.teams / members / projects, checked by `tsc --noEmit`. Each @ts-expect-error must
 * stay an error (wrong field names, wrong enum values, wrong result fields). Nothing here runs.
 */
import type { SentryClient } from "../../src/client.js";
import type { Paginator } from "../../src/http/pages/paginate.js";
import type {
  AddToTeamResult,
  EnsureTeamResult,
  InvitedMember,
  Member,
  MemberDetails,
  OrganizationTeam,
  Project,
  ProjectTeam,
  ProjectWithTeams,
  RemoveResult,
  Team,
  TeamMembership,
  TeamRoleChange,
} from "../../src/resources/index.js";

export async function resourceTypes(sentry: SentryClient): Promise<void> {
  const { teams, members, projects } = sentry.org;

  // Correct calls compile and carry the generated types.
  const list: Paginator<OrganizationTeam> = teams.list({ query: "slug:payments", detailed: false, perPage: 50 });
  const team: Team = await teams.get("payments");
  const teamSlug: string = team.slug;
  const ensured: EnsureTeamResult = await teams.ensure({ slug: "contractors-q1", name: "Q1 Contractors" });
  const created: boolean = ensured.created;
  await teams.update("payments", { name: "Payments" });
  const invited: InvitedMember = await members.invite({
    email: "ana@acme.com",
    orgRole: "billing",
    teamRoles: [
      { team: "payments", role: "admin" },
      { team: "mobile", role: null },
    ],
  });
  const asMember: Member = invited;
  const details: MemberDetails = await members.update(invited.id, { orgRole: "manager" });
  const teamRoles: Array<{ teamSlug: string; role: string | null }> = details.teamRoles;
  const joined: AddToTeamResult = await members.addToTeam("me", "payments", { teamRole: "contributor" });
  const joinStatus: "added" | "already-member" | "requested" = joined.status;
  const change: TeamRoleChange = await members.setTeamRole(1, "payments", "admin");
  const changed: "admin" | "contributor" | null = change.teamRole;
  const membership: TeamMembership = await members.getTeamRole("me", "payments");
  const readRole: "admin" | "contributor" | null = membership.teamRole;
  const active: boolean = membership.isActive;
  const left: RemoveResult<unknown> = await members.removeFromTeam(1, "payments", { ifPresent: true });
  const found: Member | undefined = await members.findByEmail("ana@acme.com");
  const ssoLinked: boolean | undefined = found?.flags["sso:linked"];
  const projectList: Paginator<Project> = projects.list({ query: "slug:payment-api" });
  const projectTeams: Paginator<ProjectTeam> = projects.teams("payment-api");
  const linked: ProjectWithTeams = await projects.addTeam("payment-api", "payments");
  const linkedTeams: string[] = linked.teams.map((t) => t.slug);
  void [list, teamSlug, created, asMember, teamRoles, joinStatus, changed, readRole, active, left, ssoLinked, projectList, projectTeams, linkedTeams];

  // @ts-expect-error wrong org role
  await members.invite({ email: "ana@acme.com", orgRole: "superuser" });
  // @ts-expect-error Sentry's field name (teamSlug) instead of the SDK's friendly `team`
  await members.invite({ email: "ana@acme.com", teamRoles: [{ teamSlug: "payments", role: "admin" }] });
  // @ts-expect-error wrong team role
  await members.invite({ email: "ana@acme.com", teamRoles: [{ team: "payments", role: "owner" }] });
  // @ts-expect-error the deprecated `role` field is not part of the SDK input
  await members.update(1, { role: "manager" });
  // @ts-expect-error wrong team role option
  await members.addToTeam(1, "payments", { teamRole: "member" });
  // @ts-expect-error wrong team role argument
  await members.setTeamRole(1, "payments", "owner");
  // @ts-expect-error `email` is required
  await members.invite({ orgRole: "member" });
  // @ts-expect-error `ifPresent` is a boolean
  await projects.removeTeam("payment-api", "payments", { ifPresent: "yes" });
  // @ts-expect-error teams.create needs a slug
  await teams.create({ name: "Payments" });
  // @ts-expect-error unknown patch field
  await teams.update("payments", { title: "Payments" });
  // @ts-expect-error list option misspelt
  teams.list({ per_page: 10 });
  // @ts-expect-error no such field on a team
  void team.slugName;
  // @ts-expect-error no such status
  const wrongStatus: AddToTeamResult["status"] = "joined";
  void wrongStatus;
  // @ts-expect-error a member id is a string or number
  await members.get({ id: 1 });
}
