import { describe, expect, it } from "vitest";
import { tokenKind } from "../../../src/cli/commands/whoami.js";
import { demoCli, runWith } from "../helpers.js";

describe("whoami", () => {
  it("prints the user, token kind, scopes and org role; never the token", async () => {
    const { emu, options } = demoCli();
    const run = await runWith(["whoami", "--json"], options());
    expect(run.code).toBe(0);
    const me = JSON.parse(run.stdout) as { email: string; tokenKind: string; scopes: string[]; org: string; orgRole: string };
    const owner = emu.state.members.find((m) => m.email === me.email);
    expect(owner?.orgRole).toBe(me.orgRole);
    expect(me.org).toBe("acme");
    expect(me.scopes).toContain("org:admin");
    expect(run.stdout).not.toContain(emu.adminToken);
    const table = await runWith(["whoami"], options());
    expect(table.stdout).toMatch(/^USER\s+EMAIL\s+TOKEN\s+ORG\s+ORG ROLE\s+SCOPES\n/);
  });

  it("--org naming an organization that does not exist exits 4 naming it", async () => {
    const { options } = demoCli();
    const run = await runWith(["whoami", "--org", "nosuch", "--json"], options());
    expect(run.code).toBe(4);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/nosuch/);
  });

  it("reads the token kind from its prefix", () => {
    expect(tokenKind("sntryu_abc", true)).toBe("user auth token");
    expect(tokenKind("sntrys_abc", false)).toBe("org auth token");
    expect(tokenKind("a".repeat(64), true)).toBe("user auth token (legacy format)");
  });
});
