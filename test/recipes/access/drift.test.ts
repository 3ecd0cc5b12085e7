/**
 * Access as code, day two, run as users would run it against the emulator: drift with the audit row that made it
 * (another admin's changes, an IdP deprovisioning), `adopt` writing the live state into the file, and time-bound
 * grants that `expire` removes on its own.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { grantInFile } from "../../../src/recipes/access/grant.js";
import type { Emulator } from "../../../src/testing/index.js";
import { demoCli, runWith } from "../../cli/helpers.js";
import { readBack, writesOf } from "./helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sentry-rbac-drift-"));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

async function call(emu: Emulator, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await emu.fetch(`${emu.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res;
}

async function memberId(emu: Emulator, email: string): Promise<string> {
  const res = await call(emu, emu.adminToken, "GET", `/api/0/organizations/acme/members/?query=${encodeURIComponent(`email:${email}`)}`);
  const rows = (await res.json()) as Array<{ id: string; email: string }>;
  const row = rows.find((r) => r.email === email);
  if (!row) throw new Error(`no member ${email}`);
  return row.id;
}

async function dumpTo(cli: ReturnType<typeof demoCli>, file: string): Promise<string> {
  const run = await runWith(["dump"], cli.options());
  expect(run.code).toBe(0);
  const text = `# Managed by the platform team: edit through pull requests.\n${run.stdout}`;
  await writeFile(file, text, "utf8");
  return text;
}

/** A second owner's token makes four changes in the UI's stead; the SCIM integration removes an IdP member. */
async function driftByAnotherAdmin(emu: Emulator): Promise<void> {
  const ben = emu.issueToken({ scopes: ["org:admin", "member:admin", "team:admin", "project:admin"], userEmail: "ben.garcia@acme.test" });
  const kai = await memberId(emu, "kai.rossi@acme.test");
  const lena = await memberId(emu, "lena.kim@acme.test");
  expect((await call(emu, ben, "POST", `/api/0/organizations/acme/members/${kai}/teams/notifications/`)).status).toBe(201);
  expect(
    (await call(emu, ben, "PUT", `/api/0/organizations/acme/members/${lena}/`, { orgRole: "manager", teamRoles: [{ teamSlug: "identity", role: null }] }))
      .status,
  ).toBe(200);
  expect((await call(emu, ben, "DELETE", "/api/0/projects/acme/notification-hub/teams/notifications/")).status).toBe(200);
  expect((await call(emu, ben, "POST", "/api/0/organizations/acme/teams/", { slug: "incident-room" })).status).toBe(201);
  const omar = await memberId(emu, "omar.nguyen@acme.test");
  expect((await call(emu, emu.scimToken ?? "", "DELETE", `/api/0/organizations/acme/scim/v2/Users/${omar}`)).status).toBe(204);
}

interface DriftJson {
  drift: Array<{ kind: string; subject: string; revert: string; cause: { event: string; actor: string; via: string; time: string } | null }>;
  managedElsewhere: Array<{ kind: string; subject: string; reason: string; cause?: { event: string; via: string } | null }>;
  window: { auditRows: number };
}

describe("sentry-rbac drift", () => {
  it("lists exactly another admin's four changes with that admin as actor and the SCIM removal as managed elsewhere; exit 5", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    await driftByAnotherAdmin(cli.emu);
    const before = writesOf(cli.emu).length;
    const run = await runWith(["drift", file, "--format", "json"], cli.options({ files: { [file]: text } }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(5);
    const drift = JSON.parse(run.stdout) as DriftJson;
    const seen = drift.drift.map((d) => ({ kind: d.kind, subject: d.subject, event: d.cause?.event, actor: d.cause?.actor, via: d.cause?.via }));
    expect(seen).toEqual(
      expect.arrayContaining([
        { kind: "team-member", subject: "notifications/kai.rossi@acme.test", event: "member.join-team", actor: "ben.garcia@acme.test", via: "user" },
        { kind: "member", subject: "lena.kim@acme.test", event: "member.edit", actor: "ben.garcia@acme.test", via: "user" },
        { kind: "project-team", subject: "notifications/notification-hub", event: "project-team.remove", actor: "ben.garcia@acme.test", via: "user" },
        { kind: "team", subject: "incident-room", event: "team.create", actor: "ben.garcia@acme.test", via: "user" },
      ]),
    );
    expect(seen).toHaveLength(4);
    const scim = drift.managedElsewhere.find((e) => e.subject === "omar.nguyen@acme.test");
    expect(scim).toMatchObject({ kind: "member", cause: { event: "member.remove", via: "scim" } });
    // Reads only: drift changes nothing.
    expect(writesOf(cli.emu).length).toBe(before);
  });

  it("plan carries the cause of each change in text and markdown; no invite for the member SCIM removed", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    await driftByAnotherAdmin(cli.emu);
    const run = await runWith(["drift", file], cli.options({ files: { [file]: text } }));
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /- team-member notifications\/kai\.rossi@acme\.test remove[^\n]*\n\s+cause: member\.join-team by ben\.garcia@acme\.test \(user\)/,
    );
    expect(run.stdout).toMatch(
      /Managed elsewhere[\s\S]*omar\.nguyen@acme\.test[\s\S]*cause: member\.remove by SCIM Internal Integration \([0-9a-f]+\) \(scim\)/,
    );
    expect(run.stdout).not.toMatch(/omar\.nguyen@acme\.test invite/);
    const md = await runWith(["drift", file, "--format", "markdown"], cli.options({ files: { [file]: text } }));
    expect(md.stdout).toMatch(/\| ~ member lena\.kim@acme\.test update role manager → member \| change \| member\.edit \| ben\.garcia@acme\.test \| user \|/);
  });

  it("with no drift exits 0 and says so", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    const run = await runWith(["drift", file], cli.options({ files: { [file]: text } }));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No drift/);
  });
});

describe("sentry-rbac adopt", () => {
  it("adopt --yes writes the live state into the file; plan then shows no change and the comment survives", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    await driftByAnotherAdmin(cli.emu);
    const run = await runWith(["adopt", file, "--yes"], cli.options({ files: { [file]: text } }));
    expect(run.stderr).toMatch(/Wrote /);
    expect(run.code).toBe(0);
    const adopted = await readFile(file, "utf8");
    expect(adopted.startsWith("# Managed by the platform team: edit through pull requests.\n")).toBe(true);
    expect(adopted).toMatch(/incident-room:/);
    const plan = await runWith(["--json", "plan", file], cli.options({ files: { [file]: adopted } }));
    const parsed = JSON.parse(plan.stdout) as { changes: Array<{ subject: string }> };
    expect(parsed.changes).toEqual([]);
  });

  it("--only adopts one kind and leaves the rest as drift", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    await driftByAnotherAdmin(cli.emu);
    expect((await runWith(["adopt", file, "--yes", "--only", "member"], cli.options({ files: { [file]: text } }))).code).toBe(0);
    const adopted = await readFile(file, "utf8");
    const drift = JSON.parse((await runWith(["drift", file, "--format", "json"], cli.options({ files: { [file]: adopted } }))).stdout) as DriftJson;
    expect(drift.drift.map((d) => d.kind).sort()).toEqual(["project-team", "team", "team-member"]);
  });
});

describe("time-bound grants", () => {
  it("grant edits only one line; refuses an unknown member, team or role, a duration over --max and an empty reason (exit 2, nothing written)", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    const files = { [file]: text };
    const ok = await runWith(
      ["grant", file, "--member", "kai.rossi@acme.test", "--team", "platform", "--team-role", "admin", "--for", "2h", "--reason", "INC-4211"],
      cli.options({ files }),
    );
    expect(ok.stderr).toMatch(/Granted kai\.rossi@acme\.test on platform as admin until/);
    expect(ok.code).toBe(0);
    const granted = await readFile(file, "utf8");
    const added = granted.split("\n").filter((line) => !text.split("\n").includes(line));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^ {6}platform: \{ role: "admin", until: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", reason: "INC-4211" \}$/);
    expect(
      granted
        .split("\n")
        .filter((line) => line !== added[0])
        .join("\n"),
    ).toBe(text.split("\n").join("\n"));
    await writeFile(file, text, "utf8");
    const refusals: Array<[string[], RegExp]> = [
      [["--member", "nobody@acme.test", "--team", "platform", "--for", "1h", "--reason", "x"], /nobody@acme\.test is not declared/],
      [["--member", "kai.rossi@acme.test", "--team", "platfrm", "--for", "1h", "--reason", "x"], /no team platfrm[\s\S]*did you mean "platform"/],
      [["--member", "kai.rossi@acme.test", "--team", "platform", "--team-role", "boss", "--for", "1h", "--reason", "x"], /unknown team role "boss"/],
      [["--member", "kai.rossi@acme.test", "--team", "platform", "--for", "8d", "--reason", "x"], /longer than the maximum/],
      [["--member", "kai.rossi@acme.test", "--team", "platform", "--for", "1h", "--reason", " "], /must say why/],
    ];
    for (const [args, message] of refusals) {
      const run = await runWith(["grant", file, ...args], cli.options({ files }));
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(await readFile(file, "utf8")).toBe(text);
    }
  });

  it("grant --for 1m, apply, past until: expire removes only that membership and converges after a failure", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2026-12-07T10:00:00Z"));
    const cli = demoCli({ now: () => Date.now() });
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    expect(
      (
        await runWith(
          ["grant", file, "--member", "kai.rossi@acme.test", "--team", "platform", "--for", "1m", "--reason", "INC-1"],
          cli.options({ files: { [file]: text } }),
        )
      ).code,
    ).toBe(0);
    const granted = await readFile(file, "utf8");
    const applied = await runWith(["apply", file, "--yes"], cli.options({ files: { [file]: granted } }));
    expect(applied.code).toBe(0);
    expect((await readBack(cli.emu)).members["kai.rossi@acme.test"]?.teams.platform).toBeDefined();
    const nothingYet = await runWith(["expire", file, "--yes"], cli.options({ files: { [file]: granted } }));
    expect(nothingYet.code).toBe(0);
    expect(nothingYet.stderr).toMatch(/Nothing has expired/);
    const before = await readBack(cli.emu);
    vi.setSystemTime(new Date("2026-12-07T10:02:00Z"));
    // Other drift is left alone: a membership added outside the file stays.
    const kai = await memberId(cli.emu, "kai.rossi@acme.test");
    await call(cli.emu, cli.emu.adminToken, "POST", `/api/0/organizations/acme/members/${kai}/teams/mobile/`);
    const writes = writesOf(cli.emu).length;
    const expired = await runWith(["expire", file, "--yes"], cli.options({ files: { [file]: granted } }));
    expect(expired.code).toBe(0);
    expect(writesOf(cli.emu).slice(writes)).toEqual([`DELETE /api/0/organizations/acme/members/${kai}/teams/platform/`]);
    const after = await readBack(cli.emu);
    expect(after.members["kai.rossi@acme.test"]?.teams.platform).toBeUndefined();
    expect(after.members["kai.rossi@acme.test"]?.teams.mobile).toBeDefined();
    const { platform: _gone, mobile: _added, ...rest } = after.members["kai.rossi@acme.test"]?.teams ?? {};
    const { platform: _was, ...restBefore } = before.members["kai.rossi@acme.test"]?.teams ?? {};
    expect(rest).toEqual(restBefore);
    // A re-run converges: nothing left to expire.
    const again = await runWith(["expire", file, "--yes"], cli.options({ files: { [file]: granted } }));
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Nothing has expired/);
  });

  it("expire cut off after Sentry acted (the connection dropped after the commit, as a kill would leave it): the re-run converges to the same end state", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2026-12-07T10:00:00Z"));
    const cli = demoCli({
      now: () => Date.now(),
      faults: { script: [{ method: "DELETE", path: "/teams/platform/", nth: 1, fault: "drop", after: "commit" }] },
    });
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    const granted = grantInFile(text, { member: "kai.rossi@acme.test", team: "platform", durationMs: 60_000, reason: "INC-2", now: new Date() }).text;
    expect((await runWith(["apply", "acme.yaml", "--yes"], cli.options({ files: { "acme.yaml": granted } }))).code).toBe(0);
    vi.setSystemTime(new Date("2026-12-07T10:05:00Z"));
    const first = await runWith(["expire", "acme.yaml", "--yes"], cli.options({ files: { "acme.yaml": granted } }));
    expect([0, 1]).toContain(first.code);
    const second = await runWith(["expire", "acme.yaml", "--yes"], cli.options({ files: { "acme.yaml": granted } }));
    expect(second.code).toBe(0);
    expect((await readBack(cli.emu)).members["kai.rossi@acme.test"]?.teams.platform).toBeUndefined();
  });

  it("an elevated org role is planned while it lasts and demoted by expire once until passes", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2026-12-07T10:00:00Z"));
    const cli = demoCli({ now: () => Date.now() });
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    const run = await runWith(
      ["grant", file, "--member", "kai.rossi@acme.test", "--org-role", "manager", "--for", "1h", "--reason", "audit prep"],
      cli.options({ files: { [file]: text } }),
    );
    expect(run.code).toBe(0);
    const granted = await readFile(file, "utf8");
    expect(granted).toMatch(/\n {4}elevated: \{ role: "manager", until: "2026-12-07T11:00:00Z", reason: "audit prep" \}\n/);
    expect((await runWith(["apply", file, "--yes"], cli.options({ files: { [file]: granted } }))).code).toBe(0);
    expect((await readBack(cli.emu)).members["kai.rossi@acme.test"]?.role).toBe("manager");
    vi.setSystemTime(new Date("2026-12-07T11:00:01Z"));
    const expired = await runWith(["expire", file, "--yes"], cli.options({ files: { [file]: granted } }));
    expect(expired.code).toBe(0);
    expect((await readBack(cli.emu)).members["kai.rossi@acme.test"]?.role).toBe("member");
  });

  it("grant --now applies at once and the next plan and drift name the break-glass grant for review", async () => {
    const cli = demoCli();
    const file = join(dir, "acme.yaml");
    const text = await dumpTo(cli, file);
    const run = await runWith(
      ["grant", file, "--member", "kai.rossi@acme.test", "--team", "platform", "--for", "2h", "--reason", "INC-9", "--now"],
      cli.options({ files: { [file]: text } }),
    );
    expect(run.code).toBe(0);
    expect((await readBack(cli.emu)).members["kai.rossi@acme.test"]?.teams.platform).toBeDefined();
    const granted = await readFile(file, "utf8");
    expect(granted).toMatch(/breakGlass: "/);
    const plan = await runWith(["plan", file], cli.options({ files: { [file]: granted } }));
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/break-glass: kai\.rossi@acme\.test was put on platform at .* outside a plan .*INC-9.*review it/);
    const drift = await runWith(["drift", file], cli.options({ files: { [file]: granted } }));
    expect(drift.stdout).toMatch(/break-glass: kai\.rossi@acme\.test/);
  });
});
