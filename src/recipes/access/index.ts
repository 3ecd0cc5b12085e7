// Access as code: declare the organization in a file, plan, apply — and never fight the IdP.
export { isAccessFileError, parseAccessConfig, type AccessConfigIssue } from "./parse.js";
export { accessConfigSchema } from "./schema.js";
export { dumpAccess, formatAccessConfig, type DumpAccessOptions } from "./dump.js";
export { planAccess, type InviteLimits, type PlanAccessOptions } from "./plan.js";
export { applyAccessPlan, type AccessApplyReport, type ApplyAccessOptions } from "./apply.js";
export { describeChange, renderApplyText, renderPlanMarkdown, renderPlanText } from "./render.js";
export { AccessPlanError, isAccessPlanError, type AccessPlanErrorCode } from "./errors.js";
export type * from "./types.js";
export {
  driftAccess,
  readDrift,
  driftFromPlan,
  describeCause,
  renderDriftMarkdown,
  renderDriftText,
  type AccessDrift,
  type DriftAccessOptions,
  type DriftEntry,
} from "./drift.js";
export { explainPlan, readAuditWindow, DRIFT_WINDOW_DAYS, type AuditWindow, type ExplainOptions } from "./causes.js";
export { adoptDrift, type AdoptOptions, type AdoptResult } from "./adopt.js";
export { grantInFile, DEFAULT_MAX_GRANT_MS, type GrantInput, type GrantResult } from "./grant.js";
