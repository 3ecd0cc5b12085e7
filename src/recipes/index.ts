/**
 * `sentry-rbac/recipes`: the operator workflows, as plain functions over a client (client first, options second),
 * plus pure helpers that take no client. Also re-exported from the package root.
 *
 * Deliberately left out: the XML reader behind checkIdpMetadata (idp-xml.ts), an implementation detail.
 *
 * @module sentry-rbac/recipes
 */
// Roles and scopes, from Sentry's role definitions.
export {
  ORG_ROLES,
  SCOPES,
  SCOPE_HIERARCHY,
  TEAM_ROLES,
  expandScopes,
  isOrgRole,
  isScope,
  isTeamRole,
  minimumTeamRole,
  orgRoleDefinition,
  teamRoleDefinition,
} from "./roles.js";
export { canSeeProject, computeEffectiveAccess, projectScopes } from "./effective-access.js";
export { requiredScopes } from "./scopes.js";
export { SAML_ATTRIBUTES, checkIdpMetadata, samlServiceProviderUrls } from "./sso.js";

// Workflows over a client.
export { createContractorTeam, offboardContractors } from "./contractor-team.js";
export { isolateTeams, teamNameFromSlug } from "./isolate-teams.js";
export { effectiveAccess, whoCanAccess } from "./access.js";
export { accessReview } from "./access-review.js";
export { TokenRotationError, isTokenRotationError, rotateToken } from "./rotate-token.js";
export { PURPOSE_SCOPES, inferTokenPurpose, lintTokens } from "./lint-tokens.js";
export { TOKEN_ENVIRONMENTS, parseTokenName } from "./token-naming.js";
export { AUDIT_EXPORT_COLUMNS, AuditExportError, csvField, exportAuditLog, isAuditExportError } from "./audit-export.js";
export { checkScimSetup } from "./scim-setup.js";
export {
  AuditLeaseLostError, AuditSinkError, DEFAULT_AUDIT_RULES, connectAuditRedis, createAuditDetector, detectAuditAlerts,
  fileCheckpoint, fileSink, followAuditFleet, httpSink, memoryCheckpoint, parseAuditRules, redisCheckpoint, redisLease,
  resolveAuditRules, streamSink, tailAuditLog, toEcs, toOcsf,
} from "./audit-stream/index.js";
// Access as code (recipes/access/): parse, dump, plan, apply.
export {
  AccessPlanError,
  accessConfigSchema,
  applyAccessPlan,
  describeChange,
  dumpAccess,
  formatAccessConfig,
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
  ImportTerraformOptions, TerraformDrift, TerraformImport, TerraformPitfall, TerraformPitfallCode, TerraformSentryType,
} from "./terraform/index.js";

export type {
  AuditAlert, AuditCheckpoint, AuditCheckpointStore, AuditCondition, AuditDetector, AuditDetectorState, AuditFleetOptions,
  AuditFleetReport, AuditFormatOptions, AuditLease, AuditRedis, AuditRule, AuditRuleSet, AuditScalar, AuditSeverity, AuditSink,
  AuditSinkSpec, AuditStreamFormat, AuditTailProgress, AuditTailReport, AuditThreshold, EcsEvent, HttpSinkOptions, OcsfEvent,
  OcsfUser, TailAuditLogOptions,
} from "./audit-stream/index.js";
export type { OrgRole, OrgRoleDefinition, Scope, TeamRole, TeamRoleDefinition } from "./roles.js";
export type {
  AccessGrant,
  EffectiveAccess,
  EffectiveAccessOptions,
  EffectiveTeamMembership,
  MemberRoles,
  ProjectAccessReason,
  ProjectVisibility,
} from "./effective-access.js";
export type { ScopePlan } from "./scopes.js";
export type {
  CheckIdpMetadataOptions,
  IdpCertificate,
  IdpMetadataFinding,
  IdpMetadataReport,
  SamlServiceProviderUrlOptions,
  SamlServiceProviderUrls,
} from "./sso.js";
export type {
  ContractorManifest,
  ContractorMember,
  ContractorStep,
  ContractorTeamOptions,
  ContractorTeamReport,
  OffboardOptions,
  OffboardReport,
  OffboardStep,
} from "./contractor-team.js";
export type { IsolateTeamsOptions, IsolationReport, IsolationStep } from "./isolate-teams.js";
export type { MemberAccessReport, ProjectAccessEntry, ProjectAccessReport, VisibleProject, WhoCanAccessOptions } from "./access.js";
export type { AccessFinding, AccessFindingKind, AccessReviewOptions, AccessReviewReport } from "./access-review.js";
export type { NowOption, RecipeProgress, RecipeStepError } from "./recipe-report.js";
export type { FailureSummary } from "./rotate-token-support.js";
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
} from "./rotate-token.js";
export type { LintTokensOptions, TokenFinding, TokenFindingCode, TokenLintReport, TokenPurpose } from "./lint-tokens.js";
export type { ParsedTokenName, TokenEnvironment } from "./token-naming.js";
export type { AuditExportFormat, AuditExportProgress, AuditExportReport, AuditExportRow, ExportAuditLogOptions } from "./audit-export.js";
export type { ScimSetupCheck, ScimSetupReport } from "./scim-setup.js";
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
