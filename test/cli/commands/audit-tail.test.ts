import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/cli/commands/audit-args.js";
import { runCli } from "../../../src/cli/program.js";
import { createFakeIo, demoCli, runWith } from "../helpers.js";

describe("sentry-rbac audit tail", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-tail-cli-"));
    dirs.push(dir);
    return dir;
  };

  it("prints the rows since a date as NDJSON, oldest first, and a summary on stderr", async () => {
    const { emu, options } = demoCli({ auditRows: 250 });
    const { code, stdout, stderr } = await runWith(["audit", "tail", "--since", "200d"], options());
    expect(code).toBe(0);
    const records = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; dateCreated: string; type?: string });
    // Alerts of the shipped rules come in the same stream, marked type "alert".
    expect(records.some((r) => r.type === "alert")).toBe(true);
    const rows = records.filter((r) => r.type !== "alert");
    expect(rows.map((r) => r.id).sort()).toEqual(emu.state.auditLog.map((e) => e.id).sort());
    const dates = rows.map((r) => Date.parse(r.dateCreated));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(stderr).toMatch(/Delivered \d+ audit row\(s\) and \d+ alert\(s\) for acme/);
  });

  it("writes to a file sink with a checkpoint: a second run adds nothing twice", async () => {
    const { emu, options } = demoCli({ auditRows: 120 });
    const dir = await tempDir();
    const argv = ["audit", "tail", "--since", "200d", "--format", "ecs", "--sink", `file:${join(dir, "a.ndjson")}`, "--checkpoint", join(dir, "cp.json")];
    expect((await runWith(argv, options())).code).toBe(0);
    expect((await runWith(argv, options())).code).toBe(0);
    const lines = (await readFile(join(dir, "a.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: { id: string; kind: string } });
    // With --format ecs an alert is an ECS alert document (event.kind "alert").
    const ids = lines.filter((l) => l.event.kind === "event").map((l) => l.event.id);
    const alerts = lines.filter((l) => l.event.kind === "alert").map((l) => l.event.id);
    expect(alerts.length).toBeGreaterThan(0);
    expect(new Set(alerts).size).toBe(alerts.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(emu.state.auditLog.length);
  });

  it("prints alerts only, with a rules file extending the shipped set", async () => {
    const { emu, options } = demoCli({ auditRows: 300 });
    const rules = "version: 1\nextends: default\nrules:\n  - id: any-team-created\n    title: Team created\n    severity: low\n    events: [team.create]\n";
    const { code, stdout } = await runWith(
      ["audit", "tail", "--since", "200d", "--alerts-only", "--rules", "rules.yaml"],
      options({ files: { "rules.yaml": rules } }),
    );
    expect(code).toBe(0);
    const records = stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; rule: string; rows: string[] });
    const created = emu.state.auditLog.filter((e) => e.event === "team.create").map((e) => e.id);
    expect(created.length).toBeGreaterThan(0);
    expect(records.every((r) => r.type === "alert")).toBe(true);
    expect(
      records
        .filter((r) => r.rule === "any-team-created")
        .flatMap((r) => r.rows)
        .sort(),
    ).toEqual(created.sort());
  });

  it("follows until shut down (SIGINT/SIGTERM), and rejects a bad rules file and a bad duration", async () => {
    const { options } = demoCli({ auditRows: 10 });
    const io = createFakeIo(options());
    const running = runCli(["audit", "tail", "--follow", "--since", "200d", "--interval", "30s"], io);
    await io.waiting;
    const rowsOut = () =>
      io
        .stdoutText()
        .trim()
        .split("\n")
        .filter((l) => l !== "" && !l.includes('"type":"alert"')).length;
    // Wait (bounded) for the backfill, then stop the follower while it sleeps before its next poll.
    for (let i = 0; i < 200 && rowsOut() < 10; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    io.shutdown();
    expect(await running).toBe(0);
    expect(rowsOut()).toBe(10);
    const bad = await runWith(["audit", "tail", "--rules", "r.yaml"], options({ files: { "r.yaml": "version: 1\nrules: [{ id: X }]\n" } }));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/rule 1/);
    expect((await runWith(["audit", "tail", "--interval", "soon"], options())).code).not.toBe(0);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("500ms")).toBe(500);
  });
});
