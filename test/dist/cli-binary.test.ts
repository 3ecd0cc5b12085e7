/**
 * The BUILT binary (`node dist/cli/main.js`) as a subprocess against an emulator server on a real port, configured
 * through the environment the way a user runs it: output formats, exit codes, dry runs that change nothing, no
 * progress bar when stderr is a pipe, and no token in anything printed. Needs `dist/` (run after the build).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, type RunningEmulator } from "../../src/testing/index.js";

const main = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "sentry-rbac-bin-"));

let emu: Emulator;
let server: RunningEmulator;
let weakToken: string;
// Everything the binary printed in this file, checked once more at the end for every token value.
const printed: string[] = [];

interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

// Async on purpose: the emulator serves from this process, so a synchronous spawn would block its answers.
function bin(args: string[], env: Record<string, string> = {}): Promise<BinRun> {
  const base = { PATH: process.env.PATH ?? "", SENTRY_AUTH_TOKEN: emu.adminToken, SENTRY_ORG: emu.org, SENTRY_URL: server.url, NO_COLOR: "1" };
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...base, ...env }, cwd: work, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

function snapshot(): string {
  const s = emu.state;
  return JSON.stringify([s.teams, s.members, s.projects, s.tokens.map((t) => [t.id, t.name, t.active])]);
}

// The request log minus reads, so that only changes count.
function writes(): number {
  return emu.state.requests.filter((r) => r.method !== "GET").length;
}

beforeAll(async () => {
  if (!existsSync(main)) throw new Error("dist/cli/main.js is missing: run `npm run build` before `npm run test:dist`");
  emu = createEmulator({ fixture: "demo", rateLimit: false });
  server = await emu.listen({ port: 0 });
  const member = emu.state.members.find((m) => m.orgRole === "member" && !m.pending && m.userId !== null);
  weakToken = emu.issueToken({ kind: "user", scopes: ["org:read"], userEmail: member?.email ?? "" });
});

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the built sentry-rbac binary", () => {
  it("teams list prints a table, --json, --ndjson with --limit, and CSV", async () => {
    const slugs = emu.state.teams.map((t) => t.slug).sort();
    const table = await bin(["teams", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SLUG\s+NAME\s+MEMBERS\s+PROJECTS\n/);
    expect(table.stdout.trim().split("\n")).toHaveLength(slugs.length + 1);

    const json = await bin(["teams", "list", "--json"]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe("");
    expect((JSON.parse(json.stdout) as Array<{ slug: string }>).map((t) => t.slug).sort()).toEqual(slugs);

    const ndjson = await bin(["--ndjson", "teams", "list", "--limit", "2"]);
    expect(ndjson.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { slug: string }).slug)).toHaveLength(2);

    const csv = await bin(["teams", "list", "--csv"]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split("\r\n");
    expect(lines[0]).toBe("slug,name,memberCount,projects");
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(1, -1).map((l) => l.split(",")[0]).sort()).toEqual(slugs);
  });

  it("exit codes: 3 on a 403 (with scopes) and without a token, 4 not found, 2 usage, 0 help", async () => {
    const forbidden = await bin(["teams", "create", "growth"], { SENTRY_AUTH_TOKEN: weakToken });
    expect(forbidden.code).toBe(3);
    expect(forbidden.stdout).toBe("");
    expect(forbidden.stderr).toMatch(/^error: /);
    expect(forbidden.stderr).toMatch(/required scopes \(any one\): .*team:write/);
    expect(emu.state.teams.some((t) => t.slug === "growth")).toBe(false);

    const auditDenied = await bin(["audit", "list", "--limit", "1"], { SENTRY_AUTH_TOKEN: weakToken });
    expect(auditDenied.code).toBe(3);

    expect((await bin(["teams", "list"], { SENTRY_AUTH_TOKEN: "" })).code).toBe(3);
    const missing = await bin(["teams", "get", "no-such-team"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^error: 404/);
    expect((await bin(["teams", "frobnicate"])).code).toBe(2);
    expect((await bin(["members", "invite", "x@acme.test", "--org-role", "emperor"])).code).toBe(2);
    expect((await bin(["--help"])).code).toBe(0);
  });

  it("dry runs print the request and change nothing; a real run does change the organization", async () => {
    const before = snapshot();
    const sent = writes();
    const create = await bin(["teams", "create", "growth", "--name", "Growth", "--dry-run"]);
    expect(create.code).toBe(0);
    expect(create.stdout).toBe('would send: POST /api/0/organizations/acme/teams/ {"slug":"growth","name":"Growth"}\n');
    expect(create.stderr).toContain("Dry run: nothing was sent.");
    const remove = await bin(["projects", "remove-team", "web-frontend", "identity", "--dry-run", "--json"]);
    expect(JSON.parse(remove.stdout)).toEqual({ dryRun: true, requests: [{ method: "DELETE", path: "/api/0/projects/acme/web-frontend/teams/identity/" }] });
    expect((await bin(["members", "invite", "new@acme.test", "--team", "payments", "--dry-run"])).code).toBe(0);
    expect((await bin(["scim", "groups", "delete", "2", "--dry-run"], { SENTRY_SCIM_TOKEN: emu.scimToken ?? "" })).code).toBe(0);
    // Destructive without --yes, and stdin is not a terminal: refused before anything is sent.
    const refused = await bin(["teams", "delete", "payments"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    expect(snapshot()).toBe(before);
    expect(writes()).toBe(sent);

    const real = await bin(["teams", "create", "growth", "--name", "Growth", "--json"]);
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ slug: "growth", name: "Growth" });
    expect(emu.state.teams.find((t) => t.slug === "growth")?.name).toBe("Growth");
    expect((await bin(["teams", "delete", "growth", "--yes"])).code).toBe(0);
    expect(emu.state.teams.some((t) => t.slug === "growth")).toBe(false);
  });

  it("draws no progress bar when stderr is a pipe, while the export still runs page by page", async () => {
    const out = join(work, "audit.ndjson");
    const run = await bin(["audit", "export", "--out", out, "--days", "90"]);
    expect(run.code).toBe(0);
    const rows = Number(/Exported (\d+) audit entries/.exec(run.stdout)?.[1]);
    // More than one page (100 rows), so the progress callback fired several times.
    expect(rows).toBeGreaterThan(100);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(rows);
    expect(run.stderr).not.toContain("\u001b");
    expect(run.stderr).not.toContain("Exporting audit log");
    expect(run.stderr).not.toMatch(/[█░]/);
  });

  it("refuses a token on the command line without echoing it, and never prints any token", async () => {
    const pasted = await bin(["teams", "list", "--token", weakToken]);
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toContain("no --token flag");
    const tokens = await bin(["tokens", "org", "get", emu.state.tokens.find((t) => t.kind === "org")?.id ?? "", "--json"]);
    expect(tokens.code).toBe(0);
    const sessionOnly = await bin(["tokens", "list"]);
    expect(sessionOnly.code).toBe(3);
    expect(sessionOnly.stderr).toMatch(/hint: /);

    expect(printed.length).toBeGreaterThan(20);
    const secrets = [emu.adminToken, emu.scimToken ?? "", weakToken].filter((s) => s !== "");
    expect(secrets).toHaveLength(3);
    for (const secret of secrets) expect(printed.filter((text) => text.includes(secret))).toEqual([]);
  });
});
