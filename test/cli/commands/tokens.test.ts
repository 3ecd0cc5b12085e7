import { describe, expect, it } from "vitest";
import { tokenView } from "../../../src/cli/commands/tokens.js";
import { leaked, setupEmulator } from "./resource-setup.js";

describe("tokenView", () => {
  it("keeps metadata and drops any value field", () => {
    const record = {
      id: "7",
      name: "ci",
      scopes: ["org:read"],
      dateCreated: "2026-01-01T00:00:00Z",
      expiresAt: null,
      tokenLastCharacters: "ab12",
      token: "sntryu_deadbeef",
      refreshToken: "r",
    };
    const view = tokenView(record);
    expect(view).toEqual({ id: "7", name: "ci", scopes: ["org:read"], dateCreated: "2026-01-01T00:00:00Z", expiresAt: null, lastCharacters: "ab12" });
    expect(JSON.stringify(view)).not.toContain("sntryu_");
  });
});

describe("sentry-rbac tokens", () => {
  it("tokens list stops with exit 3 and a hint to the settings page, sending nothing", async () => {
    const { emu, run } = setupEmulator();
    const requests = emu.state.requests.length;
    const result = await run(["tokens", "list"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: .*session/im);
    expect(result.stderr).toMatch(/hint: .*Personal Tokens/i);
    expect(emu.state.requests).toHaveLength(requests);
  });

  it("gets a personal token's metadata in each format without the value", async () => {
    const { emu, run, secrets } = setupEmulator();
    const value = emu.issueToken({ kind: "user", scopes: ["org:read"], name: "deploy-bot-prod" });
    const env = { SENTRY_AUTH_TOKEN: value, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.test" };
    const mine = emu.state.tokens.find((t) => t.name === "deploy-bot-prod");
    const id = mine?.id ?? "";
    const json = await run(["tokens", "get", id, "--json"], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      id,
      name: "deploy-bot-prod",
      scopes: ["org:read"],
      dateCreated: mine?.dateCreated,
      expiresAt: null,
      lastCharacters: value.slice(-4),
    });
    const table = await run(["tokens", "get", id], { env });
    expect(table.stdout).toMatch(/^ID\s+NAME\s+SCOPES\s+CREATED\s+EXPIRES\s+ENDS IN/);
    expect(table.stdout).toMatch(/deploy-bot-prod\s+org:read\s+\S+\s+never/);
    const csv = await run(["tokens", "get", id, "--csv"], { env });
    expect(csv.stdout.split("\r\n")[0]).toBe("id,name,scopes,dateCreated,expiresAt,lastCharacters");
    for (const r of [json, table, csv]) expect(leaked(r, [...secrets, value])).toEqual([]);
    expect((await run(["tokens", "get", "999999"], { env })).code).toBe(4);
    expect((await run(["tokens", "get", "abc"], { env })).code).toBe(2);
  });

  it("renames and revokes a personal token; dry runs and refusals change nothing", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const value = emu.issueToken({ kind: "user", scopes: ["org:read"], name: "old-name" });
    const env = { SENTRY_AUTH_TOKEN: value, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.test" };
    const id = emu.state.tokens.find((t) => t.name === "old-name")?.id ?? "";
    const before = snapshot();
    const dry = await run(["tokens", "rename", id, "reports-read-prod", "--dry-run"], { env });
    expect(dry.stdout).toBe(`would send: PUT /api/0/api-tokens/${id}/ {"name":"reports-read-prod"}\n`);
    const dryDelete = await run(["tokens", "delete", id, "--dry-run", "--json"], { env });
    expect(JSON.parse(dryDelete.stdout)).toEqual({ dryRun: true, requests: [{ method: "DELETE", path: `/api/0/api-tokens/${id}/` }] });
    expect((await run(["tokens", "delete", id], { env })).code).toBe(2);
    expect(snapshot()).toBe(before);

    expect((await run(["tokens", "rename", id, "reports-read-prod"], { env })).code).toBe(0);
    expect(emu.state.tokens.find((t) => t.id === id)?.name).toBe("reports-read-prod");
    const deleted = await run(["tokens", "delete", id, "--yes"], { env: { ...env, SENTRY_AUTH_TOKEN: emu.adminToken } });
    // The admin token belongs to the first owner, and the issued token too, so the owner can revoke it.
    expect(deleted.code).toBe(0);
    expect(emu.state.tokens.find((t) => t.id === id)?.active ?? false).toBe(false);
    expect(leaked(deleted, [value, emu.adminToken])).toEqual([]);
  });

  it("tokens org get, rename and delete act on org auth tokens", async () => {
    const { emu, run, snapshot, secrets } = setupEmulator();
    const ci = emu.state.tokens.find((t) => t.kind === "org" && t.name === "test");
    const id = ci?.id ?? "";
    const got = await run(["tokens", "org", "get", id, "--json"]);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ id, name: "test", scopes: ["org:ci"] });
    expect(leaked(got, secrets)).toEqual([]);

    const before = snapshot();
    const dry = await run(["tokens", "org", "rename", id, "ci-sourcemaps-prod", "--dry-run"]);
    expect(dry.stdout).toBe(`would send: PUT /api/0/organizations/acme/org-auth-tokens/${id}/ {"name":"ci-sourcemaps-prod"}\n`);
    expect((await run(["tokens", "org", "delete", id, "--dry-run"])).code).toBe(0);
    const declined = await run(["tokens", "org", "delete", id], { stdinTTY: true, answers: ["no"] });
    expect(declined.code).toBe(1);
    expect(declined.io.prompts[0]).toContain(`Revoke org auth token ${id}?`);
    expect(snapshot()).toBe(before);

    expect((await run(["tokens", "org", "rename", id, "ci-sourcemaps-prod"])).code).toBe(0);
    expect(emu.state.tokens.find((t) => t.id === id)?.name).toBe("ci-sourcemaps-prod");
    expect((await run(["tokens", "org", "delete", id, "--yes"])).code).toBe(0);
    expect(emu.state.tokens.find((t) => t.id === id)?.active ?? false).toBe(false);
    expect((await run(["tokens", "org", "get", "999999"])).code).toBe(4);
  });

  it("has lint and rotate attached", async () => {
    const { run } = setupEmulator();
    const help = await run(["tokens", "--help"]);
    expect(help.stdout).toMatch(/\n\s+lint \[options\]/);
    expect(help.stdout).toMatch(/\n\s+rotate \[options\]/);
    expect(help.stdout).toMatch(/\n\s+org\s/);
  });
});
