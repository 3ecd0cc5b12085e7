import { setupServer } from "msw/node";
import { afterEach, describe, expect, it } from "vitest";
import { runEmulatorCommand } from "../../src/cli/emulator-command.js";
import { createEmulator, type RunningEmulator } from "../../src/testing/index.js";
import { NOW } from "./helpers.js";

const running: RunningEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.close();
});

describe("msw handlers", () => {
  it("answer global fetch through setupServer from msw/node, including dropped connections", async () => {
    const emu = createEmulator({ rateLimit: false, faults: { script: [{ method: "GET", path: "/members/", nth: 1, fault: "drop" }] } });
    const server = setupServer(...emu.handlers);
    server.listen({ onUnhandledRequest: "error" });
    try {
      const headers = { Authorization: `Bearer ${emu.adminToken}` };
      const res = await fetch("https://sentry.test/api/0/organizations/acme/teams/", { headers });
      expect(res.status).toBe(200);
      expect(((await res.json()) as unknown[]).length).toBe(6);
      const created = await fetch("https://sentry.test/api/0/organizations/acme/teams/", {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ slug: "via-msw" }),
      });
      expect(created.status).toBe(201);
      await expect(fetch("https://sentry.test/api/0/organizations/acme/members/", { headers })).rejects.toThrow();
      expect(emu.state.requests.map((r) => r.status)).toEqual([200, 201, 0]);
    } finally {
      server.close();
    }
  });
});

describe("node:http server", () => {
  it("serves 100 concurrent clients mixing reads and writes, with Link headers on its own URL", async () => {
    const emu = createEmulator({ rateLimit: false, now: () => NOW });
    const server = await emu.listen();
    running.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = { Authorization: `Bearer ${emu.adminToken}`, "Content-Type": "application/json" };
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0
          ? fetch(`${server.url}/api/0/organizations/acme/teams/`, { method: "POST", headers, body: JSON.stringify({ slug: `load-${i}` }) })
          : fetch(`${server.url}/api/0/organizations/acme/members/?per_page=5`, { headers }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(50).fill(200), ...Array(50).fill(201)]);
    expect(results[1]?.headers.get("link")).toContain(`<${server.url}/api/0/organizations/acme/members/?per_page=5&cursor=`);
    await Promise.all(results.map((r) => r.arrayBuffer()));
    expect(emu.state.teams.filter((t) => t.slug.startsWith("load-"))).toHaveLength(50);
  });

  it("answers every one of 100 concurrent clients under the default limits with 200 or 429 and the headers", async () => {
    const emu = createEmulator({ now: () => NOW });
    const server = await emu.listen();
    running.push(server);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => fetch(`${server.url}/api/0/organizations/acme/projects/`, { headers: { Authorization: `Bearer ${emu.adminToken}` } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60);
    for (const r of results) expect(r.headers.get("x-sentry-rate-limit-limit")).toBe("40");
    await Promise.all(results.map((r) => r.arrayBuffer()));
  });

  it("destroys the socket on a dropped-connection fault", async () => {
    const emu = createEmulator({ rateLimit: false, faults: { script: [{ method: "GET", nth: 1, fault: "drop" }] } });
    const server = await emu.listen();
    running.push(server);
    const url = `${server.url}/api/0/organizations/acme/teams/`;
    const headers = { Authorization: `Bearer ${emu.adminToken}` };
    await expect(fetch(url, { headers })).rejects.toThrow(TypeError);
    expect((await fetch(url, { headers })).status).toBe(200);
  });
});

describe("sentry-rbac emulator command", () => {
  it("starts a server and prints the URL and a token that can call every endpoint", async () => {
    const lines: string[] = [];
    const server = await runEmulatorCommand({ port: 0, fixture: "demo", write: (line) => lines.push(line) });
    running.push(server);
    expect(lines[0]).toContain(server.url);
    const token = /^export SENTRY_AUTH_TOKEN='([^']*)'$/m.exec(lines.join("\n"))?.[1];
    expect(token).toMatch(/^sntryu_[0-9a-f]{64}$/);
    const res = await fetch(`${server.url}/api/0/organizations/acme/audit-logs/?per_page=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});
