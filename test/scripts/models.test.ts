import { describe, expect, it } from "vitest";
import { nameModels, splitModels } from "../../scripts/models.js";
import type { OpenApiDocument } from "../../scripts/spec-source.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ description: "OK", content: { "application/json": { schema } } });

function doc(): OpenApiDocument {
  return {
    openapi: "3.0.3",
    info: {},
    paths: {
      "/teams/{slug}/": { get: { operationId: "getTeam", responses: { 200: json(ref("GetTeam200")) } } },
      "/teams/": {
        get: { operationId: "listTeams", responses: { 200: json({ type: "array", items: ref("GetTeam200") }) } },
        post: {
          operationId: "createTeam",
          requestBody: json({ type: "object", properties: { slug: { type: "string" } } }),
          responses: { 201: json(ref("GetTeam200")) },
        },
      },
    },
    components: {
      schemas: {
        GetTeam200: { type: "object", properties: { slug: { type: "string" }, avatar: ref("GetTeam200Avatar") } },
        GetTeam200Avatar: { type: "object", properties: { avatarUrl: { type: "string" } } },
      },
    },
  };
}

describe("scripts/models nameModels", () => {
  it("renames a hoisted model schema, hoists an inline one, and aliases a second name for the same shape", () => {
    const { doc: out, aliases } = nameModels(
      doc(),
      {
        Team: { operation: "getTeam", status: 200 },
        ListedTeam: { operation: "listTeams", status: 200, item: true },
        TeamInput: { operation: "createTeam", body: true },
      },
      { GetTeam200Avatar: "Avatar" },
    );
    const schemas = out.components!.schemas as Record<string, unknown>;
    expect(Object.keys(schemas).sort()).toEqual(["Avatar", "Team", "TeamInput"]);
    expect(aliases).toEqual({ ListedTeam: "Team" });
    // Every reference follows the rename, nested ones included.
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/GetTeam200/);
    expect(schemas.Team).toEqual({ type: "object", properties: { slug: { type: "string" }, avatar: ref("Avatar") } });
    const create = out.paths["/teams/"]!.post as { requestBody: { content: Record<string, { schema: unknown }> } };
    expect(create.requestBody.content["application/json"]!.schema).toEqual(ref("TeamInput"));
    // The input document is left alone.
    expect(JSON.stringify(doc())).toMatch(/GetTeam200Avatar/);
  });

  it("uses a shape the supplement already names for an operation answering with the same fields, and refuses other fields", () => {
    const base = doc();
    (base.components!.schemas as Record<string, unknown>).Team = { type: "object", properties: { slug: { type: "string" }, avatar: ref("GetTeam200Avatar") } };
    const { doc: out } = nameModels(base, { Team: { operation: "getTeam", status: 200 } }, {});
    const get = out.paths["/teams/{slug}/"]!.get as { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
    expect(get.responses["200"]!.content["application/json"]!.schema).toEqual(ref("Team"));
    (base.components!.schemas as Record<string, unknown>).Team = { type: "object", properties: { name: { type: "string" } } };
    expect(() => nameModels(base, { Team: { operation: "getTeam", status: 200 } }, {})).toThrow(/list different fields/);
  });

  it("fails when the document no longer has an operation, an array or a nested shape the tables name", () => {
    expect(() => nameModels(doc(), { X: { operation: "nope", status: 200 } }, {})).toThrow(/no operation nope/);
    expect(() => nameModels(doc(), { X: { operation: "getTeam", status: 200, item: true } }, {})).toThrow(/not an array item/);
    expect(() => nameModels(doc(), {}, { Gone: "Avatar" })).toThrow(/no longer has a shape named Gone/);
  });
});

const GENERATED = `export interface paths {
    "/teams/": {
        get: { responses: { 200: { content: { "application/json": components["schemas"]["Team"][] } } } };
    };
}
export interface components {
    schemas: {
        /** @description A user */
        User: {
            id: string;
        } & {
            [key: string]: unknown;
        };
        Team: {
            slug: string;
            members: components["schemas"]["UserList"];
        };
        UserList: components["schemas"]["User"][];
        TeamWithToken: components["schemas"]["Team"] & {
            token: string;
        };
        Role: "admin" | "member";
        Unused: {
            x: number;
        };
    };
}
`;

describe("scripts/models splitModels", () => {
  const { openapi, models } = splitModels(GENERATED, ["Team", "TeamWithToken", "Role"], { ListedTeam: "Team" }, "// header", { Team: "A team." });

  it("writes the reached schemas as interfaces (extends for a reference), lists inline, others as aliases", () => {
    expect(models).toContain("/** A team. */\nexport interface Team {\n    slug: string;\n    members: User[];\n}");
    expect(models).toContain("/** @description A user */\nexport interface User {\n    id: string;\n    [key: string]: unknown;\n}");
    expect(models).toContain("export interface TeamWithToken extends Team {\n    token: string;\n}");
    expect(models).toContain('export type Role = "admin" | "member";');
    expect(models).toContain("export interface ListedTeam extends Team {}");
    expect(models).not.toMatch(/UserList|Unused|components\[/);
  });

  it("points openapi.ts at the moved schemas and keeps the rest", () => {
    expect(openapi.startsWith('import type * as models from "./models.js";\n')).toBe(true);
    expect(openapi).toContain("Team: models.Team;");
    expect(openapi).toContain("User: models.User;");
    expect(openapi).toContain('UserList: components["schemas"]["User"][];');
    expect(openapi).toMatch(/Unused: \{\n\s+x: number;/);
  });
});
