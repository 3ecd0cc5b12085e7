// The public role lookups: the vocabulary's (src/vocabulary/roles.ts), refusing an id Sentry does not have with a
// ValidationError naming the field, as every other input check does.
import { ValidationError } from "../http/errors/errors.js";
import {
  findOrgRole,
  findTeamRole,
  minimumTeamRole as floorOf,
  ORG_ROLES,
  type OrgRole,
  type OrgRoleDefinition,
  type TeamRole,
  type TeamRoleDefinition,
} from "../vocabulary/roles.js";

/**
 * The definition of an organization role.
 * @example orgRoleDefinition("manager").isGlobal // true
 * @throws {ValidationError} for an unknown role id (field `orgRole`).
 */
export function orgRoleDefinition(role: OrgRole): OrgRoleDefinition {
  const found = findOrgRole(role);
  if (!found) throw ValidationError.forInput("orgRole", `unknown org role ${JSON.stringify(role)}; expected one of ${ORG_ROLES.map((r) => r.id).join(", ")}`);
  return found;
}

/**
 * The definition of a team role.
 * @example teamRoleDefinition("admin").name // "Team Admin"
 * @throws {ValidationError} for an unknown role id (field `teamRole`).
 */
export function teamRoleDefinition(role: TeamRole): TeamRoleDefinition {
  const found = findTeamRole(role);
  if (!found) throw ValidationError.forInput("teamRole", `unknown team role ${JSON.stringify(role)}; expected contributor or admin`);
  return found;
}

/**
 * The team role a member holds on every team at least, given their org role (Sentry's minimum-team-role map).
 * @example minimumTeamRole("manager") // "admin"
 * @throws {ValidationError} for an unknown org role (field `orgRole`).
 */
export function minimumTeamRole(orgRole: OrgRole): TeamRole {
  return floorOf(orgRoleDefinition(orgRole).id);
}
