// Who can access what: the effective access of a member or a project (who-can-access.ts), computed from Sentry's
// role and scope rules (effective-access.ts, pure).
export { effectiveAccess, whoCanAccess } from "./who-can-access.js";
export { canSeeProject, computeEffectiveAccess, projectScopes } from "./effective-access.js";
export type { MemberAccessReport, ProjectAccessEntry, ProjectAccessReport, VisibleProject, WhoCanAccessOptions } from "./who-can-access.js";
export type {
  AccessGrant,
  EffectiveAccess,
  EffectiveAccessOptions,
  EffectiveTeamMembership,
  MemberRoles,
  ProjectAccessReason,
  ProjectVisibility,
} from "./effective-access.js";
