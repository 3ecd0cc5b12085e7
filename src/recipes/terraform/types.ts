/**
 * The shapes of a Terraform import: the instances read from a state, and what {@link importTerraform} returns —
 * the access document, the two ways to make Terraform forget, the provider's pitfalls and the drift with Sentry.
 */
import type { SentryClient } from "../../client.js";
import type { AccessConfig } from "../access/types.js";
import type { InstanceKey, ModuleStep } from "./address.js";

/** The provider's resource types this import carries over. */
export type TerraformSentryType = "sentry_team" | "sentry_organization_member" | "sentry_team_member" | "sentry_project";

/** One resource instance of the state (a resource without `count`/`for_each` has one, with no key). */
export interface StateInstance {
  /** The instance address, as `terraform state list` prints it: `module.a["k"].sentry_team.x[0]`. */
  address: string;
  /** The resource address without any instance key (module keys dropped too), as a `removed` block's `from`. */
  resourceAddress: string;
  module: ModuleStep[];
  mode: "managed" | "data";
  type: string;
  name: string;
  key: InstanceKey;
  attributes: Record<string, unknown>;
}

/** The provider's known pitfalls an import reports, each for one address. */
export type TerraformPitfallCode =
  /** A role empty in state: Sentry stores none when the org role already grants it (provider #364). */
  | "empty-role"
  /** The `teams` list of `sentry_organization_member`, deprecated for `sentry_team_member` (provider #343). */
  | "deprecated-teams"
  /** An invite that expired; Sentry removes expired invites (provider #755). */
  | "expired-invite"
  /** A team member whose `effective_role` is above its `role`: the org role grants more. */
  | "effective-role"
  /** A team membership of a member this state does not hold, resolved (or not) through Sentry. */
  | "unknown-member"
  /** A value the access file cannot hold (an unknown role). */
  | "unsupported-value";

/** Something the import could not carry over as it was, and why. */
export interface TerraformPitfall {
  code: TerraformPitfallCode;
  address: string;
  message: string;
}

/** A difference between the state and Sentry: `plan` of the imported file shows it as a change. */
export interface TerraformDrift {
  /** The state address the change comes from (absent for a change no resource explains). */
  address?: string;
  /** The plan change, e.g. `member invite ana@acme.test`. */
  change: string;
  message: string;
}

/** Options of {@link importTerraform}. */
export interface ImportTerraformOptions {
  /** The organization to import; required when the state manages several. A state for another one is refused. */
  organization?: string;
  /**
   * A client to compare with: memberships and project links Terraform did not manage are kept as they are (a
   * member's `teams` and a team's `projects` are whole sets in the file), members only referenced by id are
   * resolved, and every difference `plan` will show is returned under `drift`. Without it nothing is sent.
   */
  sentry?: SentryClient;
  signal?: AbortSignal;
  /** The clock for the comparison (default: now). */
  now?: Date;
}

/** What {@link importTerraform} produced. Nothing is written: the caller writes the texts where it wants. */
export interface TerraformImport {
  organization: string;
  /** The access document (format it with `formatAccessConfig`), additive: it declares only what Terraform managed. */
  config: AccessConfig;
  /** Every instance taken over from Terraform, ordered by address. */
  imported: Array<{ address: string; resourceAddress: string; type: TerraformSentryType }>;
  /** Addresses of managed resources not taken over (other types or organizations): left to Terraform. */
  leftToTerraform: string[];
  /** `removed.tf`: one `removed` block per resource address (Terraform ≥ 1.7). */
  removedTf: string;
  /** `state-rm.sh`: one `terraform state rm` per instance address, single-quoted. */
  stateRm: string;
  pitfalls: TerraformPitfall[];
  /** Differences with Sentry (only with `sentry`): each is a change `plan` shows for the file. */
  drift: TerraformDrift[];
  /** Things worth knowing that are neither pitfalls nor drift (e.g. live memberships kept in the file). */
  notes: string[];
}
