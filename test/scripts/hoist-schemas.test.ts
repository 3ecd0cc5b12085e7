import { describe, expect, it } from "vitest";
import { hoistSchemas } from "../../scripts/hoist-schemas.js";
import type { OpenApiDocument } from "../../scripts/spec-source.js";

const avatar = {
  type: "object",
  properties: { avatarType: { type: "string" }, avatarUuid: { type: "string", nullable: true }, avatarUrl: { type: "string" } },
};
const team = { type: "object", required: ["id", "slug"], properties: { id: { type: "string" }, slug: { type: "string" }, name: { type: "string" }, avatar } };
const json = (schema: unknown) => ({ description: "OK", content: { "application/json": { schema } } });
const forbidden = { description: "Forbidden" };

function doc(): OpenApiDocument {
  return {
    openapi: "3.0.3",
    info: {},
    paths: {
      "/teams/{slug}/": {
        get: { operationId: "getTeam", responses: { 200: json(team), 403: forbidden } },
        put: { operationId: "updateTeam", responses: { 200: json(team), 403: forbidden, 404: { description: "Gone" } } },
      },
      "/teams/": {
        // The same team, written with another key order, is the same shape.
        get: {
          operationId: "listTeams",
          responses: { 200: json({ type: "array", items: { properties: team.properties, required: team.required, type: "object" } }) },
        },
      },
    },
    components: { schemas: { GetTeam200: { type: "string" } } },
  };
}

describe("scripts/hoist-schemas", () => {
  it("stores a repeated shape once, named after its first use, and refers to it everywhere", () => {
    const out = hoistSchemas(doc());
    const schemas = out.components?.schemas as Record<string, unknown>;
    // The supplement's own name is kept and not reused.
    expect(schemas.GetTeam200).toEqual({ type: "string" });
    expect(schemas.GetTeam2002).toEqual({ ...team, properties: { ...team.properties, avatar: { $ref: "#/components/schemas/GetTeam200Avatar" } } });
    expect(schemas.GetTeam200Avatar).toEqual(avatar);
    const ops = out.paths["/teams/{slug}/"] as Record<string, { responses: Record<string, unknown> }>;
    expect(ops.get!.responses["200"]).toEqual({ $ref: "#/components/responses/GetTeam200" });
    expect(out.components?.responses).toMatchObject({
      GetTeam200: json({ $ref: "#/components/schemas/GetTeam2002" }),
      GetTeam403: forbidden,
    });
    const list = out.paths["/teams/"] as Record<string, { responses: Record<string, unknown> }>;
    expect(list.get!.responses["200"]).toEqual(json({ type: "array", items: { $ref: "#/components/schemas/GetTeam2002" } }));
  });

  it("leaves a response used once inline and does not change its input", () => {
    const input = doc();
    const before = JSON.stringify(input);
    const out = hoistSchemas(input);
    const ops = out.paths["/teams/{slug}/"] as Record<string, { responses: Record<string, unknown> }>;
    expect(ops.put!.responses["404"]).toEqual({ description: "Gone" });
    expect(out.components?.responses).not.toHaveProperty("UpdateTeam404");
    expect(JSON.stringify(input)).toBe(before);
  });
});
