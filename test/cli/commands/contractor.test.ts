import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseExpiry } from "../../../src/cli/commands/contractor.js";
import { demoCli, runWith } from "../helpers.js";

function setup() {
  const { emu, options } = demoCli();
  const snapshot = () => JSON.stringify([emu.state.teams, emu.state.members, emu.state.projects]);
  return { emu, options, snapshot };
}

const CREATE = [
  "contractor",
  "create",
  "--slug",
  "contractors-q1",
  "--name",
  "Q1 Contractors",
  "--project",
  "mobile-redesign",
  "--member",
  "ana.contractor@vendor.test",
  "--member",
  "carla.contractor@vendor.test",
  "--expires",
  "+90d",
];

describe("sentry-rbac contractor", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("create --dry-run lists the plan and changes nothing", async () => {
    const { options, snapshot } = setup();
    const before = snapshot();
    const { code, stdout, stderr } = await runWith([...CREATE, "--dry-run"], options());
    expect(code).toBe(0);
    expect(stdout).toMatch(/planned\s+create-team\s+create team contractors-q1/);
    expect(stdout).toMatch(/planned\s+invite-member\s+invite ana\.contractor@vendor\.test/);
    expect(stderr).toContain("Dry run:");
    expect(snapshot()).toBe(before);
  });

  it("create makes the team, invites, writes the manifest; offboard --dry-run previews, --yes removes", async () => {
    const { emu, options, snapshot } = setup();
    const dir = await mkdtemp(join(tmpdir(), "contractor-test-"));
    dirs.push(dir);
    const manifestPath = join(dir, "manifest.json");
    const created = await runWith([...CREATE, "--manifest-out", manifestPath], options());
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/applied\s+create-team/);
    expect(emu.state.projects.find((p) => p.slug === "mobile-redesign")?.teams).toContain("contractors-q1");
    expect(emu.state.members.find((m) => m.email === "ana.contractor@vendor.test")).toMatchObject({ pending: true, orgRole: "member" });
    const manifestText = await readFile(manifestPath, "utf8");
    const manifest = JSON.parse(manifestText) as { team: { slug: string; created: boolean }; members: unknown[] };
    expect(manifest).toMatchObject({ team: { slug: "contractors-q1", created: true } });
    expect(manifest.members).toHaveLength(2);

    const files = { "m.json": manifestText };
    const early = await runWith(["contractor", "offboard", "--manifest", "m.json", "--yes"], options({ files }));
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("force");

    const before = snapshot();
    const preview = await runWith(["contractor", "offboard", "--manifest", "m.json", "--force", "--dry-run"], options({ files }));
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/planned\s+delete-team\s+delete team contractors-q1/);
    expect(snapshot()).toBe(before);

    const refused = await runWith(["contractor", "offboard", "--manifest", "m.json", "--force"], options({ files }));
    expect(refused.code).toBe(2);
    expect(snapshot()).toBe(before);

    const done = await runWith(["contractor", "offboard", "--manifest", "m.json", "--force", "--yes"], options({ files }));
    expect(done.code).toBe(0);
    expect(emu.state.teams.some((t) => t.slug === "contractors-q1")).toBe(false);
    expect(emu.state.members.some((m) => m.email === "ana.contractor@vendor.test")).toBe(false);
    expect(emu.state.members.find((m) => m.email === "carla.contractor@vendor.test")?.teams.map((t) => t.team)).toEqual(["mobile"]);
  });

  it("create on an existing team asks before revoking its other project links, like isolate (refused off a TTY)", async () => {
    const { emu, options } = setup();
    const setupRun = await runWith([...CREATE, "--project", "web-frontend"], options());
    expect(setupRun.code).toBe(0);
    const before = JSON.stringify(emu.state.projects);
    const refused = await runWith(CREATE, options());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(JSON.stringify(emu.state.projects)).toBe(before);
    const asked = await runWith(CREATE, options({ stdinTTY: true, answers: ["n"] }));
    expect(asked.code).toBe(1);
    expect(asked.io.prompts[0]).toMatch(/Revoke 1 team-project link/);
    expect(JSON.stringify(emu.state.projects)).toBe(before);
    const confirmed = await runWith([...CREATE, "--yes"], options());
    expect(confirmed.code).toBe(0);
    expect(emu.state.projects.find((p) => p.slug === "web-frontend")?.teams).not.toContain("contractors-q1");
  });

  it("a re-run with the same --manifest-out merges into the first manifest instead of rewriting it", async () => {
    const { options } = setup();
    const dir = await mkdtemp(join(tmpdir(), "contractor-test-"));
    dirs.push(dir);
    const path = join(dir, "manifest.json");
    expect((await runWith([...CREATE, "--manifest-out", path], options())).code).toBe(0);
    const first = JSON.parse(await readFile(path, "utf8")) as { team: { created: boolean }; expiresAt: string; members: Array<{ invited: boolean }> };
    const again = await runWith([...CREATE.slice(0, -1), "+120d", "--manifest-out", path], options());
    expect(again.code).toBe(0);
    const merged = JSON.parse(await readFile(path, "utf8")) as typeof first;
    expect(merged.team.created).toBe(true);
    expect(merged.expiresAt).toBe(first.expiresAt);
    expect(merged.members.map((m) => m.invited)).toEqual(first.members.map((m) => m.invited));
  });

  it("refuses to overwrite a --manifest-out file that is not this team's manifest, before any change", async () => {
    const { options, snapshot } = setup();
    const dir = await mkdtemp(join(tmpdir(), "contractor-test-"));
    dirs.push(dir);
    const path = join(dir, "notes.json");
    await writeFile(path, "my notes\n");
    const before = snapshot();
    const run = await runWith([...CREATE, "--manifest-out", path], options());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a contractor manifest|manifest/);
    expect(await readFile(path, "utf8")).toBe("my notes\n");
    expect(snapshot()).toBe(before);
  });

  it("prints the manifest to stdout in table mode when --manifest-out is not given", async () => {
    const { options } = setup();
    const { code, stdout } = await runWith(CREATE, options());
    expect(code).toBe(0);
    expect(stdout).toContain("Manifest (keep it for `contractor offboard`");
    expect(stdout).toContain('"slug": "contractors-q1"');
  });

  it("exits 2 for a bad date, a missing required flag, or an unknown project (before any change)", async () => {
    const { options, snapshot } = setup();
    const before = snapshot();
    expect((await runWith([...CREATE.slice(0, -1), "someday"], options())).code).toBe(2);
    expect(
      (
        await runWith(
          CREATE.filter((a) => a !== "--slug" && a !== "contractors-q1"),
          options(),
        )
      ).code,
    ).toBe(2);
    const unknown = await runWith(
      CREATE.map((a) => (a === "mobile-redesign" ? "no-such-project" : a)),
      options(),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no-such-project");
    expect(snapshot()).toBe(before);
  });

  it("parses --expires as an ISO date or +<days>d", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(parseExpiry("+90d", now).toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(parseExpiry("2026-06-30", now).toISOString()).toBe("2026-06-30T00:00:00.000Z");
    expect(() => parseExpiry("next year", now)).toThrow(/ISO 8601/);
  });
});
