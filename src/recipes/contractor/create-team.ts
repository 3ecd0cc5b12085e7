// createContractorTeam: a team for outside contributors with access to only the listed projects, its people
// invited as org `member` (team role contributor, the floor for that org role, which Sentry stores as null).
// The plan is a list of engine changes run by the engine's executor (recipes/engine/) in rollback mode: a failure
// undoes this run's writes in reverse order (only what may have acted), and because every change is also
// idempotent, a run whose rollback could not finish (or `rollback: false`) is resumed by re-running with the same input.
import { ValidationError } from "../../http/errors/errors.js";
import type { SentryClient } from "../../client.js";
import { assertEmail, assertName, assertSlug, toIsoDate } from "../../resources/validate.js";
import type { Change } from "../engine/changes.js";
import { executePlan } from "../engine/execute.js";
import { type NowOption, resolveNow } from "../shared/clock.js";
import type { RecipeProgress, RecipeStepError } from "../shared/report.js";
import { teamExists } from "../shared/team-exists.js";

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

/** The engine change of a step. */
function changeOf(step: ContractorStep, name: string): Change {
  switch (step.action) {
    case "create-team":
      return { kind: "team", action: "create", subject: step.team, team: step.team, name };
    case "add-project-team":
    case "remove-project-team":
      return {
        kind: "project-team",
        action: step.action === "add-project-team" ? "add" : "remove",
        subject: `${step.team}/${step.project}`,
        team: step.team,
        project: step.project,
      };
    case "invite-member":
      // Sentry saves the team membership of an invite but ignores its role (facts §5); contributor is the
      // floor of org role member, so the stored null already means contributor and no second call is needed.
      return { kind: "member", action: "invite", subject: step.email, email: step.email, to: "member", teamRoles: [{ team: step.team, role: null }] };
    case "add-member-team":
      return { kind: "team-member", action: "add", subject: `${step.team}/${step.email}`, team: step.team, email: step.email, memberId: step.memberId };
  }
}

/** The step of an engine change (the report speaks in steps). */
function stepOf(change: Change): ContractorStep {
  const team = change.team ?? change.teamRoles?.[0]?.team ?? "";
  if (change.kind === "team") return { action: "create-team", team };
  if (change.kind === "project-team")
    return { action: change.action === "add" ? "add-project-team" : "remove-project-team", project: change.project ?? "", team };
  if (change.kind === "member") return { action: "invite-member", email: change.email ?? "", team };
  return { action: "add-member-team", email: change.email ?? "", memberId: change.memberId ?? "", team };
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
    manifest: undefined,
    planned: steps,
    applied: [],
    skipped,
    errors: [],
    rolledBack: [],
    leftBehind: [],
    dryRun,
  };
  if (dryRun) return report;

  const changes = steps.map((step) => changeOf(step, input.name));
  const run = await executePlan(
    sentry,
    { changes, blocked: [], idpOwned: [], violations: [], fingerprint: "" },
    {
      order: "as-given",
      onFailure: options.rollback === false ? "stop" : "rollback",
      onProgress: ({ phase, change, status, done, total }) => {
        if (status === "started") progress({ phase, step: stepOf(change), done, total });
      },
    },
  );
  report.applied = run.applied.map(stepOf);
  report.errors = run.failed.map((failure) => ({ ...failure, step: failure.step && stepOf(failure.step) }));
  report.rolledBack = run.rolledBack.map(stepOf);
  report.leftBehind = run.leftBehind.map(stepOf);
  if (report.errors.length > 0 || run.aborted) return report;

  const invitedIds = new Map<string, string>();
  for (const [change, result] of run.results) if (change.kind === "member" && change.email && result.memberId) invitedIds.set(change.email, result.memberId);
  const members: ContractorMember[] = input.emails.map((email) => {
    const existing = found.get(email);
    if (existing) return { email, memberId: existing.id, invited: false };
    return { email, memberId: invitedIds.get(email) ?? "", invited: true };
  });
  report.manifest = mergeManifest(
    options.previous,
    {
      version: 1,
      org: sentry.org.slug ?? "",
      team: { slug: input.slug, name: input.name, created: !teamExisted },
      projects: [...input.projects],
      members,
      expiresAt: input.expiresAt,
      createdAt: now.toISOString(),
    },
    report.skipped,
  );
  return report;
}

function checkPrevious(previous: ContractorManifest, org: string | undefined, slug: string): void {
  if (typeof previous !== "object" || previous === null || previous.version !== 1 || !Array.isArray(previous.members)) {
    throw ValidationError.forInput("previous", "is not a contractor-team manifest (version 1)");
  }
  if (previous.org !== org || previous.team?.slug !== slug) {
    throw ValidationError.forInput(
      "previous",
      `is the manifest of team ${String(previous.team?.slug)} in ${String(previous.org)}, not of ${slug} in ${String(org)}`,
    );
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
