/**
 * Sentry's project shapes: the base `ProjectSerializer`, the summary used by list endpoints and the
 * variant with teams that project-team link endpoints return. Feature flags are all off: the
 * emulator models access control, not event data.
 */
import type { Member, Org, Project } from "./model.js";
import { iso } from "./model.js";
import { ORG_ROLES } from "./roles.js";

const HAS_FLAGS = [
  "hasFeedbacks",
  "hasFlags",
  "hasMinifiedStackTrace",
  "hasMonitors",
  "hasNewFeedbacks",
  "hasProfiles",
  "hasReplays",
  "hasSessions",
  "hasInsightsHttp",
  "hasInsightsDb",
  "hasInsightsAssets",
  "hasInsightsAppStart",
  "hasInsightsScreenLoad",
  "hasInsightsVitals",
  "hasInsightsCaches",
  "hasInsightsQueues",
  "hasInsightsAgentMonitoring",
  "hasInsightsMCP",
  "hasLogs",
  "hasTraceMetrics",
] as const;

const PROJECT_ACCESS_MEMBER = ["project:read", "project:releases", "event:read", "event:write", "alerts:read"];
const PROJECT_ACCESS_ADMIN = [...PROJECT_ACCESS_MEMBER, "project:write", "project:admin", "event:admin", "alerts:write"];

function teamRefs(org: Org, project: Project): Array<{ id: string; name: string; slug: string }> {
  return project.teamIds
    .map((id) => org.teams.get(id))
    .filter((t) => t !== undefined)
    .map((t) => ({ id: String(t.id), name: t.name, slug: t.slug }));
}

export function serializeProjectBase(project: Project, member: Member | undefined): Record<string, unknown> {
  const isMember = member !== undefined && project.teamIds.some((id) => member.teams.has(id));
  const global = member === undefined || ORG_ROLES[member.orgRole].isGlobal;
  const body: Record<string, unknown> = {
    id: String(project.id),
    slug: project.slug,
    name: project.name,
    platform: project.platform,
    dateCreated: iso(project.dateCreated),
    isBookmarked: false,
    isMember,
    features: [],
    firstEvent: null,
    firstTransactionEvent: false,
    access: global ? [...PROJECT_ACCESS_ADMIN] : [...PROJECT_ACCESS_MEMBER],
    hasAccess: true,
  };
  for (const flag of HAS_FLAGS) body[flag] = false;
  return body;
}

/** `ProjectSerializer` as embedded in a team list (no team fields). */
export function serializeProjectWithStatus(project: Project, member: Member | undefined): Record<string, unknown> {
  return {
    ...serializeProjectBase(project, member),
    isInternal: false,
    isPublic: false,
    avatar: { avatarType: "letter_avatar", avatarUuid: null },
    color: "#3f70bf",
    status: "active",
  };
}

/** `ProjectWithTeamSerializer`: answers of the project-team link endpoints. */
export function serializeProjectWithTeams(org: Org, project: Project, member: Member | undefined): Record<string, unknown> {
  const teams = teamRefs(org, project);
  const body: Record<string, unknown> = { ...serializeProjectWithStatus(project, member), teams };
  if (teams[0]) body.team = teams[0];
  return body;
}

/** `ProjectSummarySerializer`: organization and team project lists. */
export function serializeProjectSummary(org: Org, project: Project, member: Member | undefined): Record<string, unknown> {
  const teams = teamRefs(org, project);
  return {
    ...serializeProjectBase(project, member),
    latestDeploys: null,
    options: {},
    team: teams[0] ?? null,
    teams,
    platforms: project.platform ? [project.platform] : [],
    hasUserReports: false,
    environments: ["production"],
    latestRelease: null,
  };
}
