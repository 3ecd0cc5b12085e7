/**
 * The references of an access file checked against the organization: a team's projects, a member's teams and the
 * required owners must exist (in the file or in Sentry). A reference to nothing is a typo until proven otherwise,
 * and planning around it would remove the access it meant to keep, so it is an error of the file. Pure: no requests.
 */
import { globMatcher } from "./diff.js";
import type { LiveState } from "./live.js";
import { type AccessConfigIssue, referencePosition } from "./parse.js";
import { didYouMean } from "./suggest.js";
import { hasEnded } from "./time.js";
import type { AccessConfig } from "./types.js";

/**
 * Every reference of `config` to a project, team or member that exists neither in the file nor in `live`, with the
 * line and column it was written at (0 when the config was built in code) and a "did you mean". Entries whose
 * `until` has passed are not checked: they plan no access. A project cannot be created by the file, so `projects`
 * (the organization's project slugs) alone decides for projects; a team declared in the file counts as existing,
 * and with `teams: authoritative` a live team the file does not declare does not (the plan deletes it).
 * @example
 * const issues = referenceIssues(config, live, projects, new Date());
 * if (issues.length > 0) throw invalidAccessFile(issues, "the access file refers to what does not exist");
 */
export function referenceIssues(config: AccessConfig, live: LiveState, projects: ReadonlySet<string>, now: Date): AccessConfigIssue[] {
  const issues: AccessConfigIssue[] = [];
  const org = live.organization;
  const report = (container: object | undefined, key: string, path: string, message: string) => {
    const at = referencePosition(container, key);
    issues.push({ path, line: at?.line ?? 0, column: at?.column ?? 0, message });
  };
  for (const [slug, team] of Object.entries(config.teams)) {
    for (const [index, project] of (team.projects ?? []).entries()) {
      if (projects.has(project)) continue;
      report(team.projects, project, `teams.${slug}.projects[${index}]`, `there is no project "${project}" in ${org}${didYouMean(project, projects)}`);
    }
  }
  // In authoritative mode a live team the file does not declare (nor ignores, nor leaves to SCIM) is deleted by the
  // plan: a membership of it would vanish with it, and the next plan would find a reference to nothing.
  const ignored = globMatcher(config.policy.ignore.teams);
  const deleted = (slug: string) => config.policy.teams === "authoritative" && !(slug in config.teams) && !ignored(slug) && live.teams.get(slug)?.idp !== true;
  const teams = new Set([...live.teams.keys(), ...Object.keys(config.teams)]);
  for (const [email, member] of Object.entries(config.members)) {
    if (hasEnded(member.until, now)) continue;
    for (const [slug, membership] of Object.entries(member.teams ?? {})) {
      if (hasEnded(membership.until, now)) continue;
      const path = `members.${email}.teams.${slug}`;
      if (!teams.has(slug)) report(member.teams, slug, path, `there is no team "${slug}" in the file or in ${org}${didYouMean(slug, teams)}`);
      else if (deleted(slug))
        report(
          member.teams,
          slug,
          path,
          `team "${slug}" is not in the file, so the plan deletes it (teams: authoritative): declare it under teams, or take it out of this member's teams`,
        );
    }
  }
  const emails = new Set([...live.members.map((m) => m.email), ...Object.keys(config.members)]);
  const known = new Set([...emails].map((e) => e.toLowerCase()));
  for (const [index, email] of config.policy.requiredOwners.entries()) {
    if (known.has(email.toLowerCase())) continue;
    report(
      config.policy.requiredOwners,
      email,
      `policy.requiredOwners[${index}]`,
      `there is no member "${email}" in the file or in ${org}${didYouMean(email, emails)}`,
    );
  }
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
