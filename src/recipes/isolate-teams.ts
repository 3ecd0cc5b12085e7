// isolateTeams: the seed's "microservices team isolation" example made convergent. Compares the wanted
// team → projects map with Sentry, plans the difference, and applies it step by step. Steps that do not depend
// on a failed one go on; a re-run plans only what is still missing, so it converges.
import { isNotFoundError, ValidationError } from "../http/errors.js";
import type { SentryClient } from "../client.js";
import { assertName, assertSlug } from "../resources/validate.js";
import { type RecipeProgress, type RecipeStepError, stepError } from "./recipe-report.js";

/** One change of the isolation plan. */
export type IsolationStep =
  | { action: "create-team"; team: string; project?: undefined }
  | { action: "add-project-team"; team: string; project: string }
  | { action: "remove-project-team"; team: string; project: string };

/** Options of {@link isolateTeams}. */
export interface IsolateTeamsOptions {
  /** Also revoke every other team's access to the listed projects. Default false (only add). */
  exclusive?: boolean;
  dryRun?: boolean;
  /** Names for teams that must be created; default from the slug: "payments" → "Payments Team". */
  teamNames?: Readonly<Record<string, string>>;
  onProgress?: (progress: RecipeProgress<IsolationStep>) => void;
}

/** The plan (dry run) or the applied diff of {@link isolateTeams}. */
export interface IsolationReport {
  planned: IsolationStep[];
  applied: IsolationStep[];
  /** Steps not attempted because a step they depend on failed (or a project could not be read). */
  skipped: Array<{ step: IsolationStep | undefined; subject: string; reason: string }>;
  errors: Array<RecipeStepError<IsolationStep>>;
  dryRun: boolean;
}

/**
 * The seed's team name for a slug: each dash- or underscore-separated word capitalised, then " Team".
 * @example teamNameFromSlug("payments") // "Payments Team"; teamNameFromSlug("mobile-apps") // "Mobile Apps Team"
 */
export function teamNameFromSlug(slug: string): string {
  const words = slug.split(/[-_]+/).filter((word) => word !== "");
  return `${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(" ")} Team`;
}

function validate(teams: Readonly<Record<string, readonly string[]>>, options: IsolateTeamsOptions) {
  if (typeof teams !== "object" || teams === null || Object.keys(teams).length === 0) {
    throw ValidationError.forInput("teams", "map at least one team slug to its projects");
  }
  // `{ __proto__: [...] }` sets the map's prototype instead of adding a team, so that entry would vanish silently.
  const proto: unknown = Object.getPrototypeOf(teams);
  if (Object.hasOwn(teams, "__proto__") || (proto !== Object.prototype && proto !== null)) {
    throw ValidationError.forInput("teams", `"__proto__" is not a team slug; build the map with plain keys`);
  }
  const owners = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const [team, projects] of Object.entries(teams)) {
    assertSlug(`teams.${team}`, team);
    if (!Array.isArray(projects)) throw ValidationError.forInput(`teams.${team}`, "must be an array of project slugs");
    for (const [i, project] of projects.entries()) {
      const slug = assertSlug(`teams.${team}[${i}]`, project);
      const list = owners.get(slug) ?? [];
      if (!list.includes(team)) list.push(team);
      owners.set(slug, list);
    }
    const given = options.teamNames?.[team];
    names.set(team, given === undefined ? teamNameFromSlug(team) : assertName(`teamNames.${team}`, given));
  }
  return { owners, names, teamSlugs: Object.keys(teams) };
}

async function plan(sentry: SentryClient, input: ReturnType<typeof validate>, exclusive: boolean, report: IsolationReport) {
  const wanted = new Set(input.teamSlugs);
  const existing = new Set<string>();
  for await (const team of sentry.org.teams.list({ detailed: false })) if (wanted.has(team.slug)) existing.add(team.slug);
  for (const team of input.teamSlugs) if (!existing.has(team)) report.planned.push({ action: "create-team", team });

  for (const [project, owners] of input.owners) {
    const current: string[] = [];
    try {
      for await (const team of sentry.org.projects.teams(project)) current.push(team.slug);
    } catch (error) {
      // An unreadable project cannot be planned; the other projects still can.
      const reason = isNotFoundError(error) ? "no such project" : "its teams could not be read";
      const failure = stepError<IsolationStep>(error, undefined, "apply");
      report.errors.push({ ...failure, message: `project ${project}: ${reason}: ${failure.message}` });
      report.skipped.push({ step: undefined, subject: `project ${project}`, reason });
      continue;
    }
    for (const team of owners) if (!current.includes(team)) report.planned.push({ action: "add-project-team", team, project });
    if (exclusive) {
      for (const team of current) if (!owners.includes(team)) report.planned.push({ action: "remove-project-team", team, project });
    }
  }
}

async function apply(sentry: SentryClient, step: IsolationStep, names: Map<string, string>): Promise<void> {
  switch (step.action) {
    case "create-team":
      // ensure, not create: a create whose answer was lost has still made the team, and a re-run must not fail on it.
      await sentry.org.teams.ensure({ slug: step.team, name: names.get(step.team) ?? teamNameFromSlug(step.team) });
      return;
    case "add-project-team":
      await sentry.org.projects.addTeam(step.project, step.team);
      return;
    case "remove-project-team":
      await sentry.org.projects.removeTeam(step.project, step.team, { ifPresent: true });
      return;
  }
}

/** Why a step must wait, given what failed so far; undefined when it may run. */
function blockedBy(step: IsolationStep, failedTeams: Set<string>, failedAdds: Set<string>): string | undefined {
  if (step.action === "add-project-team" && failedTeams.has(step.team)) return `team ${step.team} could not be created`;
  // Revoking other teams while the owner's link is missing could leave the project with no team at all.
  if (step.action === "remove-project-team" && failedAdds.has(step.project)) return `the owning team's access to ${step.project} failed`;
  return undefined;
}

/**
 * Ensures each team exists and holds its projects; with `exclusive: true` also revokes other teams' access to
 * those projects. `dryRun: true` returns the plan without changing anything.
 * @example
 * const plan = await isolateTeams(sentry, { payments: ["payment-api", "billing-worker"], identity: ["auth-service"] },
 *   { exclusive: true, dryRun: true });
 * const result = await isolateTeams(sentry, { payments: ["payment-api", "billing-worker"] }, { exclusive: true });
 * @throws {ValidationError} for a bad team or project slug or team name (before any request).
 * @throws {SentryApiError} when the organization's teams cannot be listed (before any change).
 */
export async function isolateTeams(
  sentry: SentryClient,
  teams: Readonly<Record<string, readonly string[]>>,
  options: IsolateTeamsOptions = {},
): Promise<IsolationReport> {
  const input = validate(teams, options);
  const dryRun = options.dryRun === true;
  const progress = options.onProgress ?? (() => undefined);
  const report: IsolationReport = { planned: [], applied: [], skipped: [], errors: [], dryRun };
  progress({ phase: "plan", step: undefined, done: 0, total: 0 });
  await plan(sentry, input, options.exclusive === true, report);
  if (dryRun) return report;

  const failedTeams = new Set<string>();
  const failedAdds = new Set<string>();
  for (const [index, step] of report.planned.entries()) {
    progress({ phase: "apply", step, done: index, total: report.planned.length });
    const reason = blockedBy(step, failedTeams, failedAdds);
    if (reason !== undefined) {
      report.skipped.push({ step, subject: step.project ?? step.team, reason });
      if (step.action === "add-project-team") failedAdds.add(step.project);
      continue;
    }
    try {
      await apply(sentry, step, input.names);
      report.applied.push(step);
    } catch (error) {
      report.errors.push(stepError(error, step, "apply"));
      if (step.action === "create-team") failedTeams.add(step.team);
      if (step.action === "add-project-team") failedAdds.add(step.project);
    }
  }
  return report;
}
