import { describe, expect, it } from "vitest";
import { requiredScopes } from "../../../src/recipes/tokens/required-scopes.js";
import { runWith } from "../helpers.js";

describe("sentry-rbac scopes", () => {
  it("prints the scope set, then a table of what grants each call", async () => {
    const { code, stdout, stderr } = await runWith(["scopes", "org.teams.create", "org.members.invite"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const expected = requiredScopes(["org.teams.create", "org.members.invite"]);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(`scopes: ${expected.scopes.join(" ")}`);
    expect(lines[2]).toMatch(/^METHOD\s+OPERATION\s+GRANTED BY\s+ACCEPTS ANY OF$/);
    expect(lines[3]).toMatch(/^org\.teams\.create\s+createOrganizationTeam\s+team:write\s+/);
  });

  it("prints the whole plan with --json", async () => {
    const { code, stdout } = await runWith(["scopes", "createOrganizationTeam", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(requiredScopes(["createOrganizationTeam"]));
  });

  it("prints one operation per line with --ndjson and per record with --csv", async () => {
    const ndjson = await runWith(["--ndjson", "scopes", "org.teams.create", "org.members.invite"]);
    const rows = ndjson.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { operationId: string });
    expect(rows.map((row) => row.operationId)).toEqual(["createOrganizationTeam", "addOrganizationMember"]);

    const csv = await runWith(["scopes", "org.teams.create", "--csv"]);
    expect(csv.stdout).toBe(
      "name,operationId,chosen,acceptedScopes\r\n" +
        `org.teams.create,createOrganizationTeam,team:write,"${requiredScopes(["org.teams.create"]).perOperation[0]?.acceptedScopes.join(", ")}"\r\n`,
    );
  });

  it("exits 2 naming every unknown method, and prints no plan", async () => {
    const { code, stdout, stderr } = await runWith(["scopes", "org.teams.create", "org.teams.explode", "nopeOperation"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("error: unknown method or operation: org.teams.explode, nopeOperation");
    expect(stderr).toMatch(/^hint: /m);
  });

  it("notes on stderr the calls no token can make", async () => {
    const { code, stdout, stderr } = await runWith(["scopes", "apiTokens.create", "--json"]);
    expect(requiredScopes(["apiTokens.create"]).sessionOnly).toEqual(["apiTokens.create"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ sessionOnly: ["apiTokens.create"] });
    expect(stderr).toContain("apiTokens.create need a signed-in browser session");
  });

  it("exits 2 without methods", async () => {
    const { code, stderr } = await runWith(["scopes"]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'methods'");
  });
});
