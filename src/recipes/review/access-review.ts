// accessReview: the periodic access review an auditor asks for, as data. Every list is streamed page by page;
// what stays in memory is the findings and one set of member ids (who is on some team), never whole pages.
import type { SentryClient } from "../../client.js";
import { ValidationError } from "../../http/errors/errors.js";
import { typedApi } from "../../http/send/typed-api.js";
import { orgRoleDefinition, isOrgRole } from "../../vocabulary/roles.js";
import { type NowOption, resolveNow } from "../shared/clock.js";

/** What kind of risky state a finding describes. */
export type AccessFindingKind =
  | "too-many-privileged"
  | "sso-not-linked"
  | "sso-link-invalid"
  | "stale-invite"
  | "expired-invite"
  | "team-without-projects"
  | "project-without-team"
  | "member-without-team";

/** One risky state, whom it concerns, and how to fix it. */
export interface AccessFinding {
  kind: AccessFindingKind;
  severity: "high" | "medium" | "low";
  /** The member email, team slug or project slug concerned (the org slug for org-wide findings). */
  subject: string;
  detail: string;
  fix: string;
}

/** Options of {@link accessReview}. */
export interface AccessReviewOptions {
  now?: NowOption;
  /** Treat SSO as required even when the auth provider does not say `require_link`. */
  requireSso?: boolean;
  /** Invites older than this many days are flagged (default 14). */
  pendingInviteDays?: number;
  /** More active owners + managers than this is flagged (default 3: the seed's "one or two owners" plus a manager). */
  maxPrivileged?: number;
}

/** {@link accessReview}'s answer. */
export interface AccessReviewReport {
  findings: AccessFinding[];
  summary: {
    members: number;
    pendingInvites: number;
    owners: number;
    managers: number;
    teams: number;
    projects: number;
    ssoProvider: string | null;
    ssoRequired: boolean;
  };
  reviewedAt: string;
}

const DAY_MS = 86_400_000;
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

async function ssoSettings(sentry: SentryClient, requireSso: boolean): Promise<{ provider: string | null; required: boolean }> {
  const org = sentry.org.slug ?? "";
  const { data } = await typedApi(sentry.transport).GET("/api/0/organizations/{organization_id_or_slug}/auth-provider/", {
    params: { path: { organization_id_or_slug: org } },
  });
  // 204 (no provider) arrives as no data.
  const provider = data && typeof data === "object" && "provider_name" in data ? String(data.provider_name) : null;
  const requireLink = data && typeof data === "object" && "require_link" in data ? data.require_link === true : false;
  return { provider, required: requireSso || (provider !== null && requireLink) };
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw ValidationError.forInput(field, `must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * Reviews an organization for risky access states: too many owners/managers, members not SSO-linked where SSO
 * is required, invites pending too long or expired, teams without projects, projects without a team, and
 * members on no team. Read-only.
 * @example
 * const { findings } = await accessReview(sentry, { pendingInviteDays: 14 });
 * for (const f of findings) console.log(`[${f.severity}] ${f.kind} ${f.subject}: ${f.fix}`);
 * @throws {RangeError} for a negative or fractional `pendingInviteDays` / `maxPrivileged` (before any request).
 * @throws {PermissionError} when the token cannot read members, teams, projects or the auth provider.
 */
export async function accessReview(sentry: SentryClient, options: AccessReviewOptions = {}): Promise<AccessReviewReport> {
  const pendingInviteDays = positiveInteger("pendingInviteDays", options.pendingInviteDays, 14);
  const maxPrivileged = positiveInteger("maxPrivileged", options.maxPrivileged, 3);
  const now = resolveNow(options.now);
  const findings: AccessFinding[] = [];
  const sso = await ssoSettings(sentry, options.requireSso === true);

  let teamCount = 0;
  const onSomeTeam = new Set<string>();
  for await (const team of sentry.org.teams.list()) {
    teamCount += 1;
    if ((team.projects ?? []).length === 0) {
      findings.push({
        kind: "team-without-projects",
        severity: "low",
        subject: team.slug,
        detail: `team ${team.slug} holds no project, so membership grants nothing`,
        fix: `assign its projects (sentry.org.projects.addTeam(project, "${team.slug}")) or delete the team`,
      });
    }
    for await (const member of sentry.org.teams.members(team.slug)) onSomeTeam.add(member.id);
  }

  let projectCount = 0;
  for await (const project of sentry.org.projects.list()) {
    projectCount += 1;
    if (project.teams.length === 0) {
      findings.push({
        kind: "project-without-team",
        severity: "medium",
        subject: project.slug,
        detail: `project ${project.slug} has no team: only owners and managers can see it, and nobody owns its alerts`,
        fix: `give it an owning team (sentry.org.projects.addTeam("${project.slug}", team)) or remove the project`,
      });
    }
  }

  let members = 0;
  let pendingInvites = 0;
  let owners = 0;
  let managers = 0;
  for await (const member of sentry.org.members.list()) {
    if (member.pending) {
      pendingInvites += 1;
      const ageDays = Math.floor((now.getTime() - Date.parse(member.dateCreated)) / DAY_MS);
      if (member.expired) {
        findings.push({
          kind: "expired-invite",
          severity: "low",
          subject: member.email,
          detail: `invite (${member.orgRole}) sent ${ageDays} days ago has expired`,
          fix: `remove it (sentry.org.members.remove(${member.id})) or resend it with a new link`,
        });
      } else if (ageDays > pendingInviteDays) {
        findings.push({
          kind: "stale-invite",
          severity: member.orgRole === "owner" || member.orgRole === "manager" ? "medium" : "low",
          subject: member.email,
          detail: `invite (${member.orgRole}) pending for ${ageDays} days (threshold ${pendingInviteDays})`,
          fix: `confirm it is still wanted, else remove it (sentry.org.members.remove(${member.id}))`,
        });
      }
      continue;
    }
    members += 1;
    if (member.orgRole === "owner") owners += 1;
    if (member.orgRole === "manager") managers += 1;
    if (sso.required && member.flags["sso:invalid"] === true) {
      findings.push({
        kind: "sso-link-invalid",
        severity: "high",
        subject: member.email,
        detail: `SSO is required but ${member.email}'s SSO identity link is no longer valid`,
        fix: "ask them to re-link through the identity provider, or remove them if they left",
      });
    } else if (sso.required && member.flags["sso:linked"] !== true) {
      findings.push({
        kind: "sso-not-linked",
        severity: "high",
        subject: member.email,
        detail: `SSO is required but ${member.email} has not linked an SSO identity`,
        fix: `resend the SSO link email (a reinvite of member ${member.id}) or remove the member`,
      });
    }
    const global = isOrgRole(member.orgRole) && orgRoleDefinition(member.orgRole).isGlobal;
    // Billing members cannot hold teams, and global roles see every project without one.
    if (!global && member.orgRole !== "billing" && !onSomeTeam.has(member.id)) {
      findings.push({
        kind: "member-without-team",
        severity: "low",
        subject: member.email,
        detail: `${member.email} (${member.orgRole}) is on no team and so sees no project`,
        fix: `add them to the team they work with (sentry.org.members.addToTeam(${member.id}, team)) or remove them`,
      });
    }
  }
  if (owners + managers > maxPrivileged) {
    findings.push({
      kind: "too-many-privileged",
      severity: "medium",
      subject: sentry.org.slug ?? "",
      detail: `${owners} owners and ${managers} managers hold org-wide access (more than ${maxPrivileged})`,
      fix: 'lower the roles of those who do not administer the organization (sentry.org.members.update(id, { orgRole: "member" }))',
    });
  }

  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject));
  return {
    findings,
    summary: { members, pendingInvites, owners, managers, teams: teamCount, projects: projectCount, ssoProvider: sso.provider, ssoRequired: sso.required },
    reviewedAt: now.toISOString(),
  };
}
