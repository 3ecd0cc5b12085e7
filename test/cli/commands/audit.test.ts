import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parseWhen } from "../../../src/cli/commands/audit-args.js";
import { leaked, setupEmulator } from "./resource-setup.js";

describe("parseWhen", () => {
  it("reads ISO dates and <n>d, and refuses anything else", () => {
    const now = new Date("2026-03-31T00:00:00Z");
    expect(parseWhen("30d", now).toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(parseWhen("2026-01-15", now).toISOString()).toBe("2026-01-15T00:00:00.000Z");
    expect(() => parseWhen("last week", now)).toThrow(InvalidArgumentError);
  });
});

describe("sentry-rbac audit list", () => {
  it("lists entries newest first with --limit, filtered by event and time, in each format", async () => {
    const { emu, run, secrets } = setupEmulator();
    const ndjson = await run(["audit", "list", "--limit", "5", "--ndjson"]);
    expect(ndjson.code).toBe(0);
    const rows = ndjson.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { dateCreated: string; event: string });
    expect(rows).toHaveLength(5);
    expect([...rows].sort((a, b) => b.dateCreated.localeCompare(a.dateCreated))).toEqual(rows);
    expect(leaked(ndjson, secrets)).toEqual([]);

    const invites = await run(["audit", "list", "--event", "member.invite", "--since", "3650d", "--json"]);
    const entries = JSON.parse(invites.stdout) as Array<{ event: string }>;
    expect(entries.length).toBe(emu.state.auditLog.filter((e) => e.event === "member.invite").length);
    expect(entries.every((e) => e.event === "member.invite")).toBe(true);

    const recent = await run(["audit", "list", "--since", "1d", "--json"]);
    const cutoff = Date.now() - 86_400_000 - 60_000;
    expect((JSON.parse(recent.stdout) as Array<{ dateCreated: string }>).every((e) => Date.parse(e.dateCreated) >= cutoff)).toBe(true);

    const csv = await run(["audit", "list", "--limit", "2", "--csv"]);
    expect(csv.stdout.split("\r\n")[0]).toBe("dateCreated,event,actor,note,ipAddress");
  });

  it("exits 2 for bad flags and 3 for a token without org:write", async () => {
    const { emu, run } = setupEmulator();
    expect((await run(["audit", "list", "--since", "yesterday"])).code).toBe(2);
    expect((await run(["audit", "list", "--actor", "ana"])).code).toBe(2);
    expect((await run(["audit", "list", "--limit", "0"])).code).toBe(2);
    const weak = emu.issueToken({ kind: "user", scopes: ["org:read"] });
    const denied = await run(["audit", "list"], { env: { SENTRY_AUTH_TOKEN: weak, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.test" } });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain("org:write");
  });

  it("has the export subcommand attached", async () => {
    const { run } = setupEmulator();
    const help = await run(["audit", "--help"]);
    expect(help.stdout).toMatch(/\n\s+list \[options\]/);
    expect(help.stdout).toMatch(/\n\s+export \[options\]/);
  });
});
