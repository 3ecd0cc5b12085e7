/**
 * `sentry-rbac/recipes`: the operator workflows, as plain functions over a client (client first, options second),
 * plus pure helpers that take no client. Also re-exported from the package root.
 *
 * Deliberately left out: the XML reader behind checkIdpMetadata (idp-xml.ts), an implementation detail.
 *
 * @module sentry-rbac/recipes
 */
// Roles and scopes, from Sentry's role definitions.
export { ORG_ROLES, SCOPES, SCOPE_HIERARCHY, TEAM_ROLES, expandScopes, isOrgRole, isScope, isTeamRole } from "../vocabulary/roles.js";
// The checked lookups: an unknown id is a ValidationError.
export { minimumTeamRole, orgRoleDefinition, teamRoleDefinition } from "../resources/roles.js";
export { canSeeProject, computeEffectiveAccess, projectScopes } from "./who-can-access/effective-access.js";
export { requiredScopes } from "./tokens/required-scopes.js";
export { SAML_ATTRIBUTES, checkIdpMetadata, samlServiceProviderUrls } from "./sso/index.js";

// Workflows over a client.
export { createContractorTeam, offboardContractors } from "./contractor/index.js";
export { isolateTeams, teamNameFromSlug } from "./isolation/isolate-teams.js";
export { effectiveAccess, whoCanAccess } from "./who-can-access/who-can-access.js";
export {
  AccessReviewError,
  CsvSyntaxError,
  DECISION_COLUMNS,
  REPORT_COLUMNS,
  REVIEW_FILES,
  accessReview,
  closeAccessReview,
  isAccessReviewError,
  isCsvSyntaxError,
  parseCsv,
  parseReviewers,
  startAccessReview,
  verifyAccessReview,
} from "./review/index.js";
export { TokenRotationError, isTokenRotationError, rotateToken } from "./tokens/rotate.js";
export { PURPOSE_SCOPES, inferTokenPurpose, lintTokens } from "./tokens/lint.js";
export { TOKEN_ENVIRONMENTS, parseTokenName } from "./tokens/naming.js";
export { AUDIT_EXPORT_COLUMNS, AuditExportError, csvField, exportAuditLog, isAuditExportError } from "./audit/export/export.js";
export { checkScimSetup } from "./sso/scim-setup.js";
export {
  AuditLeaseLostError,
  AuditSinkError,
  isAuditLeaseLostError,
  isAuditSinkError,
  DEFAULT_AUDIT_RULES,
  connectAuditRedis,
  createAuditDetector,
  detectAuditAlerts,
  fileCheckpoint,
  fileSink,
  followAuditFleet,
  httpSink,
  memoryCheckpoint,
  parseAuditRules,
  redisCheckpoint,
  redisLease,
  resolveAuditRules,
  streamSink,
  tailAuditLog,
  toEcs,
  toOcsf,
} from "./audit/stream/index.js";
// The one reconcile engine (recipes/engine/): the change vocabulary, rails and the executor every workflow runs on.
export { checkRails, executePlan, orderChanges } from "./engine/index.js";
export {
  AuditCheckpointBusyError,
  AuditRedisUnavailableError,
  isAuditCheckpointBusyError,
  isAuditRedisUnavailableError,
  alertToEcs,
  alertToOcsf,
  lockFileCheckpoint,
} from "./audit/stream/index.js";
export type { EcsAlert, OcsfDetectionFinding } from "./audit/stream/index.js";
// Access as code (recipes/access/): parse, dump, plan, apply.
export {
  AccessPlanError,
  accessConfigSchema,
  applyAccessPlan,
  describeChange,
  dumpAccess,
  formatAccessConfig,
  isAccessFileError,
  isAccessPlanError,
  parseAccessConfig,
  planAccess,
  renderApplyText,
  renderPlanMarkdown,
  renderPlanText,
} from "./access/index.js";
// Moving off the Terraform provider (recipes/terraform/).
export { importTerraform } from "./terraform/index.js";
export type {
  ImportTerraformOptions,
  TerraformDrift,
  TerraformImport,
  TerraformPitfall,
  TerraformPitfallCode,
  TerraformSentryType,
} from "./terraform/index.js";

export type {
  AuditAlert,
  AuditCheckpoint,
  AuditCheckpointStore,
  AuditCondition,
  AuditDetector,
  AuditDetectorState,
  AuditFleetOptions,
  AuditFleetReport,
  AuditFormatOptions,
  AuditLease,
  AuditRedis,
  AuditRule,
  AuditRuleSet,
  AuditScalar,
  AuditSeverity,
  AuditSink,
  AuditSinkSpec,
  AuditStreamFormat,
  AuditTailProgress,
  AuditTailReport,
  AuditThreshold,
  EcsEvent,
  HttpSinkOptions,
  OcsfEvent,
  OcsfUser,
  TailAuditLogOptions,
} from "./audit/stream/index.js";
export type { OrgRole, OrgRoleDefinition, Scope, TeamRole, TeamRoleDefinition } from "../vocabulary/roles.js";
export type {
  AccessGrant,
  EffectiveAccess,
  EffectiveAccessOptions,
  EffectiveTeamMembership,
  MemberRoles,
  ProjectAccessReason,
  ProjectVisibility,
} from "./who-can-access/effective-access.js";
export type { ScopePlan } from "./tokens/required-scopes.js";
export type {
  CheckIdpMetadataOptions,
  IdpCertificate,
  IdpMetadataFinding,
  IdpMetadataReport,
  SamlServiceProviderUrlOptions,
  SamlServiceProviderUrls,
} from "./sso/index.js";
export type {
  ContractorManifest,
  ContractorMember,
  ContractorStep,
  ContractorTeamOptions,
  ContractorTeamReport,
  OffboardOptions,
  OffboardReport,
  OffboardStep,
} from "./contractor/index.js";
export type { IsolateTeamsOptions, IsolationReport, IsolationStep } from "./isolation/isolate-teams.js";
export type { MemberAccessReport, ProjectAccessEntry, ProjectAccessReport, VisibleProject, WhoCanAccessOptions } from "./who-can-access/who-can-access.js";
export type {
  AccessFinding,
  AccessFindingKind,
  AccessReviewErrorCode,
  AccessReviewOptions,
  AccessReviewReport,
  CloseAccessReviewOptions,
  CloseAccessReviewReport,
  CsvRecord,
  FileCheck,
  FileSeal,
  ReviewActor,
  ReviewDecision,
  ReviewDecisionKind,
  ReviewerMap,
  ReviewManifest,
  ReviewMembership,
  ReviewOutcome,
  ReviewOutcomeKind,
  ReviewProjectAccess,
  ReviewRails,
  ReviewSnapshot,
  ReviewSubject,
  ReviewTeam,
  ReviewTokens,
  StartAccessReviewOptions,
  StartAccessReviewReport,
  VerifyAccessReviewOptions,
  VerifyAccessReviewReport,
} from "./review/index.js";
export type { RecipeProgress, RecipeStepError } from "./shared/report.js";
export type { NowOption } from "./shared/clock.js";
export type {
  Change,
  ChangeAction,
  ChangeKind,
  ChangeProgress,
  ChangeResult,
  ExecuteOptions,
  ExecutionReport,
  RailCaller,
  RailPolicy,
  RailState,
  ReconcilePlan,
} from "./engine/index.js";
export type { FailureSummary } from "./tokens/rotation-error.js";
export type {
  MintRequest,
  MintedToken,
  RotatableTokenKind,
  RotateTokenOptions,
  RotationReport,
  RotationStep,
  RotationStepRecord,
  SuccessorSecret,
  TokenInventory,
  TokenRecord,
} from "./tokens/rotate.js";
export type { LintTokensOptions, TokenFinding, TokenFindingCode, TokenLintReport, TokenPurpose } from "./tokens/lint.js";
export type { ParsedTokenName, TokenEnvironment } from "./tokens/naming.js";
export type { AuditExportFormat, AuditExportProgress, AuditExportReport, AuditExportRow, ExportAuditLogOptions } from "./audit/export/export.js";
export type { ScimSetupCheck, ScimSetupReport } from "./sso/scim-setup.js";
export type {
  AccessApplyReport,
  AccessCapabilities,
  AccessChange,
  AccessChangeAction,
  AccessChangeKind,
  AccessConfig,
  AccessConfigIssue,
  AccessIgnore,
  AccessPlan,
  AccessPlanErrorCode,
  AccessPolicy,
  AccessReadStats,
  ApplyAccessOptions,
  BlockedChange,
  DeclaredMember,
  DeclaredMembership,
  DeclaredTeam,
  DumpAccessOptions,
  ExpiringEntry,
  IdpOwnedEntry,
  InviteLimits,
  OwnershipMode,
  PendingEntry,
  PlanAccessOptions,
  RailViolation,
  TimeBound,
  UnmanagedEntry,
} from "./access/index.js";
// Access as code, day two (recipes/access/): drift with its cause, adopt, time-bound grants.
export {
  adoptDrift,
  DEFAULT_MAX_GRANT_MS,
  describeCause,
  driftAccess,
  explainPlan,
  grantInFile,
  readAuditWindow,
  renderDriftMarkdown,
  renderDriftText,
} from "./access/index.js";
export type {
  AccessDrift,
  AdoptOptions,
  AdoptResult,
  AuditWindow,
  ChangeCause,
  DriftAccessOptions,
  DriftEntry,
  ElevatedRole,
  ExplainOptions,
  GrantInput,
  GrantResult,
} from "./access/index.js";
