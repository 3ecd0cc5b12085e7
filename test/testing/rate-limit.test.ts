import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { call, NOW } from "./helpers.js";

const TEAMS = "/api/0/organizations/acme/teams/";
const HEADERS = [
  "x-sentry-rate-limit-limit",
  "x-sentry-rate-limit-remaining",
  "x-sentry-rate-limit-reset",
  "x-sentry-rate-limit-concurrentlimit",
  "x-sentry-rate-limit-concurrentremaining",
];

describe("rate limiting", () => {
  it("sends the five headers on every answer, including errors", async () => {
    const emu = createEmulator({ now: () => NOW });
    for (const res of [
      await call(emu, "GET", TEAMS),
      await call(emu, "GET", TEAMS, { token: "sntryu_nope" }),
      await call(emu, "POST", TEAMS, { body: { slug: "payments" } }),
    ]) {
      for (const name of HEADERS) expect(res.headers.get(name), `${res.status} ${name}`).not.toBeNull();
    }
    const res = await call(emu, "GET", "/api/0/organizations/acme/members/");
    expect(res.headers.get("x-sentry-rate-limit-limit")).toBe("40");
    expect(res.headers.get("x-sentry-rate-limit-remaining")).toBe("39");
    expect(res.headers.get("x-sentry-rate-limit-reset")).toBe(String(Math.ceil(Math.floor(NOW / 1000) + 1)));
    expect(res.headers.get("x-sentry-rate-limit-concurrentlimit")).toBe("25");
  });

  it("answers 429 with a bare JSON string and no Retry-After once a fixed window is spent, then recovers", async () => {
    let clock = NOW;
    const emu = createEmulator({ now: () => clock, rateLimit: { limit: 3, windowMs: 1000 } });
    for (let i = 0; i < 3; i++) expect((await call(emu, "GET", TEAMS)).status).toBe(200);
    const limited = await call(emu, "GET", TEAMS);
    expect(limited.status).toBe(429);
    expect(limited.body).toBe("You are attempting to use this endpoint too frequently. Limit is 3 requests in 1 seconds");
    expect(limited.headers.get("retry-after")).toBeNull();
    expect(limited.headers.get("x-sentry-rate-limit-remaining")).toBe("0");
    // Other endpoints have their own windows.
    expect((await call(emu, "GET", "/api/0/organizations/acme/projects/")).status).toBe(200);
    // Other callers too (limits follow the user behind the token).
    const other = emu.issueToken({ scopes: ["org:read"], userEmail: "chen.nguyen@acme.test" });
    expect((await call(emu, "GET", TEAMS, { token: other })).status).toBe(200);
    clock += 1000;
    expect((await call(emu, "GET", TEAMS)).status).toBe(200);
  });

  it("applies per-endpoint windows keyed by operationId", async () => {
    const emu = createEmulator({ now: () => NOW, rateLimit: { perEndpoint: { listOrganizationTeams: { limit: 1, windowMs: 60_000 } } } });
    const first = await call(emu, "GET", TEAMS);
    expect(first.headers.get("x-sentry-rate-limit-limit")).toBe("1");
    expect((await call(emu, "GET", TEAMS)).status).toBe(429);
    expect((await call(emu, "GET", "/api/0/organizations/acme/members/")).status).toBe(200);
  });

  it("caps concurrent requests per caller", async () => {
    const releases: Array<() => void> = [];
    const sleep = () => new Promise<void>((resolve) => releases.push(resolve));
    const emu = createEmulator({
      now: () => NOW,
      sleep,
      rateLimit: { concurrent: 2 },
      faults: { rules: [{ method: "GET", path: "/teams/", probability: 1, fault: { latencyMs: 50 } }] },
    });
    const slow = [call(emu, "GET", TEAMS), call(emu, "GET", TEAMS)];
    await new Promise((resolve) => setImmediate(resolve));
    const third = await call(emu, "GET", "/api/0/organizations/acme/members/");
    expect(third.status).toBe(429);
    expect(third.headers.get("x-sentry-rate-limit-concurrentremaining")).toBe("0");
    expect(third.body).toBe("You are attempting to go above the allowed concurrency for this endpoint. Concurrency limit is 2");
    for (const release of releases) release();
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    expect((await call(emu, "GET", "/api/0/organizations/acme/members/")).status).toBe(200);
  });

  it("limits invitations separately with Sentry's invitation message", async () => {
    const emu = createEmulator({ now: () => NOW, rateLimit: { invites: { perOrg: 2 } } });
    const invite = (email: string) => call(emu, "POST", "/api/0/organizations/acme/members/", { body: { email } });
    expect((await invite("one@acme.test")).status).toBe(201);
    expect((await invite("two@acme.test")).status).toBe(201);
    expect(await invite("three@acme.test")).toMatchObject({ status: 429, body: { detail: "You are being rate limited for too many invitations." } });
    expect(emu.state.members.some((m) => m.email === "three@acme.test")).toBe(false);
  });

  it("sends no rate-limit headers when disabled, as self-hosted Sentry does", async () => {
    const emu = createEmulator({ rateLimit: false });
    const res = await call(emu, "GET", TEAMS);
    for (const name of HEADERS) expect(res.headers.get(name)).toBeNull();
  });
});
