/**
 * `importTerraform`: a Terraform state of the `jianyuan/sentry` provider → an access document scoped to what
 * Terraform managed, the `removed` blocks and `state rm` lines that make Terraform forget it without destroying
 * anything, the provider's pitfalls, and (with a client) every difference with Sentry that `plan` will show.
 */
import type { SentryClient } from "../../client.js";
import { referenceIssues } from "../access/references.js";
import { diffAccess } from "../access/diff.js";
import { readLiveState, type LiveState } from "../access/live.js";
import { describeChange } from "../access/render.js";
import type { AccessChange, AccessConfig } from "../access/types.js";
import { carryOver } from "./carry.js";
import { readTerraformState, refuse } from "./state.js";
import { removedBlocks, stateRmScript } from "./steps.js";
import type { ImportTerraformOptions, StateInstance, TerraformDrift, TerraformImport, TerraformSentryType } from "./types.js";

const CARRIED: readonly string[] = ["sentry_team", "sentry_organization_member", "sentry_team_member", "sentry_project"] satisfies TerraformSentryType[];

function organizationOf(item: StateInstance): string {
  const org = item.attributes.organization;
  if (typeof org !== "string" || org === "") throw refuse(`${item.address}.organization`, "missing in the state");
  return org;
}

/** The organization to import: the one asked for, else the only one the state manages. */
function chooseOrganization(carried: readonly StateInstance[], wanted: string | undefined): string {
  const orgs = new Map<string, StateInstance>();
  for (const item of carried) if (!orgs.has(organizationOf(item))) orgs.set(organizationOf(item), item);
  const [first] = orgs.entries();
  if (!first) throw refuse("(file)", `no ${CARRIED.join(", ")} resources in this state: nothing to import`);
  if (wanted !== undefined) {
    if (!orgs.has(wanted)) throw refuse(`${first[1].address}.organization`, `this state is for organization ${[...orgs.keys()].join(", ")}, not ${wanted}`);
    return wanted;
  }
  if (orgs.size > 1)
    throw refuse(
      `${[...orgs.values()][1]?.address ?? first[1].address}.organization`,
      `this state manages ${orgs.size} organizations (${[...orgs.keys()].join(", ")}): name the one to import`,
    );
  return first[0];
}

/** Project slugs the diff may link: those teams have, plus the project list when the file names others. */
async function knownProjects(sentry: SentryClient, config: AccessConfig, live: LiveState, signal: AbortSignal | undefined): Promise<Set<string>> {
  const known = new Set([...live.teams.values()].flatMap((t) => t.projects));
  if (Object.values(config.teams).every((t) => (t.projects ?? []).every((p) => known.has(p)))) return known;
  for await (const project of sentry.org.projects.list({ perPage: 100, ...(signal ? { signal } : {}) })) known.add(project.slug);
  return known;
}

function driftOf(change: AccessChange, subjects: Map<string, string>): TerraformDrift {
  const address = subjects.get(change.subject.toLowerCase()) ?? (change.team === undefined ? undefined : subjects.get(change.team));
  const what = describeChange(change).replace(/^[+~-] /, "");
  let message = `the state and Sentry differ: plan will ${change.action} (${what}); edit the file if Sentry is right`;
  if (change.kind === "member" && change.action === "invite")
    message = `${change.subject} is in the state but not in Sentry (removed outside Terraform?): plan invites them again; delete them from the file if that removal was meant`;
  else if (change.kind === "team" && change.action === "create")
    message = `team ${change.subject} is in the state but not in Sentry (deleted outside Terraform?): plan creates it again; delete it from the file if that was meant`;
  else if (change.kind === "team-member" && change.action === "add")
    message = `${change.subject} is in the state but not in Sentry (removed outside Terraform?): plan adds the membership again; delete it from the file if that was meant`;
  else if (change.action === "remove")
    message = `Sentry has ${change.subject}, the state does not (added outside Terraform?): plan removes it; add it to the file to keep it`;
  return { ...(address === undefined ? {} : { address }), change: `${change.kind} ${change.action} ${change.subject}`, message };
}

/**
 * Imports a Terraform state (raw version 4, or `terraform show -json` output; text or parsed) of the
 * `jianyuan/sentry` provider: `sentry_team`, `sentry_organization_member`, `sentry_team_member` and `sentry_project`
 * (its `teams`), module paths and `count`/`for_each` instances included. Writes nothing: write `config` (with
 * `formatAccessConfig`), `removedTf` and `stateRm` where they belong. Reads Sentry only when `sentry` is given.
 * @example
 * const result = await importTerraform(readFileSync("terraform.tfstate", "utf8"), { sentry });
 * writeFileSync("sentry-access.yaml", formatAccessConfig(result.config, "yaml"));
 * writeFileSync("removed.tf", result.removedTf);
 * for (const p of result.pitfalls) console.warn(`${p.address}: ${p.message}`);
 * @throws {ValidationError} (nothing read from Sentry, nothing written) for input that is not a state, another
 *   format version, a state for another organization, or two addresses for one object — naming the address or field.
 */
export async function importTerraform(input: unknown, options: ImportTerraformOptions = {}): Promise<TerraformImport> {
  const instances = readTerraformState(input).filter((i) => i.mode === "managed");
  const organization = chooseOrganization(
    instances.filter((i) => CARRIED.includes(i.type)),
    options.organization,
  );
  const ours = instances.filter((i) => CARRIED.includes(i.type) && organizationOf(i) === organization);
  const taken = new Set(ours);
  const leftToTerraform = instances.filter((i) => !taken.has(i)).map((i) => i.address);
  // Refuse bad input (duplicates, missing attributes) before any request.
  carryOver(organization, ours, undefined);
  const sentry = options.sentry?.withOrg(organization);
  const live = sentry ? await readLiveState(sentry, { signal: options.signal }) : undefined;
  const carried = carryOver(organization, ours, live);
  const drift: TerraformDrift[] = [];
  if (sentry && live) {
    const projects = await knownProjects(sentry, carried.config, live, options.signal);
    const now = options.now ?? new Date();
    // A state naming what Sentry no longer has (a project or team deleted since): plan would refuse the file.
    for (const issue of referenceIssues(carried.config, live, projects, now)) {
      const subject = /^(?:teams|members)\.([^.]+(?:\.[^.]+)*?)\.(?:projects|teams)/.exec(issue.path)?.[1] ?? "";
      const address = carried.subjects.get(subject.toLowerCase());
      drift.push({ ...(address !== undefined ? { address } : {}), change: `reference ${issue.path}`, message: issue.message });
    }
    const diff = diffAccess(carried.config, live, { now, caller: undefined });
    for (const change of diff.changes) drift.push(driftOf(change, carried.subjects));
    // Differences the identity provider decides about what the state holds: plan lists them apart (idpOwned).
    for (const entry of diff.idpOwned) {
      const address = carried.subjects.get(entry.subject.toLowerCase());
      if (address === undefined) continue; // an IdP-owned object Terraform did not manage: not a difference
      drift.push({
        address,
        change: `${entry.kind} ${entry.subject} (IdP-owned)`,
        message: `the state and Sentry differ where the identity provider decides: ${entry.reason}`,
      });
    }
  }
  return {
    organization,
    config: carried.config,
    imported: ours.map((i) => ({ address: i.address, resourceAddress: i.resourceAddress, type: i.type as TerraformSentryType })),
    leftToTerraform,
    removedTf: removedBlocks(ours.map((i) => i.resourceAddress)),
    stateRm: stateRmScript(ours.map((i) => i.address)),
    pitfalls: carried.pitfalls,
    drift,
    notes: carried.notes,
  };
}
