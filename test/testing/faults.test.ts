import { describe, expect, it } from "vitest";
import { createEmulator, type FaultSpec } from "../../src/testing/index.js";
import { call, NOW } from "./helpers.js";

const TEAMS = "/api/0/organizations/acme/teams/";

function faulty(faults: FaultSpec, seed = 1, sleep?: (ms: number) => Promise<void>) {
  return createEmulator({ rateLimit: false, now: () => NOW, faults, seed, ...(sleep ? { sleep } : {}) });
}

describe("scripted faults", () => {
  it("fails the 3rd POST to /teams/ after commit: the team exists although the answer is 503", async () => {
    const emu = faulty({ script: [{ method: "POST", path: "/teams/", nth: 3, fault: 503, after: "commit" }] });
    const statuses: number[] = [];
    for (const slug of ["s1", "s2", "s3", "s4"]) statuses.push((await call(emu, "POST", TEAMS, { body: { slug } })).status);
    expect(statuses).toEqual([201, 201, 503, 201]);
    expect(emu.state.teams.map((t) => t.slug)).toContain("s3");
    expect(emu.state.requests.filter((r) => r.fault !== null)).toEqual([
      expect.objectContaining({ method: "POST", status: 503, fault: "503", operationId: "createOrganizationTeam" }),
    ]);
  });

  it("fails before commit by default: nothing changes", async () => {
    const emu = faulty({ script: [{ operation: "createOrganizationTeam", nth: 1, fault: 500 }] });
    const res = await call(emu, "POST", TEAMS, { body: { slug: "never" } });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ detail: "Internal Error", errorId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(emu.state.teams.map((t) => t.slug)).not.toContain("never");
  });

  it("answers 502 with a proxy's HTML page", async () => {
    const emu = faulty({ script: [{ method: "GET", nth: 1, fault: 502 }] });
    const res = await call(emu, "GET", TEAMS);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("502 Bad Gateway");
  });

  it("drops the connection: the in-process fetch rejects like a network error", async () => {
    const emu = faulty({ script: [{ method: "GET", nth: 1, fault: "drop" }] });
    await expect(emu.fetch(`${emu.baseUrl}${TEAMS}`, { headers: { Authorization: `Bearer ${emu.adminToken}` } })).rejects.toThrow(TypeError);
    expect((await call(emu, "GET", TEAMS)).status).toBe(200);
  });

  it("sends malformed JSON with the original status", async () => {
    const emu = faulty({ script: [{ method: "GET", path: "/teams/", nth: 1, fault: "malformed-json", after: "commit" }] });
    const res = await emu.fetch(`${emu.baseUrl}${TEAMS}`, { headers: { Authorization: `Bearer ${emu.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("adds latency through the injected sleep", async () => {
    const slept: number[] = [];
    const emu = faulty({ script: [{ method: "GET", nth: 2, fault: { latencyMs: 1500 } }] }, 1, async (ms) => {
      slept.push(ms);
    });
    await call(emu, "GET", TEAMS);
    expect(slept).toEqual([]);
    expect((await call(emu, "GET", TEAMS)).status).toBe(200);
    expect(slept).toEqual([1500]);
  });
});

describe("probabilistic faults", () => {
  const spec: FaultSpec = { rules: [{ method: "GET", probability: 0.3, fault: 503 }] };
  const statuses = async (seed: number) => {
    const emu = faulty(spec, seed);
    const out: number[] = [];
    for (let i = 0; i < 40; i++) out.push((await call(emu, "GET", TEAMS)).status);
    return out;
  };

  it("is deterministic for a seed and differs across seeds", async () => {
    const a = await statuses(42);
    expect(await statuses(42)).toEqual(a);
    expect(await statuses(43)).not.toEqual(a);
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
  });

  it("only applies to matching requests and restarts its dice on reset", async () => {
    const emu = faulty({ rules: [{ method: "POST", probability: 1, fault: 503 }] }, 5);
    expect((await call(emu, "GET", TEAMS)).status).toBe(200);
    expect((await call(emu, "POST", TEAMS, { body: { slug: "x" } })).status).toBe(503);
    emu.reset();
    expect(emu.state.requests).toEqual([]);
  });
});
