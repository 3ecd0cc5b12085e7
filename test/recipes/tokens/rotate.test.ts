import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { isSessionRequiredError, isValidationError } from "../../../src/http/errors/errors.js";
import { isTokenRotationError, rotateToken, type RotateTokenOptions, type RotationStepRecord } from "../../../src/recipes/tokens/rotate.js";
import type { EmulatorOptions, FaultSpec } from "../../../src/testing/index.js";
import { closeClients, resourceHarness, NOW, thrown } from "../../resources/helpers.js";

afterEach(closeClients);

type Kind = "user" | "org";

/** An emulator with a current token to rotate, a minting step standing in for the browser session, and probes. */
function setup(kind: Kind, faults?: FaultSpec, emulator: EmulatorOptions = {}) {
  const h = resourceHarness({ ...emulator, ...(faults ? { faults } : {}) });
  const name = kind === "user" ? "ci-cd-pipeline-prod" : "ci-release-upload-prod";
  if (kind === "user") h.emu.issueToken({ kind: "user", name, scopes: ["project:releases", "org:read"] });
  const currentId = h.emu.state.tokens.find((t) => t.kind === kind && t.name === name && t.active)?.id ?? "";
  const values: string[] = [];
  const published: string[] = [];
  const mint: NonNullable<RotateTokenOptions["mint"]> = async (request) => {
    const before = new Set(h.emu.state.tokens.map((t) => t.id));
    const token = h.emu.issueToken({ kind, name: request.name, scopes: [...request.scopes] });
    values.push(token);
    const id = h.emu.state.tokens.find((t) => !before.has(t.id))?.id ?? "";
    return { id, token };
  };
  const inventory = async () => h.emu.state.tokens.filter((t) => t.kind === kind && t.active).map((t) => ({ id: t.id, name: t.name }));
  const active = (id: string) => h.emu.state.tokens.find((t) => t.id === id)?.active === true;
  /** Tokens of this rotation (current and every successor) that still work. */
  const working = () => h.emu.state.tokens.filter((t) => t.active && t.name.startsWith(name)).map((t) => t.id);
  const options = (extra: Partial<RotateTokenOptions> = {}): RotateTokenOptions => ({
    kind,
    current: { id: currentId },
    mint,
    inventory,
    now: new Date(NOW),
    publish: async ({ token }) => {
      published.push(token);
    },
    ...extra,
  });
  const mutations = () => h.emu.state.requests.filter((r) => r.method !== "GET");
  return { ...h, name, currentId, values, published, mint, inventory, active, working, options, mutations };
}

/** Token state without `dateLastUsed`, which every authenticated read bumps. */
function tokenState(tokens: ReadonlyArray<{ dateLastUsed: string | null }>) {
  return tokens.map(({ dateLastUsed: _used, ...rest }) => rest);
}

function assertNoSecret(values: readonly string[], ...things: unknown[]) {
  for (const thing of things) {
    const texts = [JSON.stringify(thing), inspect(thing, { depth: 10, showHidden: true })];
    for (const value of values) for (const text of texts) expect(text).not.toContain(value);
  }
}

describe("rotateToken", () => {
  for (const kind of ["user", "org"] as const) {
    it(`${kind}: mints, verifies, publishes, then revokes the current token; a second run changes nothing`, async () => {
      const s = setup(kind);
      const steps: RotationStepRecord[] = [];
      const report = await rotateToken(s.sentry, s.options({ onProgress: (step) => steps.push(step) }));
      const successor = s.emu.state.tokens.find((t) => t.name === `${s.name}-20260301`);
      expect(successor?.active).toBe(true);
      expect(s.active(s.currentId)).toBe(false);
      expect(s.published).toEqual(s.values);
      expect(report).toMatchObject({ kind, revoked: true, rolledBack: false, dryRun: false, successor: { id: successor?.id, name: `${s.name}-20260301` } });
      expect(report.steps.map((step) => `${step.step}:${step.status}`)).toEqual([
        "lookup:done",
        "find-successors:done",
        "mint:done",
        "verify:done",
        "publish:done",
        "revoke:done",
      ]);
      expect(steps).toEqual(report.steps);
      if (kind === "org") expect(report.steps[3]?.detail).toMatch(/org:ci/);
      assertNoSecret(s.values, report);

      const before = tokenState(s.emu.state.tokens);
      const mutationsBefore = s.mutations().length;
      const again = await rotateToken(s.sentry, s.options({ name: s.name }));
      expect(tokenState(s.emu.state.tokens)).toEqual(before);
      expect(s.mutations()).toHaveLength(mutationsBefore);
      expect(again).toMatchObject({ revoked: true, successor: { id: successor?.id } });
      expect(s.values).toHaveLength(1);
    });
  }

  it("a dry run reads but changes nothing and plans each step", async () => {
    const s = setup("user");
    const before = tokenState(s.emu.state.tokens);
    const report = await rotateToken(s.sentry, s.options({ dryRun: true, mint: undefined }));
    expect(tokenState(s.emu.state.tokens)).toEqual(before);
    expect(s.mutations()).toHaveLength(0);
    expect(report.dryRun).toBe(true);
    expect(report.steps.filter((step) => step.status === "planned").map((step) => step.step)).toEqual(["mint", "verify", "publish", "revoke"]);
  });

  it("without mint, raises SessionRequiredError naming the UI page before any request", async () => {
    const s = setup("org");
    const error = await thrown(() => rotateToken(s.sentry, s.options({ mint: undefined })));
    expect(isSessionRequiredError(error) && error.hint).toContain("Settings > Organization > Auth Tokens");
    expect(s.emu.state.requests).toHaveLength(0);
  });

  it("refuses scopes wider than the current token's before any change", async () => {
    const s = setup("user");
    const error = await thrown(() => rotateToken(s.sentry, s.options({ scopes: ["project:releases", "org:write"] })));
    expect(isValidationError(error) && error.field).toBe("scopes");
    expect(s.mutations()).toHaveLength(0);
    expect(s.values).toHaveLength(0);
  });

  it("mints narrower scopes when asked", async () => {
    const s = setup("user");
    await rotateToken(s.sentry, s.options({ scopes: ["project:releases"] }));
    expect(s.emu.state.tokens.find((t) => t.name === `${s.name}-20260301`)?.scopes).toEqual(["project:releases"]);
  });

  it("a successor minted with other scopes than requested fails verification and is rolled back", async () => {
    const s = setup("user");
    const mint: RotateTokenOptions["mint"] = async (request) => s.mint({ ...request, scopes: ["org:read"] });
    const error = await thrown(() => rotateToken(s.sentry, s.options({ mint })));
    expect(isTokenRotationError(error) && error.step).toBe("verify");
    expect(isTokenRotationError(error) && error.report).toMatchObject({ rolledBack: true, revoked: false });
    expect(s.working()).toEqual([s.currentId]);
    expect(s.published).toHaveLength(0);
  });

  it("a successor that does not authenticate is rolled back (deleted), the current token untouched", async () => {
    const s = setup("user");
    const mint: RotateTokenOptions["mint"] = async (request) => {
      const minted = await s.mint(request);
      return { id: minted.id, token: `sntryu_${"0".repeat(64)}` };
    };
    const error = await thrown(() => rotateToken(s.sentry, s.options({ mint })));
    expect(isTokenRotationError(error) && error.step).toBe("verify");
    if (!isTokenRotationError(error)) return;
    expect(error.report).toMatchObject({ rolledBack: true, revoked: false });
    expect(s.working()).toEqual([s.currentId]);
    expect(s.published).toHaveLength(0);
  });

  const faultCases: Array<{ step: string; faults: FaultSpec; rolledBack: boolean }> = [
    { step: "lookup", faults: { script: [{ operation: "getApiToken", nth: 1, fault: 500 }] }, rolledBack: false },
    { step: "verify", faults: { script: [{ operation: "getApiIndex", nth: 1, fault: "drop" }] }, rolledBack: true },
    { step: "revoke", faults: { script: [{ operation: "deleteApiToken", nth: 1, fault: 503 }] }, rolledBack: false },
  ];
  for (const { step, faults, rolledBack } of faultCases) {
    it(`a fault at ${step} leaves a working token and a re-run finishes the rotation`, async () => {
      const s = setup("user", faults);
      const error = await thrown(() => rotateToken(s.sentry, s.options()));
      expect(isTokenRotationError(error) && error.step).toBe(step);
      expect(isTokenRotationError(error) && error.report.rolledBack).toBe(rolledBack);
      expect(s.working().length).toBeGreaterThan(0);
      expect(s.active(s.currentId)).toBe(true);
      assertNoSecret(s.values, error);

      const report = await rotateToken(s.sentry, s.options());
      expect(report.revoked).toBe(true);
      expect(s.working()).toEqual([report.successor?.id]);
      expect(s.working()).toHaveLength(1);
    });
  }

  for (const failing of ["mint", "publish"] as const) {
    it(`a ${failing} callback failure leaves only the current token and never leaks the value it mentions`, async () => {
      const s = setup("user");
      const boom = async (secret?: { token: string }) => {
        throw new Error(`store refused ${secret?.token ?? "sntryu_" + "a".repeat(64)}`);
      };
      const error = await thrown(() => rotateToken(s.sentry, s.options(failing === "mint" ? { mint: () => boom() } : { publish: boom })));
      expect(isTokenRotationError(error) && error.step).toBe(failing);
      expect(isTokenRotationError(error) && error.report.rolledBack).toBe(failing === "publish");
      expect(s.working()).toEqual([s.currentId]);
      assertNoSecret([...s.values, "sntryu_" + "a".repeat(64)], error);
    });
  }

  it("a rollback that fails is reported, and the re-run revokes the leftover successor by name", async () => {
    const s = setup("user", { script: [{ operation: "deleteApiToken", nth: 1, fault: 500 }] });
    const error = await thrown(() =>
      rotateToken(
        s.sentry,
        s.options({
          publish: async () => {
            throw new Error("vault down");
          },
        }),
      ),
    );
    expect(isTokenRotationError(error) && error.report).toMatchObject({ rolledBack: false, revoked: false });
    expect(isTokenRotationError(error) && error.report.steps.at(-1)).toMatchObject({ step: "rollback", status: "failed" });
    expect(s.working()).toHaveLength(2);

    const report = await rotateToken(s.sentry, s.options());
    expect(report.steps.find((step) => step.step === "revoke-stale")?.status).toBe("done");
    expect(s.working()).toEqual([report.successor?.id]);
  });

  it("a revoke applied but answered with an error counts as done on the re-run", async () => {
    const s = setup("org", { script: [{ operation: "deleteOrganizationAuthToken", nth: 1, fault: 503, after: "commit" }] });
    await thrown(() => rotateToken(s.sentry, s.options()));
    expect(s.active(s.currentId)).toBe(false);
    const report = await rotateToken(s.sentry, s.options({ name: s.name }));
    expect(report).toMatchObject({ revoked: true, successor: { name: `${s.name}-20260301` } });
    expect(s.working()).toHaveLength(1);
  });

  it("works when the client acts with the token being rotated", async () => {
    const s = setup("user");
    const value = s.emu.issueToken({ kind: "user", name: "deploy-bot-prod", scopes: ["org:read"] });
    const id = s.emu.state.tokens.find((t) => t.name === "deploy-bot-prod")?.id ?? "";
    const { sentry } = s.clientWith({ token: value });
    const report = await rotateToken(sentry, s.options({ current: { id } }));
    expect(report.revoked).toBe(true);
    expect(s.active(id)).toBe(false);
    assertNoSecret([value, ...s.values], report);
  });
});
