import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { accessConfigSchema, formatAccessConfig, parseAccessConfig } from "../../../src/recipes/index.js";
import { thrown } from "../../resources/helpers.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const GOOD = `version: 1
organization: acme
policy:
  members: additive
  minOwners: 2
  requiredOwners: [ada@acme.test]
  maxRemovals: 25%
  ignore: { members: ["*@vendor.test"], teams: ["legacy-*"] }
teams:
  payments: { name: Payments Team, projects: [payment-api, billing-worker] }
  empty:
members:
  ada@acme.test: { role: owner, teams: { payments: admin } }
  ana@vendor.test:
    role: member
    teams: { contractors-q1: contributor }
    until: 2027-03-01
    reason: "Q1 mobile redesign contract"
  kai@acme.test:
    role: member
    teams: { payments: { role: admin, until: 2026-12-08, reason: "INC-4411 on-call" } }
`;

async function issues(text: string): Promise<string[]> {
  const error = await thrown(() => parseAccessConfig(text));
  if (!isValidationError(error)) throw error;
  expect(error.requestSent).toBe(false);
  return (error.body as { issues: Array<{ line: number; column: number; message: string }> }).issues.map((i) => `${i.line}:${i.column} ${i.message}`);
}

describe("parseAccessConfig", () => {
  it("reads the issue's example with defaults filled in", () => {
    const config = parseAccessConfig(GOOD);
    expect(config.policy).toEqual({
      members: "additive",
      teams: "additive",
      minOwners: 2,
      requiredOwners: ["ada@acme.test"],
      maxRemovals: { percent: 25 },
      ignore: { members: ["*@vendor.test"], teams: ["legacy-*"] },
    });
    expect(config.teams.empty).toEqual({});
    expect(config.members["ana@vendor.test"]).toEqual({
      role: "member",
      teams: { "contractors-q1": { role: "contributor" } },
      until: "2027-03-01",
      reason: "Q1 mobile redesign contract",
    });
    expect(config.members["kai@acme.test"]?.teams?.payments).toEqual({ role: "admin", until: "2026-12-08", reason: "INC-4411 on-call" });
  });

  it("names line and column of unknown keys and roles, with a did-you-mean", async () => {
    const text = GOOD.replace("role: owner", "role: ownr").replace('    reason: "Q1', '    reasn: "Q1').replace("payments: admin", "payments: admn");
    expect(await issues(text)).toEqual([
      '13:26 unknown org role "ownr" (did you mean "owner"?)',
      '13:51 unknown team role "admn" (did you mean "admin"?)',
      '18:5 unknown key "reasn" (did you mean "reason"?)',
    ]);
  });

  it("reports duplicate keys, bad dates and missing fields", async () => {
    expect(await issues("version: 1\norganization: acme\norganization: acme\n")).toEqual(['3:1 duplicate key "organization" (each key may appear once)']);
    expect(await issues("version: 1\norganization: acme\nmembers:\n  a@acme.test: { role: member, until: 2026-02-30 }\n")).toEqual([
      '4:39 not a date: use YYYY-MM-DD (through that UTC day) or an ISO 8601 date-time, got "2026-02-30"',
    ]);
    expect(await issues("organization: Acme Corp\nmembers:\n  bob: {}\n")).toEqual([
      '1:1 missing "version: 1"',
      '1:15 not an organization slug: "Acme Corp"',
      '3:3 not an email: "bob"',
      '3:3 missing "role" (member, manager, owner, billing, or the retired admin)',
    ]);
    expect(await issues("version: 1\norganization: acme\nmembers:\n  A@acme.test: { role: member }\n  a@acme.test: { role: member }\n")).toEqual([
      '5:3 duplicate member: "A@acme.test" is the same email (emails are compared case-insensitively)',
    ]);
  });

  it("reports YAML syntax errors with their position", async () => {
    expect(await issues("version: 1\norganization: [acme\n")).toEqual([expect.stringMatching(/^3:1 Flow sequence/)]);
  });

  it("reads JSON too, and a formatted file parses back to the same config", () => {
    const config = parseAccessConfig(GOOD);
    expect(parseAccessConfig(formatAccessConfig(config, "json"))).toEqual(config);
    expect(parseAccessConfig(formatAccessConfig(config, "yaml"))).toEqual(config);
  });

  it("the shipped JSON Schema accepts what the parser accepts and refuses an unknown key", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(accessConfigSchema);
    const plain = JSON.parse(formatAccessConfig(parseAccessConfig(GOOD), "json"));
    expect(validate(plain)).toBe(true);
    expect(validate({ ...plain, extra: 1 })).toBe(false);
    expect(validate({ ...plain, members: { "a@acme.test": { role: "ownr" } } })).toBe(false);
  });
});
