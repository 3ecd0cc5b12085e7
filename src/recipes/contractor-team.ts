// createContractorTeam: a team for outside contributors with access to only the listed projects, its people
// invited as org `member` (team role contributor, the floor for that org role, which Sentry stores as null).
// Every write is journalled; a failure undoes this run's writes in reverse order (rollback), and because every
// step is also idempotent, a run whose rollback could not finish (or `rollback: false`) is resumed by
// re-running with the same input.
import { isNotFoundError, isSentryApiError, isSentryNetworkError, isSentryResponseError, ValidationError } from "../http/errors.js";
import type { SentryClient } from "../client.js";
import { assertEmail, assertName, assertSlug, toIsoDate } from "../resources/validate.js";
import { type NowOption, type RecipeProgress, type RecipeStepError, resolveNow, stepError, teamExists } from "./recipe-report.js";

/** One change the recipe makes (or, in a dry run, would make). */
export type ContractorStep =
  | { action: "create-team"; team: string }
  | { action: "add-project-team"; project: string; team: string }
  | { action: "remove-project-team"; project: string; team: string }
  | { action: "invite-member"; email: string; team: string }
  | { action: "add-member-team"; email: string; memberId: string; team: string };

/** A person on the contractor team; `invited` is true when this run sent the invite. */
export interface ContractorMember {
  email: string;
  memberId: string;
  invited: boolean;
}

/** What a contractor team consists of; plain JSON so a caller can store it for {@link offboardContractors}. */
export interface ContractorManifest {
  version: 1;
  org: string;
  /** `created` is true when this run created the team (offboarding then deletes it). */
  team: { slug: string; name: string; created: boolean };
  projects: string[];
  members: ContractorMember[];
  expiresAt: string;
  createdAt: string;
}

/** Input of {@link createContractorTeam}. */
export interface ContractorTeamOptions {
  slug: string;
  name: string;
  /** The only projects the team may see; every one must exist (checked before any change). */
  projects: readonly string[];
  /** Emails to invite (or to find, when already in the organization). */
  members: readonly string[];
  expiresAt: Date | string;
  /**
   * The manifest an earlier run of the same team wrote. The new manifest is merged with it: what the first run
   * recorded (it created the team, it sent an invite, its expiry and creation date) is kept, so offboarding still
   * removes what that run made. Refused when it is for another organization or team.
   */
  previous?: ContractorManifest;
  dryRun?: boolean;
  /** Undo this run's changes when a step fails (default true); false leaves them for a re-run to finish. */
  rollback?: boolean;
  now?: NowOption;
  onProgress?: (progress: RecipeProgress<ContractorStep>) => void;
}

/** What {@link createContractorTeam} did. */
export interface ContractorTeamReport {
  /** The manifest, when the run completed (undefined on a dry run or a failure). */
  manifest: ContractorManifest | undefined;
  planned: ContractorStep[];
  applied: ContractorStep[];
  /** Things left as they were, with the reason (already in place, or a role the recipe will not lower). */
  skipped: Array<{ subject: string; reason: string }>;
  errors: Array<RecipeStepError<ContractorStep>>;
  /** Steps undone after a failure (the failed step included when it may have taken effect). */
  rolledBack: ContractorStep[];
  /** Steps of this run still in effect after a failure: re-run with the same input to finish them. */
  leftBehind: ContractorStep[];
  dryRun: boolean;
}

interface FoundMember {
  email: string;
  id: string;
  orgRole: string;
  onTeam: boolean;
}

interface Plan {
  steps: ContractorStep[];
  skipped: ContractorTeamReport["skipped"];
  teamExists: boolean;
  found: Map<string, FoundMember>;
}

function validate(options: ContractorTeamOptions, now: Date) {
  const slug = assertSlug("slug", options.slug);
  const name = assertName("name", options.name);
  if (!Array.isArray(options.projects) || options.projects.length === 0) throw ValidationError.forInput("projects", "list at least one project");
  const projects = [...new Set(options.projects.map((p, i) => assertSlug(`projects[${i}]`, p)))];
  if (!Array.isArray(options.members)) throw ValidationError.forInput("members", "must be an array of emails");
  const emails = [...new Map(options.members.map((e: string, i) => [assertEmail(`members[${i}]`, e).toLowerCase(), e] as const)).values()];
  const expiresAt = toIsoDate("expiresAt", options.expiresAt);
  if (Date.parse(expiresAt) <= now.getTime()) throw ValidationError.forInput("expiresAt", `must be in the future, got ${expiresAt}`);
  return { slug, name, projects, emails, expiresAt };
}

async function missingProjects(sentry: SentryClient, wanted: readonly string[]): Promise<string[]> {
  const left = new Set(wanted);
  for await (const project of sentry.org.projects.list()) {
    left.delete(project.slug);
    if (left.size === 0) break;
  }
  return [...left];
}

async function plan(sentry: SentryClient, input: ReturnType<typeof validate>): Promise<Plan> {
  const { slug, projects, emails } = input;
  const missing = await missingProjects(sentry, projects);
  if (missing.length > 0) throw ValidationError.forInput("projects", `no such project in the organization: ${missing.join(", ")}`);
  const steps: ContractorStep[] = [];
  const skipped: Plan["skipped"] = [];
  const exists = await teamExists(sentry, slug);
  const linked = new Set<string>();
  if (exists) for await (const project of sentry.org.teams.projects(slug)) linked.add(project.slug);
  else steps.push({ action: "create-team", team: slug });
  for (const project of projects) {
    if (linked.has(project)) skipped.push({ subject: `project ${project}`, reason: "already assigned to the team" });
    else steps.push({ action: "add-project-team", project, team: slug });
  }
  // Only the listed projects: access the team had beyond them is revoked (the blast radius stays as stated).
  for (const project of linked) if (!projects.includes(project)) steps.push({ action: "remove-project-team", project, team: slug });

  const found = new Map<string, FoundMember>();
  for (const email of emails) {
    const member = await sentry.org.members.findByEmail(email);
    if (member === undefined) {
      steps.push({ action: "invite-member", email, team: slug });
      continue;
    }
    const details = exists ? await sentry.org.members.get(member.id) : undefined;
    const onTeam = details?.teamRoles.some((t) => t.teamSlug === slug) ?? false;
    found.set(email, { email, id: member.id, orgRole: member.orgRole, onTeam });
    if (member.orgRole !== "member") {
      skipped.push({ subject: email, reason: `already in the organization as ${member.orgRole}; the recipe does not change org roles` });
    }
    if (onTeam) skipped.push({ subject: email, reason: "already on the team" });
    else steps.push({ action: "add-member-team", email, memberId: member.id, team: slug });
  }
  return { steps, skipped, teamExists: exists, found };
}

/** Carries out one step; returns the member id for invites. */
async function apply(sentry: SentryClient, step: ContractorStep, name: string): Promise<string | undefined> {
  switch (step.action) {
    case "create-team":
      await sentry.org.teams.create({ slug: step.team, name });
      return undefined;
    case "add-project-team":
      await sentry.org.projects.addTeam(step.project, step.team);
      return undefined;
    case "remove-project-team":
      await sentry.org.projects.removeTeam(step.project, step.team, { ifPresent: true });
      return undefined;
    case "invite-member": {
      // Sentry saves the team membership of an invite but ignores its role (facts §5); contributor is the
      // floor of org role member, so the stored null already means contributor and no second call is needed.
      const invited = await sentry.org.members.invite({ email: step.email, orgRole: "member", teamRoles: [{ team: step.team }] });
      return invited.id;
    }
    case "add-member-team":
      await sentry.org.members.addToTeam(step.memberId, step.team);
      return undefined;
  }
}

/**
 * Whether a failed step may have taken effect. A 4xx answer (409 "already exists", 400 "already invited", a 403,
 * a 429) means Sentry refused it: what exists now is someone else's, and undoing it would remove their object.
 * Nothing sent (connection refused) is as clear. A 5xx, a lost connection, a timeout or an unreadable answer
 * leave the outcome unknown: those are undone, safely, since undo tolerates "not there".
 */
function mayHaveActed(error: unknown): boolean {
  if (isSentryResponseError(error)) return true;
  if (isSentryApiError(error)) return error.requestSent && (error.status < 400 || error.status >= 500);
  if (isSentryNetworkError(error)) return error.requestSent;
  return true;
}

/** Undoes one step; written to be safe when the step may or may not have taken effect. */
async function undo(sentry: SentryClient, step: ContractorStep, invitedId: string | undefined): Promise<void> {
  switch (step.action) {
    case "create-team":
      try {
        await sentry.org.teams.delete(step.team);
      } catch (error) {
        if (!isNotFoundError(error)) throw error; // never created: nothing to undo
      }
      return;
    case "add-project-team":
      await sentry.org.projects.removeTeam(step.project, step.team, { ifPresent: true });
      return;
    case "remove-project-team":
      await sentry.org.projects.addTeam(step.project, step.team);
      return;
    case "invite-member": {
      // The id this run's invite returned; only when the answer was lost is the address looked up.
      const id = invitedId ?? (await sentry.org.members.findByEmail(step.email))?.id;
      if (id === undefined) return;
      try {
        await sentry.org.members.remove(id);
      } catch (error) {
        if (!isNotFoundError(error)) throw error;
      }
      return;
    }
    case "add-member-team":
      await sentry.org.members.removeFromTeam(step.memberId, step.team, { ifPresent: true });
      return;
  }
}

/**
 * Creates (or converges) a contractor team: only the listed projects assigned, the listed people invited as org
 * `member` with team role contributor. Returns a manifest to store for {@link offboardContractors}.
 * @example
 * const { manifest, errors } = await createContractorTeam(sentry, {
 *   slug: "contractors-q1", name: "Q1 Contractors", projects: ["mobile-redesign"],
 *   members: ["ana@vendor.example"], expiresAt: "2026-06-30T00:00:00Z",
 * });
 * if (manifest) await writeFile("contractors-q1.json", JSON.stringify(manifest));
 * @throws {ValidationError} for bad input or a listed project that does not exist (before any change).
 * @throws {SentryApiError} when reading the current state fails (before any change).
 */
export async function createContractorTeam(sentry: SentryClient, options: ContractorTeamOptions): Promise<ContractorTeamReport> {
  const now = resolveNow(options.now);
  const input = validate(options, now);
  if (options.previous !== undefined) checkPrevious(options.previous, sentry.org.slug, input.slug);
  const dryRun = options.dryRun === true;
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: "plan", step: undefined, done: 0, total: 0 });
  const { steps, skipped, teamExists: teamExisted, found } = await plan(sentry, input);
  const report: ContractorTeamReport = {
    manifest: undefined, planned: steps, applied: [], skipped, errors: [], rolledBack: [], leftBehind: [], dryRun,
  };
  if (dryRun) return report;

  const invitedIds = new Map<string, string>();
  let failed: ContractorStep | undefined;
  let failedError: unknown;
  for (const [index, step] of steps.entries()) {
    progress({ phase: "apply", step, done: index, total: steps.length });
    try {
      const id = await apply(sentry, step, input.name);
      if (id !== undefined && step.action === "invite-member") invitedIds.set(step.email, id);
      report.applied.push(step);
    } catch (error) {
      report.errors.push(stepError(error, step, "apply"));
      failed = step;
      failedError = error;
      break;
    }
  }
  if (failed !== undefined) {
    // The failed step may have taken effect (the answer can be lost after Sentry acted): then it is undone too.
    // A refusal (409, "already invited") proves the object is not ours, and it stays.
    const failedMayHaveActed = mayHaveActed(failedError);
    const toUndo = [...(failedMayHaveActed ? [failed] : []), ...[...report.applied].reverse()];
    if (options.rollback === false) {
      report.leftBehind = [...report.applied];
      return report;
    }
    for (const [index, step] of toUndo.entries()) {
      progress({ phase: "rollback", step, done: index, total: toUndo.length });
      try {
        await undo(sentry, step, step.action === "invite-member" ? invitedIds.get(step.email) : undefined);
        if (step !== failed) report.rolledBack.push(step);
      } catch (error) {
        report.errors.push(stepError(error, step, "rollback"));
        if (step !== failed) report.leftBehind.push(step);
      }
    }
    return report;
  }

  const members: ContractorMember[] = input.emails.map((email) => {
    const existing = found.get(email);
    if (existing) return { email, memberId: existing.id, invited: false };
    return { email, memberId: invitedIds.get(email) ?? "", invited: true };
  });
  report.manifest = mergeManifest(options.previous, {
    version: 1,
    org: sentry.org.slug ?? "",
    team: { slug: input.slug, name: input.name, created: !teamExisted },
    projects: [...input.projects],
    members,
    expiresAt: input.expiresAt,
    createdAt: now.toISOString(),
  }, report.skipped);
  return report;
}

function checkPrevious(previous: ContractorManifest, org: string | undefined, slug: string): void {
  if (typeof previous !== "object" || previous === null || previous.version !== 1 || !Array.isArray(previous.members)) {
    throw ValidationError.forInput("previous", "is not a contractor-team manifest (version 1)");
  }
  if (previous.org !== org || previous.team?.slug !== slug) {
    throw ValidationError.forInput("previous", `is the manifest of team ${String(previous.team?.slug)} in ${String(previous.org)}, not of ${slug} in ${String(org)}`);
  }
}

/**
 * The manifest of a re-run, merged with the first run's: a team or an invite that run created stays recorded as
 * created (a re-run finds them existing and would otherwise record `false`, and offboarding would keep them), its
 * people stay listed, and its expiry and creation date stay (a different expiry asked now is reported, not applied).
 */
function mergeManifest(previous: ContractorManifest | undefined, next: ContractorManifest, skipped: ContractorTeamReport["skipped"]): ContractorManifest {
  if (previous === undefined) return next;
  const before = new Map(previous.members.map((m) => [m.email.toLowerCase(), m] as const));
  const members = next.members.map((m) => {
    const first = before.get(m.email.toLowerCase());
    return first && (first.memberId === m.memberId || m.memberId === "") ? { ...m, memberId: first.memberId, invited: m.invited || first.invited } : m;
  });
  const listed = new Set(members.map((m) => m.email.toLowerCase()));
  for (const m of previous.members) if (!listed.has(m.email.toLowerCase())) members.push({ ...m });
  if (Date.parse(previous.expiresAt) !== Date.parse(next.expiresAt)) {
    skipped.push({ subject: "manifest expiresAt", reason: `kept the first run's ${previous.expiresAt}; edit the manifest to change the contract's end` });
  }
  return {
    ...next,
    team: { ...next.team, created: next.team.created || previous.team.created === true },
    members,
    expiresAt: previous.expiresAt,
    createdAt: previous.createdAt,
  };
}

// Offboarding lives beside creation in its own file (one job per file); it is reachable from here too.
export { offboardContractors } from "./contractor-offboard.js";
export type { OffboardOptions, OffboardReport, OffboardStep } from "./contractor-offboard.js";
