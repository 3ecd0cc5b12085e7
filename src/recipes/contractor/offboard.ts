// offboardContractors: ends a contractor team made by createContractorTeam once its manifest has expired.
// The plan reads the current state first; its steps are engine changes run by the engine's executor
// (recipes/engine/), each safe to repeat, so offboarding is resumable: a failed step is reported, independent steps
// go on, and a re-run finishes what is left (already-gone members are skipped).
import { isNotFoundError, ValidationError } from "../../http/errors/errors.js";
import type { SentryClient } from "../../client.js";
import type { Change } from "../engine/changes.js";
import { executePlan } from "../engine/execute.js";
import type { ContractorManifest, ContractorMember } from "./create-team.js";
import { type NowOption, resolveNow } from "../shared/clock.js";
import type { RecipeProgress, RecipeStepError } from "../shared/report.js";
import { teamExists } from "../shared/team-exists.js";

/** One change offboarding makes (or, in a dry run, would make). */
export type OffboardStep =
  | { action: "scim-deactivate"; email: string; memberId: string }
  | { action: "remove-member"; email: string; memberId: string }
  | { action: "remove-member-team"; email: string; memberId: string; team: string }
  | { action: "remove-project-team"; project: string; team: string }
  | { action: "delete-team"; team: string };

/** Options of {@link offboardContractors}. */
export interface OffboardOptions {
  now?: NowOption;
  dryRun?: boolean;
  /** Offboard before `expiresAt`. */
  force?: boolean;
  /** Delete the team after revoking its access; default: only when the manifest created it. */
  deleteTeam?: boolean;
  onProgress?: (progress: RecipeProgress<OffboardStep>) => void;
}

/** What {@link offboardContractors} did. */
export interface OffboardReport {
  planned: OffboardStep[];
  applied: OffboardStep[];
  skipped: Array<{ subject: string; reason: string }>;
  errors: Array<RecipeStepError<OffboardStep>>;
  dryRun: boolean;
}

function checkManifest(manifest: ContractorManifest, org: string | undefined): void {
  if (typeof manifest !== "object" || manifest === null || manifest.version !== 1) {
    throw ValidationError.forInput("manifest", "is not a contractor-team manifest (version 1)");
  }
  if (typeof manifest.team?.slug !== "string" || !Array.isArray(manifest.members) || typeof manifest.expiresAt !== "string") {
    throw ValidationError.forInput("manifest", "needs team.slug, members and expiresAt");
  }
  if (Number.isNaN(Date.parse(manifest.expiresAt))) throw ValidationError.forInput("manifest.expiresAt", "is not a date");
  // The same team slug in another organization is someone else's team.
  if (manifest.org !== org) {
    throw ValidationError.forInput(
      "manifest.org",
      `the manifest is for organization ${String(manifest.org)}, the client is for ${org ?? "no organization"}; use sentry.withOrg(${JSON.stringify(String(manifest.org))})`,
    );
  }
}

async function planMember(sentry: SentryClient, person: ContractorMember, team: string): Promise<OffboardStep | string> {
  if (person.memberId === "") return "no member id in the manifest";
  let member;
  try {
    member = await sentry.org.members.get(person.memberId);
  } catch (error) {
    if (isNotFoundError(error)) return "already gone from the organization";
    throw error;
  }
  // An id that now answers with another email is not the contractor: leave that person alone.
  if (member.email.toLowerCase() !== person.email.toLowerCase()) return `member ${person.memberId} is now ${member.email}`;
  const otherTeams = member.teamRoles.filter((t) => t.teamSlug !== team);
  // Someone the manifest invited, or whose only team is this one as a plain member, leaves the organization;
  // anyone else (an employee also listed as a contractor) only leaves the contractor team.
  const leavesOrg = person.invited || (otherTeams.length === 0 && member.orgRole === "member");
  const ids = { email: person.email, memberId: person.memberId };
  if (leavesOrg) {
    // SCIM-provisioned members cannot be removed through the members API (403); the SCIM API deactivates them.
    return member.flags["idp:provisioned"] === true ? { action: "scim-deactivate", ...ids } : { action: "remove-member", ...ids };
  }
  if (member.teamRoles.some((t) => t.teamSlug === team)) return { action: "remove-member-team", ...ids, team };
  return "kept: on other teams and not on the contractor team any more";
}

async function plan(sentry: SentryClient, manifest: ContractorManifest, options: OffboardOptions) {
  const team = manifest.team.slug;
  const steps: OffboardStep[] = [];
  const skipped: OffboardReport["skipped"] = [];
  const exists = await teamExists(sentry, team);
  if (!exists) skipped.push({ subject: `team ${team}`, reason: "already gone" });
  for (const person of manifest.members) {
    const step = await planMember(sentry, person, team);
    if (typeof step === "string") skipped.push({ subject: person.email, reason: step });
    else if (step.action === "remove-member-team" && !exists) skipped.push({ subject: person.email, reason: "team already gone" });
    else steps.push(step);
  }
  if (exists) {
    for await (const project of sentry.org.teams.projects(team)) steps.push({ action: "remove-project-team", project: project.slug, team });
    if (options.deleteTeam ?? manifest.team.created) steps.push({ action: "delete-team", team });
    else skipped.push({ subject: `team ${team}`, reason: "kept: the manifest did not create it (pass deleteTeam: true)" });
  }
  return { steps, skipped };
}

/** The engine change of a step. */
function changeOf(step: OffboardStep): Change {
  switch (step.action) {
    case "scim-deactivate":
    case "remove-member":
      return {
        kind: "member",
        action: step.action === "remove-member" ? "remove" : "deactivate",
        subject: step.email,
        email: step.email,
        memberId: step.memberId,
      };
    case "remove-member-team":
      return { kind: "team-member", action: "remove", subject: `${step.team}/${step.email}`, team: step.team, email: step.email, memberId: step.memberId };
    case "remove-project-team":
      return { kind: "project-team", action: "remove", subject: `${step.team}/${step.project}`, team: step.team, project: step.project };
    case "delete-team":
      return { kind: "team", action: "delete", subject: step.team, team: step.team };
  }
}

/** The step of an engine change (the report speaks in steps). */
function stepOf(change: Change): OffboardStep {
  const ids = { email: change.email ?? "", memberId: change.memberId ?? "" };
  const team = change.team ?? "";
  if (change.kind === "member") return change.action === "remove" ? { action: "remove-member", ...ids } : { action: "scim-deactivate", ...ids };
  if (change.kind === "team-member") return { action: "remove-member-team", ...ids, team };
  if (change.kind === "project-team") return { action: "remove-project-team", project: change.project ?? "", team };
  return { action: "delete-team", team };
}

/**
 * Removes a contractor team's people and access at or after its expiry: SCIM deactivation for SCIM-managed
 * members, member removal otherwise, then the team's project links (and the team, when the manifest created it).
 * @example
 * const manifest = JSON.parse(await readFile("contractors-q1.json", "utf8"));
 * const { applied, errors } = await offboardContractors(sentry, manifest);
 * @throws {ValidationError} for a malformed manifest, a manifest of another organization than the client's, or
 * before `expiresAt` without `force` (all before any request).
 * @throws {SentryApiError} when reading the current state fails (before any change).
 */
export async function offboardContractors(sentry: SentryClient, manifest: ContractorManifest, options: OffboardOptions = {}): Promise<OffboardReport> {
  checkManifest(manifest, sentry.org.slug);
  const now = resolveNow(options.now);
  if (now.getTime() < Date.parse(manifest.expiresAt) && options.force !== true) {
    throw ValidationError.forInput("manifest.expiresAt", `the contract runs until ${manifest.expiresAt}; pass force: true to offboard early`);
  }
  const dryRun = options.dryRun === true;
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: "plan", step: undefined, done: 0, total: 0 });
  const { steps, skipped } = await plan(sentry, manifest, options);
  const report: OffboardReport = { planned: steps, applied: [], skipped, errors: [], dryRun };
  if (dryRun) return report;
  // Steps are independent (each cuts one piece of access): a failure is reported, the others go on.
  const run = await executePlan(
    sentry,
    { changes: steps.map(changeOf), blocked: [], idpOwned: [], violations: [], fingerprint: "" },
    {
      order: "as-given",
      onFailure: "continue",
      onProgress: ({ phase, change, status, done, total }) => {
        if (phase === "apply" && status === "started") progress({ phase, step: stepOf(change), done, total });
      },
    },
  );
  report.applied = run.applied.map(stepOf);
  report.errors = run.failed.map((failure) => ({ ...failure, step: failure.step && stepOf(failure.step) }));
  return report;
}
