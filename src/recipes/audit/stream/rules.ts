/**
 * Detection rules as data: the shape of a rules file, the shipped set (`DEFAULT_AUDIT_RULES`, identical to
 * `rules/sentry-audit-rules.yaml` in the package), and validation of a user's file. Event names and `data` keys come
 * from Sentry's audit-log code: src/sentry/audit_log/register.py and events.py (api names), OrganizationMember and
 * Team `get_audit_log_data` (member.edit carries the new `role`; team.edit carries `org_role`), and
 * src/sentry/web/frontend/organization_auth_settings.py (sso.edit records changed settings as `"to <value>"`,
 * e.g. `enable_scim: "to False"`; sso.disable records the provider).
 */
import { parseYaml } from "../../shared/yaml.js";
import { ValidationError } from "../../../http/errors/index.js";

/** How bad an alert is. */
export type AuditSeverity = "low" | "medium" | "high" | "critical";

/** A JSON scalar a condition compares with. */
export type AuditScalar = string | number | boolean | null;

/** One test on the row's `data` (a dotted path such as `role` or `provider.key`); every given test must hold. */
export interface AuditCondition {
  field: string;
  equals?: AuditScalar;
  in?: AuditScalar[];
  notIn?: AuditScalar[];
  /** true: the field is present and not null; false: absent or null. */
  exists?: boolean;
}

/** Fire only when `count` matching rows by one actor fall within `windowMinutes`. */
export interface AuditThreshold {
  count: number;
  windowMinutes: number;
}

/** A detection rule. */
export interface AuditRule {
  id: string;
  title: string;
  severity: AuditSeverity;
  /** Matches any of these event api names. */
  events: string[];
  where?: AuditCondition[];
  threshold?: AuditThreshold;
  /**
   * Rows by these actors (email, or an integration's name) never match: the identity that applies access plans, so
   * a rule such as `access-granted-outside-plan` names only grants made some other way (break-glass, the UI).
   */
  exceptActors?: string[];
  /** false turns a rule off (use it in an extending file to silence a shipped rule). */
  enabled?: boolean;
}

/** A rules file: its rules, and whether they extend the shipped set (same id replaces) or stand alone. */
export interface AuditRuleSet {
  version: 1;
  extends?: "default";
  rules: AuditRule[];
}

/** The shipped detections (the same content as `rules/sentry-audit-rules.yaml`). */
export const DEFAULT_AUDIT_RULES: AuditRuleSet = deepFreeze({
  version: 1,
  rules: [
    {
      id: "owner-or-manager-granted",
      title: "Owner or manager role granted",
      severity: "critical",
      events: ["member.edit", "member.invite", "member.add"],
      where: [{ field: "role", in: ["owner", "manager"] }],
    },
    {
      id: "member-role-raised",
      title: "Member given a role above member",
      severity: "medium",
      events: ["member.edit"],
      where: [{ field: "role", exists: true, notIn: ["member"] }],
    },
    {
      id: "team-org-role-granted",
      title: "Team given an organization role",
      severity: "high",
      events: ["team.edit", "team.create"],
      where: [{ field: "org_role", exists: true }],
    },
    { id: "sso-disabled", title: "SSO disabled", severity: "critical", events: ["sso.disable"] },
    {
      id: "sso-provider-changed",
      title: "SSO identity provider certificate changed",
      severity: "high",
      events: ["sso.edit"],
      where: [{ field: "x509cert", exists: true }],
    },
    { id: "sso-provider-enabled", title: "SSO provider set up (or replaced after a disable)", severity: "medium", events: ["sso.enable"] },
    { id: "sso-not-required", title: "SSO no longer required", severity: "high", events: ["sso.edit"], where: [{ field: "require_link", equals: "to False" }] },
    {
      id: "sso-default-role-raised",
      title: "SSO default role raised",
      severity: "high",
      events: ["sso.edit"],
      where: [{ field: "default_role", in: ["to admin", "to manager", "to owner"] }],
    },
    { id: "scim-disabled", title: "SCIM disabled", severity: "high", events: ["sso.edit"], where: [{ field: "enable_scim", equals: "to False" }] },
    { id: "mass-member-removal", title: "Mass member removal", severity: "high", events: ["member.remove"], threshold: { count: 5, windowMinutes: 10 } },
    {
      id: "integration-added",
      title: "Integration added",
      severity: "medium",
      events: ["integration.add", "sentry-app.install", "sentry-app.add", "internal-integration.create"],
    },
    {
      id: "api-credential-created",
      title: "Auth token or API key created",
      severity: "medium",
      events: ["api-key.create", "org-auth-token.create", "internal-integration.add-token"],
    },
    {
      id: "api-credential-changed",
      title: "Auth token or API key edited or removed",
      severity: "low",
      events: ["api-key.edit", "api-key.remove", "org-auth-token.remove", "internal-integration.remove-token"],
    },
    // Off until told who applies plans: without exceptActors every membership change would alert.
    {
      id: "access-granted-outside-plan",
      title: "Member granted access outside a plan (break-glass or the UI)",
      severity: "medium",
      events: ["member.join-team", "member.edit"],
      exceptActors: [],
      enabled: false,
    },
  ],
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const SEVERITIES = new Set(["low", "medium", "high", "critical"]);
const RULE_KEYS = new Set(["id", "title", "severity", "events", "where", "threshold", "exceptActors", "enabled"]);
const CONDITION_KEYS = new Set(["field", "equals", "in", "notIn", "exists"]);

function fail(where: string, problem: string): never {
  throw ValidationError.forInput("rules", `${where}: ${problem}`);
}

function isScalar(value: unknown): value is AuditScalar {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function checkCondition(raw: unknown, where: string): AuditCondition {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail(where, "must be an object");
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) if (!CONDITION_KEYS.has(key)) fail(where, `unknown key "${key}"`);
  if (typeof c.field !== "string" || c.field === "") fail(where, "needs a field (a path in the row's data)");
  if (c.equals !== undefined && !isScalar(c.equals)) fail(where, "equals must be a scalar");
  for (const key of ["in", "notIn"] as const) {
    if (c[key] !== undefined && (!Array.isArray(c[key]) || !(c[key] as unknown[]).every(isScalar))) fail(where, `${key} must be a list of scalars`);
  }
  if (c.exists !== undefined && typeof c.exists !== "boolean") fail(where, "exists must be true or false");
  if (c.equals === undefined && c.in === undefined && c.notIn === undefined && c.exists === undefined) fail(where, "needs equals, in, notIn or exists");
  return c as unknown as AuditCondition;
}

function checkRule(raw: unknown, index: number): AuditRule {
  const where = `rule ${index + 1}`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail(where, "must be an object");
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) fail(where, `unknown key "${key}"`);
  if (typeof r.id !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(r.id)) fail(where, "id must be lowercase letters, digits, . _ -");
  const at = `rule "${r.id}"`;
  if (typeof r.title !== "string" || r.title === "") fail(at, "needs a title");
  if (typeof r.severity !== "string" || !SEVERITIES.has(r.severity)) fail(at, "severity must be low, medium, high or critical");
  if (!Array.isArray(r.events) || r.events.length === 0 || !r.events.every((e) => typeof e === "string" && e !== ""))
    fail(at, "events must be a non-empty list of event names");
  if (r.where !== undefined) {
    if (!Array.isArray(r.where)) fail(at, "where must be a list of conditions");
    r.where.forEach((c, i) => checkCondition(c, `${at} condition ${i + 1}`));
  }
  if (r.threshold !== undefined) {
    const t = r.threshold as Record<string, unknown>;
    if (
      t === null ||
      typeof t !== "object" ||
      !Number.isInteger(t.count) ||
      (t.count as number) < 2 ||
      typeof t.windowMinutes !== "number" ||
      !(t.windowMinutes > 0)
    ) {
      fail(at, "threshold needs count (an integer ≥ 2) and windowMinutes (> 0)");
    }
  }
  if (r.enabled !== undefined && typeof r.enabled !== "boolean") fail(at, "enabled must be true or false");
  if (r.exceptActors !== undefined && (!Array.isArray(r.exceptActors) || !r.exceptActors.every((a) => typeof a === "string" && a !== ""))) {
    fail(at, "exceptActors must be a list of emails or integration names");
  }
  return r as unknown as AuditRule;
}

/**
 * Validates a rule set (parsed YAML or JSON); with `extends: default` the shipped rules are kept and a rule with the
 * same id replaces the shipped one. Returns the effective, enabled rules.
 * @example
 * const rules = resolveAuditRules({ version: 1, extends: "default", rules: [{ id: "sso-provider-enabled", title: "off", severity: "low", events: ["sso.enable"], enabled: false }] });
 * @throws {ValidationError} naming the rule and the problem.
 */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the union names the accepted shapes for readers; anything else is checked
export function resolveAuditRules(input: AuditRuleSet | readonly AuditRule[] | unknown): AuditRule[] {
  const set = Array.isArray(input) ? { version: 1, rules: input } : input;
  if (set === null || typeof set !== "object") fail("rules file", "must be a mapping with version and rules");
  const s = set as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!["version", "extends", "rules"].includes(key)) fail("rules file", `unknown key "${key}"`);
  if (s.version !== 1) fail("rules file", "version must be 1");
  if (s.extends !== undefined && s.extends !== "default") fail("rules file", 'extends may only be "default"');
  if (!Array.isArray(s.rules)) fail("rules file", "rules must be a list");
  const own = s.rules.map(checkRule);
  const ids = new Set<string>();
  for (const rule of own) {
    if (ids.has(rule.id)) fail(`rule "${rule.id}"`, "id is used twice");
    ids.add(rule.id);
  }
  const base = s.extends === "default" ? DEFAULT_AUDIT_RULES.rules.filter((rule) => !ids.has(rule.id)) : [];
  return [...base, ...own].filter((rule) => rule.enabled !== false);
}

/**
 * Parses a rules file (YAML or JSON text) into the effective rules.
 * @example const rules = parseAuditRules(await readFile("my-rules.yaml", "utf8"));
 * @throws {ValidationError} for malformed YAML or a rule that does not validate.
 */
export function parseAuditRules(text: string): AuditRule[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    fail("rules file", `is not valid YAML (${(error as Error).message.split("\n")[0] ?? ""})`);
  }
  return resolveAuditRules(parsed);
}
