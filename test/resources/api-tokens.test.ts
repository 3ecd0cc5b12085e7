import { afterEach, describe, expect, it } from "vitest";
import {
  isNotFoundError,
  isPermissionError,
  isSentryError,
  isSessionRequiredError,
  isValidationError,
  SessionRequiredError,
} from "../../src/http/errors/errors.js";
import { createApiTokensResource } from "../../src/resources/api-tokens.js";
import { closeClients, resourceHarness, thrown } from "./helpers.js";

afterEach(closeClients);

/** A client acting with a fresh personal token of the org's first owner, and that token's id. */
function withPersonalToken(name = "rotation-test") {
  const h = resourceHarness();
  const value = h.emu.issueToken({ scopes: ["org:read"], name });
  const id = h.emu.state.tokens.find((t) => t.name === name)?.id ?? "";
  const { ctx } = h.clientWith({ token: value });
  return { ...h, id, value, tokens: createApiTokensResource(ctx) };
}

describe("apiTokens", () => {
  it("list raises SessionRequiredError naming Personal Tokens, before any request", async () => {
    const { emu, ctx } = resourceHarness();
    const error = await thrown(() => createApiTokensResource(ctx).list());
    expect(isSessionRequiredError(error)).toBe(true);
    expect(error).toBeInstanceOf(SessionRequiredError);
    if (!isSessionRequiredError(error)) return;
    expect(error).toMatchObject({ kind: "session-required", operationId: "listApiTokens", method: "GET", path: "/api/0/api-tokens/" });
    expect(error.hint).toContain("Settings > Account > Personal Tokens");
    expect(error.uiUrl).toBe("https://sentry.test/settings/account/api/auth-tokens/");
    expect(error.message).toMatch(/browser session/);
    expect(emu.state.requests).toHaveLength(0);
  });

  it("create checks its input, then raises SessionRequiredError, never sending anything", async () => {
    const { emu, ctx } = resourceHarness();
    const tokens = createApiTokensResource(ctx);
    const error = await thrown(() => tokens.create({ name: "ci-deploy", scopes: ["project:releases", "org:read"] }));
    expect(isSessionRequiredError(error) && error.operationId).toBe("createApiToken");
    expect(isSentryError(error) && error.message).not.toContain(emu.adminToken);
    const cases: Array<[() => unknown, string]> = [
      // @ts-expect-error not a Sentry scope
      [() => tokens.create({ name: "x", scopes: ["org:superuser"] }), "scopes"],
      [() => tokens.create({ name: "x", scopes: [] }), "scopes"],
      [() => tokens.create({ name: "", scopes: ["org:read"] }), "name"],
      [() => tokens.create({ name: "x", scopes: ["org:read"], expiresAt: "next tuesday" }), "expiresAt"],
    ];
    for (const [run, field] of cases) {
      const bad = await thrown(run);
      expect(isValidationError(bad) && bad.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  it("get reads one of the caller's own tokens without its value", async () => {
    const { tokens, id, seen } = withPersonalToken();
    const token = await tokens.get(id);
    expect(seen[0]).toEqual({ method: "GET", path: `/api/0/api-tokens/${id}/`, query: {}, body: undefined });
    expect(token).toMatchObject({ id, name: "rotation-test", scopes: ["org:read"], application: null });
    expect(token).not.toHaveProperty("token");
    expect(token.tokenLastCharacters).toHaveLength(4);
  });

  it("get of another user's token is NotFoundError", async () => {
    const { tokens, emu } = withPersonalToken();
    const foreign = emu.state.tokens.find((t) => t.name === "onboarding-bot-prod")?.id ?? "";
    const error = await thrown(() => tokens.get(foreign));
    expect(isNotFoundError(error) && error.detail).toBe("Invalid token ID");
  });

  it("rename sends only the name and returns the renamed token", async () => {
    const { tokens, id, seen, emu } = withPersonalToken();
    const token = await tokens.rename(id, "rotation-test (old)");
    expect(seen[0]).toEqual({ method: "PUT", path: `/api/0/api-tokens/${id}/`, query: {}, body: { name: "rotation-test (old)" } });
    expect(token.name).toBe("rotation-test (old)");
    expect(emu.state.tokens.find((t) => t.id === id)?.name).toBe("rotation-test (old)");
    const bad = await thrown(() => tokens.rename(id, "x".repeat(256)));
    expect(isValidationError(bad) && bad.field).toBe("name");
    expect(seen).toHaveLength(1);
  });

  it("delete revokes the token; afterwards it is NotFoundError", async () => {
    const h = withPersonalToken("to-revoke");
    const other = h.emu.issueToken({ scopes: ["org:read"], name: "survivor" });
    const { ctx } = h.clientWith({ token: other });
    const survivor = createApiTokensResource(ctx);
    await survivor.delete(h.id);
    expect(h.seen.at(-1)).toMatchObject({ method: "DELETE", path: `/api/0/api-tokens/${h.id}/` });
    expect(h.emu.state.tokens.find((t) => t.id === h.id)?.active).toBe(false);
    expect(isNotFoundError(await thrown(() => survivor.delete(h.id)))).toBe(true);
  });

  it("an org auth token may not manage personal tokens (403)", async () => {
    const { emu, clientWith } = resourceHarness();
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["org:ci"], kind: "org" }) });
    const error = await thrown(() => createApiTokensResource(ctx).get(1));
    expect(isPermissionError(error) && error.status).toBe(403);
  });

  it("refuses non-numeric ids before any request", async () => {
    const { tokens, emu } = withPersonalToken();
    for (const run of [() => tokens.get("abc"), () => tokens.rename("../1", "x"), () => tokens.delete(0)]) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field).toBe("id");
    }
    expect(emu.state.requests).toHaveLength(0);
  });
});

describe("sentry.apiTokens (wired into the client)", () => {
  it("refuses list/create with SessionRequiredError and renames through the client", async () => {
    const h = resourceHarness();
    const value = h.emu.issueToken({ scopes: ["org:read"], name: "wired" });
    const id = h.emu.state.tokens.find((t) => t.name === "wired")?.id ?? "";
    const { sentry } = h.clientWith({ token: value });
    expect(isSessionRequiredError(await thrown(() => sentry.apiTokens.list().toArray()))).toBe(true);
    expect(isSessionRequiredError(await thrown(() => sentry.apiTokens.create({ name: "n", scopes: ["org:read"] })))).toBe(true);
    expect((await sentry.apiTokens.rename(id, "wired-2")).name).toBe("wired-2");
    expect(h.seen.map((r) => r.method)).toEqual(["PUT"]);
  });
});
