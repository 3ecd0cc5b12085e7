import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, mergeSupplement, operationTable } from "../../scripts/generate.js";
import { loadSpec, loadSpecBytes, type OpenApiDocument } from "../../scripts/spec-source.js";
import { writeFileSync } from "node:fs";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("scripts/generate", () => {
  it("produces byte-identical output from the same inputs", async () => {
    const a = mkdtempSync(join(tmpdir(), "gen-a-"));
    const b = mkdtempSync(join(tmpdir(), "gen-b-"));
    dirs.push(a, b);
    await generate(a);
    await generate(b);
    for (const file of ["openapi.ts", "models.ts", "operations.ts"]) {
      expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file))), file).toBe(true);
    }
  });

  it("adds the supplement's operations with their scopes to the operation table", async () => {
    const { operationTable: table } = await import("../../src/generated/operations.js");
    expect(table.listOrganizationAuditLogs).toEqual({
      method: "GET",
      path: "/api/0/organizations/{organization_id_or_slug}/audit-logs/",
      scopes: ["org:write"],
      sessionOnly: false,
    });
    expect(table.createApiToken.sessionOnly).toBe(true);
    expect(table.createOrganizationTeam.scopes).toEqual(["org:admin", "org:write", "team:write"]);
    expect(table.getOrganizationScimV2Group.path).toBe("/api/0/organizations/{organization_id_or_slug}/scim/v2/Groups/{team_id_or_slug}");
  });

  it("refuses a supplement path that the official document already describes", async () => {
    const official = await loadSpec();
    const clash: OpenApiDocument = {
      openapi: "3.0.3",
      info: {},
      paths: { "/api/0/organizations/{organization_id_or_slug}/teams/": {} },
    };
    expect(() => mergeSupplement(official, clash)).toThrow(/official document now has/);
  });

  it("adds a method the official document leaves out of a path it has, and refuses one it describes", async () => {
    const official = await loadSpec();
    const users = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Users/{member_id}";
    const put = { operationId: "replaceX", responses: {} };
    const merged = mergeSupplement(official, { openapi: "3.0.3", info: {}, paths: { [users]: { put } } });
    expect(merged.paths[users]?.put).toEqual(put);
    expect(merged.paths[users]?.patch).toBe(official.paths[users]?.patch);
    const clash: OpenApiDocument = { openapi: "3.0.3", info: {}, paths: { [users]: { patch: put } } };
    expect(() => mergeSupplement(official, clash)).toThrow(/describes PATCH .*official document now has/);
  });

  it("rejects a spec whose sha256 is not the pinned one, and a missing override path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gen-bad-"));
    dirs.push(dir);
    const bad = join(dir, "spec.json");
    writeFileSync(bad, "{}");
    await expect(loadSpecBytes({ SENTRY_OPENAPI_SPEC: bad })).rejects.toThrow(/has sha256 .* expected b71216654e44/);
    await expect(loadSpecBytes({ SENTRY_OPENAPI_SPEC: join(dir, "absent.json") })).rejects.toThrow(/does not exist/);
  });

  it("unions the scopes of every security requirement and sorts them", () => {
    const doc: OpenApiDocument = {
      openapi: "3.0.3",
      info: {},
      paths: {
        "/x/": {
          get: { operationId: "getX", security: [{ auth_token: ["team:write"] }, { auth_token: ["org:read", "team:write"] }] },
        },
      },
    };
    expect(operationTable(doc)).toEqual({
      getX: { method: "GET", path: "/x/", scopes: ["org:read", "team:write"], sessionOnly: false },
    });
  });
});
