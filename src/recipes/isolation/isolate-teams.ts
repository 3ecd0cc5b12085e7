// isolateTeams: the seed's "microservices team isolation" example made convergent. Compares the wanted
// team → projects map with Sentry, plans the difference as engine changes, and runs them on the engine's executor
// (recipes/engine/) one at a time. Changes that do not depend on a failed one go on; a re-run plans only what is
// still missing, so it converges.
import { isNotFoundError, ValidationError } from "../../http/errors/errors.js";
import type { SentryClient } from "../../client.js";
import { assertName, assertSlug } from "../../resources/validate.js";
import type { Change } from "../engine/changes.js";
import { executePlan } from "../engine/execute.js";
import { type RecipeProgress, type RecipeStepError, stepError } from "../shared/report.js";

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

/** The engine change of a step. */
function changeOf(step: IsolationStep, names: Map<string, string>): Change {
  if (step.action === "create-team")
    return { kind: "team", action: "create", subject: step.team, team: step.team, name: names.get(step.team) ?? teamNameFromSlug(step.team) };
  return {
    kind: "project-team",
    action: step.action === "add-project-team" ? "add" : "remove",
    subject: `${step.team}/${step.project}`,
    team: step.team,
    project: step.project,
  };
}

/** The step of an engine change (the report speaks in steps). */
function stepOf(change: Change): IsolationStep {
  const team = change.team ?? "";
  if (change.kind === "team") return { action: "create-team", team };
  return { action: change.action === "add" ? "add-project-team" : "remove-project-team", team, project: change.project ?? "" };
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

  // `continue` mode: team creates are idempotent (an existing team is a note, not a failure), so a create whose
  // answer was lost has still made the team and a re-run does not fail on it.
  const changes = report.planned.map((step) => changeOf(step, input.names));
  const run = await executePlan(
    sentry,
    { changes, blocked: [], idpOwned: [], violations: [], fingerprint: "" },
    {
      order: "as-given",
      onFailure: "continue",
      onProgress: ({ phase, change, status, done, total }) => {
        if (phase === "apply" && status === "started") progress({ phase: "apply", step: stepOf(change), done, total });
      },
    },
  );
  report.applied = run.applied.map(stepOf);
  report.errors.push(...run.failed.map((failure) => ({ ...failure, step: failure.step && stepOf(failure.step) })));
  for (const { change, reason } of run.skipped) {
    const step = stepOf(change);
    report.skipped.push({ step, subject: step.project ?? step.team, reason });
  }
  return report;
}
