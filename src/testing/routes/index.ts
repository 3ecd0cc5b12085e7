/**
 * Every route the emulator serves, by operationId of the generated operation table.
 */
import type { RouteSpec } from "../router.js";
import { auditRoutes } from "./audit-logs.js";
import { memberTeamRoutes } from "./member-teams.js";
import { memberRoutes } from "./members.js";
import { projectRoutes } from "./projects.js";
import { scimGroupRoutes } from "./scim-groups.js";
import { scimUserRoutes } from "./scim-users.js";
import { teamRoutes } from "./teams.js";
import { tokenRoutes } from "./tokens.js";

export const allRoutes: RouteSpec[] = [
  ...teamRoutes,
  ...memberRoutes,
  ...memberTeamRoutes,
  ...projectRoutes,
  ...scimUserRoutes,
  ...scimGroupRoutes,
  ...tokenRoutes,
  ...auditRoutes,
];
