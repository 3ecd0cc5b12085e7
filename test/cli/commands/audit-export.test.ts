import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exportFormatFor } from "../../../src/cli/commands/audit-export.js";
import { createSentryClient } from "../../../src/client.js";
import type { FaultSpec } from "../../../src/testing/index.js";
import { demoCli, runWith, type FakeIoOptions } from "../helpers.js";

const run = (argv: string[], options: FakeIoOptions) => runWith(argv, options);

const setup = (faults?: FaultSpec) => demoCli(faults ? { faults } : {});

describe("sentry-rbac audit export", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-export-test-"));
    dirs.push(dir);
    return dir;
  };

  it("writes the last 90 days to a JSON file and prints the count, with no progress bar off a TTY", async () => {
    const { emu, options } = setup();
    const out = join(await tempDir(), "audit.json");
    const { code, stdout, stderr } = await run(["audit", "export", "--out", out], options());
    expect(code).toBe(0);
    const rows = JSON.parse(await readFile(out, "utf8")) as Array<{ id: string; dateCreated: string }>;
    expect(stdout).toContain(`Exported ${rows.length} audit entries to ${out} as json`);
    const cutoff = Date.now() - 90 * 86_400_000;
    expect(rows.length).toBe(emu.state.auditLog.filter((e) => Date.parse(e.dateCreated) >= cutoff).length);
    expect(stderr).toBe("");
  });

  it("filters events, picks CSV from the extension, and draws a progress bar on a TTY stderr", async () => {
    const { options } = setup();
    const out = join(await tempDir(), "members.csv");
    const { code, stderr } = await run(["audit", "export", "--days", "30", "--event", "member.invite", "--out", out], options({ stderrTTY: true }));
    expect(code).toBe(0);
    const lines = (await readFile(out, "utf8")).split("\r\n").filter((l) => l !== "");
    expect(lines[0]).toBe("id,dateCreated,event,actor,targetObject,targetUser,ipAddress,note");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.split(",")[2] === "member.invite")).toBe(true);
    expect(stderr).toContain("Exporting audit log");
  });

  it("prints the report with --json, and exits 2 for a bad --days or --format", async () => {
    const { options } = setup();
    const out = join(await tempDir(), "a.ndjson");
    const json = await run(["audit", "export", "--out", out, "--days", "7", "--json"], options());
    const report = JSON.parse(json.stdout) as { rows: number; format: string; file: string };
    expect(report).toMatchObject({ format: "ndjson", file: out });
    expect((await readFile(out, "utf8")).trim().split("\n")).toHaveLength(report.rows);
    expect((await run(["audit", "export", "--out", out, "--days", "0"], options())).code).toBe(2);
    expect((await run(["audit", "export", "--out", out, "--format", "xml"], options())).code).toBe(2);
    expect((await run(["audit", "export"], options())).code).toBe(2);
  });

  it("maps a permission failure to exit 3 with the cause, and needs a token (exit 3)", async () => {
    const { emu, options } = setup();
    const weak = emu.issueToken({ name: "ci-prod", scopes: ["project:releases"] });
    const out = join(await tempDir(), "a.json");
    const denied = await run(
      ["audit", "export", "--out", out],
      options({ env: { SENTRY_AUTH_TOKEN: weak, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.test" } }),
    );
    expect(denied.code).toBe(3);
    expect(denied.stderr).toMatch(/^error: audit export stopped after 0 row\(s\)/);
    expect(denied.stderr).not.toContain(weak);
    expect((await run(["audit", "export", "--out", out], { env: {} })).code).toBe(3);
  });

  it("stops with exit 1 and a resume hint on a server failure; --resume finishes the same file", async () => {
    const { emu, options } = setup({ script: [{ method: "GET", path: "/audit-logs/", nth: 2, fault: 500 }] });
    const out = join(await tempDir(), "audit.ndjson");
    const first = await run(["audit", "export", "--out", out], options());
    expect(first.code).toBe(1);
    const cursor = /--resume (\S+)/.exec(first.stderr)?.[1];
    expect(first.stderr).toMatch(/^error: audit export stopped after [1-9]\d* row\(s\)/);
    expect(cursor).toBeDefined();
    const second = await run(["audit", "export", "--out", out, "--resume", cursor ?? ""], options());
    expect(second.code).toBe(0);
    const ids = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const cutoff = Date.now() - 90 * 86_400_000;
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(emu.state.auditLog.filter((e) => Date.parse(e.dateCreated) >= cutoff).length);
  });

  it("--out - writes the export to stdout (the summary goes to stderr)", async () => {
    const { options } = setup();
    const { code, stdout, stderr } = await run(["audit", "export", "--out", "-", "--format", "ndjson", "--days", "30"], options());
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string });
    expect(rows.length).toBeGreaterThan(0);
    expect(stderr).toContain(`Exported ${rows.length} audit entries to stdout`);
    const json = await run(["audit", "export", "--out", "-", "--days", "30"], options());
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(rows.length);
  });

  it("never overwrites an existing file without --force", async () => {
    const { options } = setup();
    const out = join(await tempDir(), "audit.csv");
    await writeFile(out, "precious\n");
    const refused = await run(["audit", "export", "--out", out], options());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--force/);
    expect(await readFile(out, "utf8")).toBe("precious\n");
    const forced = await run(["audit", "export", "--out", out, "--force"], options());
    expect(forced.code).toBe(0);
    expect(await readFile(out, "utf8")).toMatch(/^id,dateCreated,event/);
  });

  it("a permission error leaves no empty file and no Resume hint", async () => {
    const { emu, options } = setup();
    const weak = emu.issueToken({ name: "ci-prod", scopes: ["project:releases"] });
    const out = join(await tempDir(), "denied.json");
    const denied = await run(
      ["audit", "export", "--out", out],
      options({ env: { SENTRY_AUTH_TOKEN: weak, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.test" } }),
    );
    expect(denied.code).toBe(3);
    expect(denied.stderr).not.toMatch(/Resume/);
    await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("infers the file format from the extension unless --format says otherwise", () => {
    expect(exportFormatFor(undefined, "q1.CSV")).toBe("csv");
    expect(exportFormatFor(undefined, "q1.jsonl")).toBe("ndjson");
    expect(exportFormatFor(undefined, "q1.out")).toBe("json");
    expect(exportFormatFor("csv", "q1.json")).toBe("csv");
  });

  it("exports a calendar window exactly (--since/--until: ISO dates or <n>d), with the columns named as audit list names them", async () => {
    const { emu, options } = setup();
    const out = join(await tempDir(), "q.ndjson");
    const dates = emu.state.auditLog.map((e) => Date.parse(e.dateCreated)).sort((a, b) => a - b);
    // A window whose edges fall between rows: from the 10th oldest row's date to the 10th newest's.
    const since = new Date(dates[10] as number).toISOString();
    const until = new Date(dates[dates.length - 10] as number).toISOString();
    const { code } = await run(["audit", "export", "--since", since, "--until", until, "--out", out], options());
    expect(code).toBe(0);
    const rows = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const expected = emu.state.auditLog.filter((e) => Date.parse(e.dateCreated) >= Date.parse(since) && Date.parse(e.dateCreated) < Date.parse(until));
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((e) => String(e.id)).sort());
    expect(Object.keys(rows[0] ?? {})).toEqual(["id", "dateCreated", "event", "actor", "targetObject", "targetUser", "ipAddress", "note"]);
    // The actor is a person as `audit list` shows one (email, else name); the target is the object's id.
    const sentry = createSentryClient({ org: emu.org, token: emu.adminToken, baseUrl: "https://sentry.test", fetch: emu.fetch, rateLimit: false });
    const entries = new Map((await sentry.auditLogs.list({ since, until }).toArray()).map((e) => [String(e.id), e]));
    await sentry.close();
    for (const row of rows) {
      const entry = entries.get(String(row.id));
      expect(row.actor).toBe(entry?.actor.email ?? entry?.actor.name ?? null);
      expect(row.targetObject).toBe(entry?.targetObject ?? null);
    }
    expect(rows.some((row) => typeof row.actor === "string" && row.actor.includes("@"))).toBe(true);
    const relative = await run(["audit", "export", "--since", "30d", "--until", "2d", "--out", "-", "--format", "ndjson"], options());
    expect(relative.code).toBe(0);
    expect(relative.stderr).toMatch(/Exported \d+ audit entries/);
    const bad = await run(["audit", "export", "--since", "last quarter", "--out", "-"], options());
    expect(bad.code).toBe(2);
    const both = await run(["audit", "export", "--since", "30d", "--days", "10", "--out", "-"], options());
    expect(both.code).toBe(2);
  });
});
