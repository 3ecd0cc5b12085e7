/**
 * Matches a request to an operation of the generated operation table and runs Sentry's permission
 * stages before the route: 401 (credentials), token scopes (403), organization lookup (404),
 * effective role-bounded scopes (403), SCIM enablement (403).
 */
import { operationTable } from "../generated/operations.js";
import { type AccessContext, hasAnyProjectScope, hasProjectAccess, hasTeamScope } from "./access.js";
import { actingMember, authenticate, type Caller, effectiveScopes, hasAny } from "./auth.js";
import { writeAudit } from "./audit.js";
import { AnswerError, detail, type EmuAnswer, type EmuRequest, NO_CREDENTIALS, NO_PERMISSION, NOT_FOUND } from "./http.js";
import { clearExpiredInvites, findProject, findTeam, type Member, type Org, type World } from "./model.js";
import type { RateLimiter } from "./rate-limit.js";

export interface RouteContext {
  req: EmuRequest;
  params: Record<string, string>;
  world: World;
  caller: Caller;
  /** Effective scopes in `org` (or the token's scopes on routes without an org). */
  scopes: Set<string>;
  /** Set on organization routes. */
  org: Org;
  /** The member a user token acts as, if any. */
  member: Member | undefined;
  now: number;
  limiter: RateLimiter | null;
  audit(event: string, target: { targetObject: number | null; targetUserId?: number | null; data: Record<string, unknown> }): void;
}

export type RouteHandler = (ctx: RouteContext) => EmuAnswer | Promise<EmuAnswer>;

export interface RouteSpec {
  operationId: string;
  handler: RouteHandler;
  /**
   * Routes Sentry serves without permission classes (the API root): a request without credentials is answered
   * by this handler with no caller; one with credentials is still authenticated first (a bad token is 401).
   */
  anonymous?: (req: EmuRequest, world: World, caller: Caller | undefined) => EmuAnswer;
  /**
   * The object permission stage of the endpoint's permission class, after the org-level scope check:
   * - `"team"` (src/sentry/api/bases/team.py `TeamPermission`): an org-level scope suffices; otherwise the
   *   caller's team role on the team must carry one (a Team Admin editing their own team);
   * - `"project"` (src/sentry/api/bases/project.py `ProjectPermission`): an org-level scope plus access to
   *   the project; otherwise a team role scope on one of the project's teams.
   * An unknown team or project passes here, so the route answers 404 as Sentry's `convert_args` does first.
   */
  object?: "team" | "project";
  /**
   * A method the endpoint defines (so Sentry runs `convert_args` and the object permission) but its permission
   * class maps to no scope: answered 403 after authentication and the org lookup, never 405. The route reuses the
   * path of `operationId`.
   */
  refusedMethod?: string;
}

interface CompiledRoute extends RouteSpec {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  sessionOnly: boolean;
  scopes: readonly string[];
  isScim: boolean;
}

type TableEntry = { method: string; path: string; scopes: readonly string[]; sessionOnly: boolean };
const TABLE = operationTable as unknown as Record<string, TableEntry>;

function compile(spec: RouteSpec): CompiledRoute {
  const entry = TABLE[spec.operationId];
  if (!entry) throw new Error(`operation ${spec.operationId} is not in the generated operation table`);
  const isScim = entry.path.includes("/scim/v2/");
  const names: string[] = [];
  const source = entry.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    // SCIM routes only match numeric ids (facts §6, §10).
    return isScim && name !== "organization_id_or_slug" ? "(\\d+)" : "([^/]+)";
  });
  return {
    ...spec,
    method: spec.refusedMethod ?? entry.method,
    template: entry.path,
    pattern: new RegExp(`^${source}$`),
    names,
    sessionOnly: entry.sessionOnly,
    scopes: entry.scopes,
    isScim,
  };
}

function objectPermitted(route: CompiledRoute, access: AccessContext, params: Record<string, string>): boolean {
  const orgLevel = hasAny(access.scopes, route.scopes);
  if (route.object === "team") {
    const team = findTeam(access.org, params.team_id_or_slug ?? "");
    // Every scope passes through `has_team_scope`, which first needs team access: an org-level scope alone is not
    // enough for a non-global role outside the team in a closed org (test_team_details.py
    // test_admin_without_team_membership), while a Team Admin's team role is (test_member_with_team_role).
    return !team || route.scopes.some((scope) => hasTeamScope(access, team, scope));
  }
  if (route.object === "project") {
    const project = findProject(access.org, params.project_id_or_slug ?? "");
    if (!project) return true;
    return (orgLevel && hasProjectAccess(access, project)) || hasAnyProjectScope(access, project, route.scopes);
  }
  return orgLevel;
}

export interface Match {
  route: CompiledRoute;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(specs: RouteSpec[]) {
    this.routes = specs.map(compile);
  }

  /** The matching route, or an answer (404 unknown path, 405 wrong method). */
  match(method: string, path: string): Match | EmuAnswer {
    const byPath = this.routes
      .map((route) => ({ route, m: route.pattern.exec(path) }))
      .filter((x): x is { route: CompiledRoute; m: RegExpExecArray } => x.m !== null);
    if (byPath.length === 0) return detail(404, NOT_FOUND);
    const hit = byPath.find((x) => x.route.method === method);
    if (!hit) {
      const allow = [...new Set(byPath.map((x) => x.route.method))].join(", ");
      return { status: 405, body: { detail: `Method "${method}" not allowed.` }, headers: { Allow: allow } };
    }
    const params: Record<string, string> = {};
    hit.route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(hit.m[i + 1] ?? "");
    });
    return { route: hit.route, params };
  }

  async run(match: Match, req: EmuRequest, world: World, now: number, limiter: RateLimiter | null): Promise<EmuAnswer> {
    const { route, params } = match;
    try {
      // Session-only endpoints ignore bearer tokens (SessionNoAuthTokenAuthentication): unauthenticated.
      if (route.sessionOnly) return detail(401, NO_CREDENTIALS);
      if (route.anonymous) {
        const authorization = req.headers.get("authorization");
        return route.anonymous(req, world, authorization ? authenticate(world, authorization, now) : undefined);
      }
      const caller = authenticate(world, req.headers.get("authorization"), now);
      // SCIM has no token rule of its own (scim/utils.py OrganizationSCIMPermission): an org auth token
      // (org:ci only) fails the scope check below with 403, as anywhere else — not the seed's 401.
      if (!route.refusedMethod && route.scopes.length > 0 && !hasAny(caller.tokenScopes, route.scopes)) return detail(403, NO_PERMISSION);
      const orgParam = params.organization_id_or_slug;
      let org: Org | undefined;
      let scopes = caller.tokenScopes;
      let member: Member | undefined;
      if (orgParam !== undefined) {
        org = world.findOrg(orgParam);
        if (!org) return detail(404, NOT_FOUND);
        clearExpiredInvites(org, now);
        scopes = effectiveScopes(caller, world, org);
        member = actingMember(caller, world, org);
        if (caller.token.kind === "user" && !member) return detail(403, NO_PERMISSION);
        if (caller.token.kind !== "user" && caller.token.orgId !== org.id) return detail(403, NO_PERMISSION);
        if (route.refusedMethod) return detail(403, NO_PERMISSION);
        if (route.scopes.length > 0 && !objectPermitted(route, { caller, org, member, scopes }, params)) return detail(403, NO_PERMISSION);
        if (route.isScim && !org.authProvider?.scimEnabled) return detail(403, NO_PERMISSION);
      }
      const targetOrg = org;
      const ctx: RouteContext = {
        req,
        params,
        world,
        caller,
        scopes,
        member,
        now,
        limiter,
        org: targetOrg as Org,
        audit: (event, target) => {
          if (!targetOrg) return;
          const user = caller.token.userId !== null ? world.users.get(caller.token.userId) : undefined;
          writeAudit(
            world,
            targetOrg,
            {
              event,
              actorUserId: user?.id ?? null,
              actorLabel: user?.name ?? caller.token.label,
              ipAddress: req.ip,
              targetObject: target.targetObject,
              targetUserId: target.targetUserId ?? null,
              data: target.data,
            },
            now,
          );
        },
      };
      return await route.handler(ctx);
    } catch (error) {
      if (error instanceof AnswerError) return error.answer;
      throw error;
    }
  }
}
