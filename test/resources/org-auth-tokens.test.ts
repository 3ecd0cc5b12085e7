import { afterEach, describe, expect, it } from "vitest";
import { isNotFoundError, isPermissionError, isSessionRequiredError, isValidationError } from "../../src/http/errors/errors.js";
import { createOrgAuthTokensResource } from "../../src/resources/org-auth-tokens.js";
import { closeClients, resourceHarness, thrown } from "./helpers.js";

afterEach(closeClients);

const TOKENS = "/api/0/organizations/acme/org-auth-tokens";

function setup() {
  const h = resourceHarness();
  const id = h.emu.state.tokens.find((t) => t.name === "ci-release-upload-prod")?.id ?? "";
  return { ...h, id, tokens: createOrgAuthTokensResource(h.ctx) };
}

describe("org.authTokens", () => {
  it("list and create raise SessionRequiredError naming Auth Tokens, before any request", async () => {
    const { tokens, emu } = setup();
    const listed = await thrown(() => tokens.list());
    expect(isSessionRequiredError(listed) && listed.operationId).toBe("listOrganizationAuthTokens");
    const created = await thrown(() => tokens.create({ name: "release-uploads" }));
    expect(isSessionRequiredError(created)).toBe(true);
    if (!isSessionRequiredError(created)) return;
    expect(created).toMatchObject({
      operationId: "createOrganizationAuthToken",
      method: "POST",
      path: "/api/0/organizations/{organization_id_or_slug}/org-auth-tokens/",
      uiPage: "Settings > Organization > Auth Tokens",
      uiUrl: "https://sentry.test/settings/acme/auth-tokens/",
    });
    expect(created.hint).toContain("Settings > Organization > Auth Tokens");
    const blank = await thrown(() => tokens.create({ name: " " }));
    expect(isValidationError(blank) && blank.field).toBe("name");
    expect(emu.state.requests).toHaveLength(0);
  });

  it("get returns the token without its value; scopes are always org:ci", async () => {
    const { tokens, id, seen } = setup();
    const token = await tokens.get(id);
    expect(seen[0]).toEqual({ method: "GET", path: `${TOKENS}/${id}/`, query: {}, body: undefined });
    expect(token).toMatchObject({ id, name: "ci-release-upload-prod", scopes: ["org:ci"] });
    expect(token).not.toHaveProperty("token");
    expect(isNotFoundError(await thrown(() => tokens.get(99999)))).toBe(true);
  });

  it("rename sends the name (Sentry answers 204)", async () => {
    const { tokens, id, seen, emu } = setup();
    await expect(tokens.rename(id, "release-uploads (ci-2)")).resolves.toBeUndefined();
    expect(seen[0]).toEqual({ method: "PUT", path: `${TOKENS}/${id}/`, query: {}, body: { name: "release-uploads (ci-2)" } });
    expect(emu.state.tokens.find((t) => t.id === id)?.name).toBe("release-uploads (ci-2)");
    expect(isValidationError(await thrown(() => tokens.rename(id, "")))).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it("delete deactivates the token; a second delete is NotFoundError", async () => {
    const { tokens, id, seen, emu } = setup();
    await tokens.delete(id);
    expect(seen[0]).toMatchObject({ method: "DELETE", path: `${TOKENS}/${id}/` });
    expect(emu.state.tokens.find((t) => t.id === id)?.active).toBe(false);
    expect(emu.state.auditLog.at(-1)).toMatchObject({ event: "org-auth-token.remove", targetObject: Number(id) });
    expect(isNotFoundError(await thrown(() => tokens.delete(id)))).toBe(true);
  });

  it("delete without org:write is PermissionError naming org:write / org:admin", async () => {
    const { emu, clientWith, id } = setup();
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["org:read"] }) });
    const error = await thrown(() => createOrgAuthTokensResource(ctx).delete(id));
    expect(isPermissionError(error) && error.requiredScopes).toEqual(["org:admin", "org:write"]);
    expect(emu.state.tokens.find((t) => t.id === id)?.active).toBe(true);
  });

  it("refuses non-numeric ids before any request", async () => {
    const { tokens, emu } = setup();
    for (const run of [() => tokens.get("sntrys_abc"), () => tokens.rename("1 ", "x"), () => tokens.delete("")]) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field).toBe("id");
    }
    expect(emu.state.requests).toHaveLength(0);
  });
});

describe("sentry.org.authTokens (wired into the client)", () => {
  it("reads a token through the client and names the org's UI page", async () => {
    const { sentry, id, seen } = setup();
    expect((await sentry.org.authTokens.get(id)).scopes).toEqual(["org:ci"]);
    const error = await thrown(() => sentry.withOrg("globex").org.authTokens.create({ name: "x" }));
    expect(isSessionRequiredError(error) && error.uiUrl).toBe("https://sentry.test/settings/globex/auth-tokens/");
    expect(seen).toHaveLength(1);
  });
});
