import { describe, expect, it } from "vitest";
import { operationTable, type OperationId } from "../../../src/generated/operations.js";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { SCOPES, expandScopes } from "../../../src/vocabulary/roles.js";
import { requiredScopes } from "../../../src/recipes/tokens/required-scopes.js";
import { METHOD_OPERATIONS, SDK_METHODS } from "../../../src/resources/method-operations.js";

/** Independent check: does this scope set let a token call every operation (any accepted scope, hierarchy on)? */
function coversAll(scopes: readonly string[], operationIds: readonly OperationId[]): boolean {
  const held = expandScopes(scopes);
  return operationIds.every((id) => {
    const accepted: readonly string[] = operationTable[id].scopes;
    return accepted.length === 0 || accepted.some((scope) => held.has(scope));
  });
}

function* subsets(items: readonly string[], size: number, start = 0, prefix: string[] = []): Generator<string[]> {
  if (prefix.length === size) {
    yield prefix;
    return;
  }
  for (let i = start; i < items.length; i += 1) yield* subsets(items, size, i + 1, [...prefix, items[i] as string]);
}

function tokenCallableOps(names: readonly string[]): OperationId[] {
  return names.flatMap((name) => METHOD_OPERATIONS[name] ?? [name as OperationId]).filter((id) => !operationTable[id].sessionOnly);
}

describe("requiredScopes", () => {
  it.each([
    [["org.teams.list"], ["org:read"]],
    [["org.teams.create"], ["team:write"]],
    [["createOrganizationTeam"], ["team:write"]],
    [["org.teams.list", "org.teams.create"], ["org:write"]],
    [
      ["org.teams.create", "org.members.invite"],
      ["member:invite", "team:write"],
    ],
    [["org.members.list", "org.members.invite"], ["member:write"]],
    [["scim.groups.list", "scim.groups.delete"], ["team:admin"]],
    [["auditLogs.list"], ["org:write"]],
    [["org.projects.addTeam", "org.projects.teams"], ["project:write"]],
  ])("plans %j as %j", (names, expected) => {
    expect(requiredScopes(names).scopes).toEqual(expected);
  });

  it("uses the hierarchy: one write scope serves an operation that lists only the read scope", () => {
    // listOrganizationForwarding accepts only org:read; createOrganizationForwarding only org:write.
    expect(operationTable.listOrganizationForwarding.scopes).toEqual(["org:read"]);
    expect(operationTable.createOrganizationForwarding.scopes).toEqual(["org:write"]);
    const plan = requiredScopes(["listOrganizationForwarding", "createOrganizationForwarding"]);
    expect(plan.scopes).toEqual(["org:write"]);
    expect(plan.perOperation.map((op) => op.chosen)).toEqual(["org:write", "org:write"]);
  });

  it("uses the hierarchy across levels: project:admin covers a read-only and an admin-only operation", () => {
    expect(requiredScopes(["Retrieve a Service Hook", "Remove a Service Hook"]).scopes).toEqual(["project:admin"]);
  });

  it("prefers lower privilege among sets of the same size", () => {
    // member:invite + team:write and member:admin + org:admin are both two scopes; the first is less privileged.
    const plan = requiredScopes(["org.members.invite", "org.teams.create"]);
    expect(plan.scopes).not.toContain("member:admin");
    expect(plan.scopes).not.toContain("org:admin");
  });

  it("explains each operation: accepted scopes and the chosen one", () => {
    const plan = requiredScopes(["org.members.addToTeam"]);
    expect(plan.perOperation).toEqual([
      { name: "org.members.addToTeam", operationId: "addOrganizationMemberTeam", acceptedScopes: ["org:read", "org:write", "team:write"], chosen: "org:read" },
      {
        name: "org.members.addToTeam",
        operationId: "updateOrganizationMemberTeam",
        acceptedScopes: [...operationTable.updateOrganizationMemberTeam.scopes],
        chosen: "org:read",
      },
    ]);
    expect(plan.scopes).toEqual(["org:read"]);
  });

  it("lists session-only names apart and plans scopes for the rest", () => {
    const plan = requiredScopes(["apiTokens.create", "org.authTokens.list", "org.teams.list"]);
    expect(plan.sessionOnly).toEqual(["apiTokens.create", "org.authTokens.list"]);
    expect(plan.scopes).toEqual(["org:read"]);
    expect(plan.perOperation.map((op) => op.operationId)).toEqual(["listOrganizationTeams"]);
  });

  it("needs no scope for operations any authenticated token may call", () => {
    const plan = requiredScopes(["apiTokens.delete", "apiTokens.rename"]);
    expect(plan.scopes).toEqual([]);
    expect(plan.perOperation).toEqual([
      { name: "apiTokens.delete", operationId: "deleteApiToken", acceptedScopes: [], chosen: null },
      { name: "apiTokens.rename", operationId: "updateApiToken", acceptedScopes: [], chosen: null },
    ]);
  });

  it("returns unknown names without throwing, and accepts a sentry. prefix", () => {
    const plan = requiredScopes(["org.team.create", "sentry.org.teams.list", "listOrganizationTeamz"]);
    expect(plan.unknown).toEqual(["org.team.create", "listOrganizationTeamz"]);
    expect(plan.scopes).toEqual(["org:read"]);
  });

  it("returns an empty plan for no names", () => {
    expect(requiredScopes([])).toEqual({ scopes: [], perOperation: [], sessionOnly: [], unknown: [] });
  });

  it("refuses input that is not an array of strings", () => {
    let caught: unknown;
    try {
      requiredScopes(["org.teams.list", 3] as unknown as string[]);
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
  });

  it.each([
    ["a team provisioning script", ["org.teams.ensure", "org.projects.addTeam", "org.members.addToTeam", "org.members.findByEmail"]],
    ["offboarding", ["scim.users.list", "scim.users.deactivate", "org.members.remove", "org.projects.removeTeam"]],
    ["an access review", ["org.members.list", "org.teams.list", "org.teams.members", "org.projects.list", "org.projects.teams", "auditLogs.list"]],
    ["every SDK method", [...SDK_METHODS]],
  ])("finds a covering set no smaller set beats (%s)", (_label, names) => {
    const plan = requiredScopes(names);
    const ops = tokenCallableOps(names);
    expect(coversAll(plan.scopes, ops)).toBe(true);
    for (const smaller of subsets(SCOPES, plan.scopes.length - 1)) {
      expect(coversAll(smaller, ops), `a smaller set covers: ${smaller.join(" ")}`).toBe(false);
    }
  });

  it("covers every token-callable operation in the table at once", () => {
    const all = Object.keys(operationTable) as OperationId[];
    const plan = requiredScopes(all);
    expect(plan.unknown).toEqual([]);
    expect(coversAll(plan.scopes, tokenCallableOps(all))).toBe(true);
    expect(plan.sessionOnly.sort()).toEqual(all.filter((id) => operationTable[id].sessionOnly).sort());
  });

  it("gives every chosen scope as one that really covers its operation", () => {
    const plan = requiredScopes([...SDK_METHODS]);
    for (const row of plan.perOperation) {
      if (row.chosen === null) {
        expect(row.acceptedScopes).toEqual([]);
        continue;
      }
      expect(plan.scopes).toContain(row.chosen);
      expect(row.acceptedScopes.some((scope) => expandScopes([row.chosen as string]).has(scope))).toBe(true);
    }
  });
});

describe("METHOD_OPERATIONS", () => {
  it("maps every method to known operations", () => {
    for (const method of SDK_METHODS) {
      const ids = METHOD_OPERATIONS[method];
      expect(ids?.length, method).toBeGreaterThan(0);
      for (const id of ids ?? []) expect(Object.hasOwn(operationTable, id), `${method} → ${id}`).toBe(true);
    }
  });

  it("covers every method of the public API in DESIGN.md", () => {
    const designMethods = {
      "org.teams": ["list", "get", "create", "update", "delete", "ensure", "members", "projects"],
      "org.members": ["list", "get", "invite", "update", "remove", "addToTeam", "removeFromTeam", "setTeamRole", "findByEmail"],
      "org.projects": ["list", "teams", "addTeam", "removeTeam"],
      "org.authTokens": ["list", "create", "get", "rename", "delete"],
      "scim.users": ["list", "get", "provision", "deactivate", "patch", "delete"],
      "scim.groups": ["list", "get", "create", "rename", "addMembers", "removeMembers", "delete"],
      apiTokens: ["list", "create", "get", "rename", "delete"],
      auditLogs: ["list"],
    };
    // Beyond DESIGN.md: whoami (the API root, which names a token's scopes), scim.users.setRole (Sentry's
    // experimental SCIM Users PUT, the IdP-managed org role) and org.members.getTeamRole (Sentry's private
    // member-team GET).
    const expected = [
      ...Object.entries(designMethods).flatMap(([ns, methods]) => methods.map((m) => `${ns}.${m}`)),
      "whoami",
      "scim.users.setRole",
      "org.members.getTeamRole",
    ];
    expect([...SDK_METHODS].sort()).toEqual(expected.sort());
  });

  it("points at the operations the brief names", () => {
    expect(METHOD_OPERATIONS["org.teams.list"]).toEqual(["listOrganizationTeams"]);
    expect(METHOD_OPERATIONS["org.members.invite"]).toEqual(["addOrganizationMember"]);
    expect(METHOD_OPERATIONS["org.projects.addTeam"]).toEqual(["addProjectTeam"]);
    expect(METHOD_OPERATIONS["scim.groups.addMembers"]).toEqual(["updateOrganizationScimV2Group"]);
    expect(METHOD_OPERATIONS["auditLogs.list"]).toEqual(["listOrganizationAuditLogs"]);
    expect(METHOD_OPERATIONS["org.teams.ensure"]).toEqual(expect.arrayContaining(["createOrganizationTeam", "getTeam"]));
  });
});
