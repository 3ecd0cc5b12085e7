import { afterEach, describe, expect, it } from "vitest";
import { isSessionRequiredError } from "../../../src/http/errors/errors.js";
import { inferTokenPurpose, lintTokens } from "../../../src/recipes/tokens/lint.js";
import type { TokenRecord } from "../../../src/recipes/tokens/types.js";
import { parseTokenName } from "../../../src/recipes/tokens/naming.js";
import { closeClients, resourceHarness, NOW, thrown } from "../../resources/helpers.js";

afterEach(closeClients);

/** The demo org's personal and org auth tokens as a session-side listing would return them. */
function demoTokens() {
  const h = resourceHarness();
  const tokens: TokenRecord[] = h.emu.state.tokens
    .filter((t) => t.kind !== "integration" && t.name !== "emulator admin")
    .map((t) => ({ id: t.id, name: t.name, scopes: t.scopes, dateCreated: t.dateCreated, expiresAt: t.expiresAt, kind: t.kind as "user" | "org" }));
  return { ...h, tokens };
}

const codesOf = (findings: Array<{ tokenName: string; code: string }>, name: string) =>
  findings
    .filter((f) => f.tokenName === name)
    .map((f) => f.code)
    .sort();

describe("lintTokens", () => {
  it("flags the demo org's tokens by the seed's hygiene rules, each finding with a fix, without any request", async () => {
    const { sentry, tokens, emu } = demoTokens();
    const report = await lintTokens(sentry, { tokens, now: new Date(NOW) });
    const { findings } = report;
    expect(codesOf(findings, "ci-release-upload-prod")).toEqual([]);
    expect(codesOf(findings, "old token")).toEqual(["name-convention", "rotation-due"]);
    expect(codesOf(findings, "grafana-monitoring-read")).toEqual(["name-convention", "scopes-too-broad"]);
    expect(codesOf(findings, "my token")).toEqual(["name-convention", "rotation-due"]);
    expect(codesOf(findings, "onboarding-bot-prod")).toEqual(["rotation-due"]);
    expect(codesOf(findings, "expired-script")).toEqual(["expired", "name-convention"]);
    expect(findings.find((f) => f.code === "scopes-too-broad")?.message).toContain("org:read");
    expect(findings.find((f) => f.tokenName === "old token" && f.code === "name-convention")?.fix).toContain('"old-token-prod"');
    for (const finding of findings) expect(finding.fix.length).toBeGreaterThan(10);
    expect(report.summary).toMatchObject({ tokens: 7, findings: findings.length, clean: 1 });
    expect(report.summary.byCode.expired).toBe(1);
    expect(emu.state.requests).toHaveLength(0);
  });

  it("reports admin scopes held by more than two tokens on each holder", async () => {
    const { sentry } = resourceHarness();
    const admin = (id: string): TokenRecord => ({ id, name: `ops-admin-${id}-prod`, scopes: ["org:admin"], dateCreated: new Date(NOW).toISOString() });
    const two = await lintTokens(sentry, { tokens: [admin("1"), admin("2")], now: new Date(NOW) });
    expect(two.findings).toEqual([]);
    const three = await lintTokens(sentry, { tokens: [admin("1"), admin("2"), admin("3")], now: new Date(NOW) });
    expect(three.findings.map((f) => [f.code, f.tokenId])).toEqual([
      ["admin-scopes-widespread", "1"],
      ["admin-scopes-widespread", "2"],
      ["admin-scopes-widespread", "3"],
    ]);
  });

  it("measures age against maxAgeDays and treats CI tokens' needed scopes as enough", async () => {
    const { sentry } = resourceHarness();
    const created = new Date(NOW - 31 * 86_400_000).toISOString();
    const ci: TokenRecord = { id: "1", name: "ci-cd-pipeline-prod", scopes: ["project:releases", "org:read"], dateCreated: created };
    expect((await lintTokens(sentry, { tokens: [ci], now: new Date(NOW) })).findings).toEqual([]);
    expect((await lintTokens(sentry, { tokens: [ci], now: new Date(NOW), maxAgeDays: 30 })).findings.map((f) => f.code)).toEqual(["rotation-due"]);
    const wide = await lintTokens(sentry, { tokens: [{ ...ci, scopes: ["project:admin", "org:read"] }], now: new Date(NOW) });
    expect(wide.findings[0]).toMatchObject({ code: "scopes-too-broad", severity: "high" });
  });

  it("without tokens, tries the list endpoints and surfaces SessionRequiredError with its hint", async () => {
    const { sentry, emu } = resourceHarness();
    const error = await thrown(() => lintTokens(sentry));
    expect(isSessionRequiredError(error) && error.hint).toContain("Personal Tokens");
    expect(emu.state.requests).toHaveLength(0);
  });

  it("infers purposes and parses names by the documented convention", () => {
    expect(inferTokenPurpose("ci-cd-pipeline-prod")).toBe("ci");
    expect(inferTokenPurpose("grafana-monitoring-read")).toBe("monitoring");
    expect(inferTokenPurpose("release-dashboard-prod")).toBe("ci");
    expect(inferTokenPurpose("onboarding-bot-prod")).toBeUndefined();
    expect(parseTokenName("ci-cd-pipeline-prod-20261129")).toEqual({ purpose: "ci-cd-pipeline", environment: "prod", stamp: "20261129" });
    expect(parseTokenName("Grafana-prod")).toBeUndefined();
    expect(parseTokenName("prod")).toBeUndefined();
    expect(parseTokenName("deploy-eu")).toBeUndefined();
  });
});
