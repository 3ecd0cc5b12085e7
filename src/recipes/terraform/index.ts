// Moving off the Terraform provider (`jianyuan/sentry`): a state → an access file, removed.tf and state-rm.sh.
export { importTerraform } from "./import.js";
export { readTerraformState } from "./state.js";
export type {
  ImportTerraformOptions,
  StateInstance,
  TerraformDrift,
  TerraformImport,
  TerraformPitfall,
  TerraformPitfallCode,
  TerraformSentryType,
} from "./types.js";
export type { InstanceKey, ModuleStep } from "./address.js";
