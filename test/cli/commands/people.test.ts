import { describe, expect, it } from "vitest";
import { didYouMean } from "../../../src/cli/commands/audit.js";
import { demoCli, runWith } from "../helpers.js";

function joined(emu: ReturnType<typeof demoCli>["emu"], role: string) {
  const member = emu.state.members.find((m) => m.orgRole === role && !m.pending && m.userId !== null && m.name !== m.email);
  if (member === undefined) throw new Error(`no ${role} in the demo fixture`);
  return member;
}

describe("people, not ids", () => {
  it("members get/remove take an email; the confirmation names the person and their role", async () => {
    const { emu, options } = demoCli();
    const member = joined(emu, "member");
    const got = await runWith(["members", "get", member.email, "--json"], options());
    expect(got.code).toBe(0);
    expect((JSON.parse(got.stdout) as { id: string }).id).toBe(member.id);

    const declined = await runWith(["members", "remove", member.email], options({ stdinTTY: true, answers: ["n"] }));
    expect(declined.io.prompts).toEqual([`Remove ${member.name} <${member.email}> (member) from acme? [y/N] `]);
    expect(declined.code).toBe(1);
    expect(emu.state.members.some((m) => m.id === member.id)).toBe(true);

    const refused = await runWith(["members", "remove", member.email], options());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Remove ${member.name} <${member.email}> (member) from acme?`);

    const removed = await runWith(["members", "remove", member.email.toUpperCase(), "--yes"], options());
    expect(removed.code).toBe(0);
    expect(removed.stderr).toBe(`Removed ${member.name} <${member.email}> (member) from acme.\n`);
    expect(emu.state.members.some((m) => m.id === member.id)).toBe(false);

    const gone = await runWith(["members", "remove", member.email, "--yes"], options());
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain(`no member with email ${member.email} in acme`);
  });

  it("scim users deactivate takes an email; scim groups take a team slug", async () => {
    const { emu, options } = demoCli();
    const member = joined(emu, "member");
    const env = { ...options().env, SENTRY_SCIM_TOKEN: emu.scimToken ?? "" };
    const dry = await runWith(["scim", "users", "deactivate", member.email, "--dry-run"], options({ env }));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`/scim/v2/Users/${member.id} `);
    const team = emu.state.teams[0];
    const group = await runWith(["scim", "groups", "get", team?.slug ?? "", "--json"], options({ env }));
    expect(group.code).toBe(0);
    expect((JSON.parse(group.stdout) as { id: string }).id).toBe(team?.id);
  });

  it("audit list --actor takes an email; an unknown event warns with 'did you mean'", async () => {
    const { emu, options } = demoCli();
    const owner = joined(emu, "owner");
    const byEmail = await runWith(["audit", "list", "--actor", owner.email, "--limit", "3", "--json"], options());
    expect(byEmail.code).toBe(0);
    const rows = JSON.parse(byEmail.stdout) as Array<{ actor: { email?: string } }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.actor.email).toBe(owner.email);

    const typo = await runWith(["audit", "list", "--event", "member.invte", "--json"], options());
    expect(typo.code).toBe(0);
    expect(JSON.parse(typo.stdout)).toEqual([]);
    expect(typo.stderr).toMatch(/^warning: Sentry knows no audit event 'member\.invte'; did you mean member\.invite/);
    const known = await runWith(["audit", "list", "--event", "member.invite", "--limit", "1", "--json"], options());
    expect(known.stderr).toBe("");
    expect(didYouMean("member.invte", ["member.invite", "member.remove", "team.create"])).toEqual(["member.invite"]);
  });
});
