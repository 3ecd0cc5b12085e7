import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compareKeys, formatModulePath, hclQuote, keySuffix, parseModulePath, shellQuote } from "../../../src/recipes/terraform/address.js";
import { importTerraform } from "../../../src/recipes/index.js";
import { commands, demoState, removedFroms } from "./helpers.js";

/** What /bin/sh hands `terraform` as the address argument of a state-rm.sh line. */
function addressSeenBySh(line: string): string {
  return execFileSync("sh", ["-c", `terraform() { printf '%s' "$3"; }\n${line}`], { encoding: "utf8" });
}

// Keys as users write them in for_each maps, with every character Terraform's quoting treats specially.
const KEYS = [
  "it's",
  'say "hi"',
  "back\\slash",
  "line\nbreak\ttab\rcr",
  "${var.x}",
  "%{ if x }",
  "$5 and 100%",
  "bell\u0007",
  "sep\u2028",
  "tag\u{E0001}",
  "émoji 🦀",
  "",
  "a b",
];

describe("Terraform addresses", () => {
  it("quotes for_each keys as Terraform does", () => {
    expect(hclQuote('say "hi"')).toBe('"say \\"hi\\""');
    expect(hclQuote("back\\slash")).toBe('"back\\\\slash"');
    expect(hclQuote("line\nbreak\ttab\rcr")).toBe('"line\\nbreak\\ttab\\rcr"');
    expect(hclQuote("${var.x}")).toBe('"$${var.x}"');
    expect(hclQuote("%{ if x }")).toBe('"%%{ if x }"');
    expect(hclQuote("$5 and 100%")).toBe('"$5 and 100%"');
    expect(hclQuote("bell\u0007")).toBe('"bell\\u0007"');
    expect(hclQuote("sep\u2028")).toBe('"sep\\u2028"');
    expect(hclQuote("tag\u{E0001}")).toBe('"tag\\U000e0001"');
    expect(hclQuote("émoji 🦀")).toBe('"émoji 🦀"');
    expect(keySuffix(3)).toBe("[3]");
    expect(keySuffix(undefined)).toBe("");
  });

  it("reads module paths back to the same keys, and refuses what is not one", () => {
    for (const key of KEYS) {
      const path = `module.a[${hclQuote(key)}].module.b[2].module.c`;
      const steps = parseModulePath(path);
      expect(steps).toEqual([
        { name: "a", key },
        { name: "b", key: 2 },
        { name: "c", key: undefined },
      ]);
      expect(formatModulePath(steps ?? [], true)).toBe(path);
      expect(formatModulePath(steps ?? [], false)).toBe("module.a.module.b.module.c");
    }
    for (const bad of ['module.a["x', "module.a[x]", "modules.a", "module.", 'module.a["\\q"]', "module.a.", "module.a[1"])
      expect(parseModulePath(bad)).toBeUndefined();
  });

  it("parses a module path of 10,000 steps (about 90,000 characters)", () => {
    const path = Array.from({ length: 10_000 }, (_, i) => `module.m${i % 10}`).join(".");
    expect(path.length).toBeGreaterThan(80_000);
    expect(parseModulePath(path)).toHaveLength(10_000);
  });

  it("orders keys as Terraform does: none, numbers ascending, strings by code point", () => {
    expect([10, "b", 2, "B", "a"].sort(compareKeys)).toEqual([2, 10, "B", "a", "b"]);
    expect(compareKeys(undefined, 0)).toBeLessThan(0);
    expect(compareKeys(99, "0")).toBeLessThan(0);
  });

  it("state-rm.sh lines hand Terraform each address intact through the shell", async () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    const state = demoState();
    const people = state.resources.find((r) => r.name === "people");
    const template = people?.instances.find((i) => i.index_key === "kai");
    if (!people || !template) throw new Error("fixture changed");
    people.instances = KEYS.map((key, i) => ({
      ...structuredClone(template),
      index_key: key,
      attributes: { ...template.attributes, email: `p${i}@acme.test`, internal_id: String(900 + i) },
    }));
    state.resources = state.resources.filter((r) => r.type !== "sentry_team_member");
    const result = await importTerraform(state);
    const lines = commands(result.stateRm).filter((l) => l.includes(".people["));
    expect(lines).toHaveLength(KEYS.length);
    const seen = lines.map(addressSeenBySh);
    expect(seen).toEqual([...KEYS].sort(compareKeys).map((key) => `sentry_organization_member.people[${hclQuote(key)}]`));
    // One removed block for the resource, whatever its keys.
    expect(removedFroms(result.removedTf).filter((f) => f.includes(".people"))).toEqual(["sentry_organization_member.people"]);
  });
});
