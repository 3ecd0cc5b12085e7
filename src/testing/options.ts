/**
 * Validates emulator options once, at construction, so a typo fails loudly instead of producing
 * an emulator that silently behaves differently.
 */
import type { EmulatorOptions, FaultKind, FaultMatcher } from "./types.js";

const FAULTS = new Set<unknown>([500, 502, 503, "drop", "malformed-json"]);

function positive(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isFinite(value) || value <= 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

function checkFault(fault: FaultKind, where: string): void {
  if (typeof fault === "object" && fault !== null) {
    if (!Number.isFinite(fault.latencyMs) || fault.latencyMs < 0) throw new RangeError(`${where}: latencyMs must be ≥ 0`);
  } else if (!FAULTS.has(fault)) {
    throw new TypeError(`${where}: unknown fault ${JSON.stringify(fault)} (use 500, 502, 503, "drop", "malformed-json" or { latencyMs })`);
  }
}

function checkMatcher(m: FaultMatcher & { after?: string }, where: string): void {
  if (m.after !== undefined && m.after !== "before" && m.after !== "commit") throw new TypeError(`${where}: after must be "before" or "commit"`);
}

/** @throws {TypeError | RangeError} on an unknown fixture name, a malformed baseUrl, or invalid limits and faults. */
export function validateOptions(options: EmulatorOptions): void {
  const { fixture } = options;
  if (typeof fixture === "string" && fixture !== "demo" && fixture !== "empty") {
    throw new TypeError(`unknown fixture "${String(fixture)}" (use "demo", "empty" or a Fixture object)`);
  }
  if (fixture !== undefined && typeof fixture !== "string" && (typeof fixture !== "object" || !fixture.org?.slug)) {
    throw new TypeError("a fixture object needs org.slug");
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new TypeError(`seed must be an integer, got ${options.seed}`);
  if (options.baseUrl !== undefined) {
    const url = new URL(options.baseUrl);
    if (url.pathname !== "/" || url.search) throw new TypeError(`baseUrl must be an origin such as https://sentry.test, got ${options.baseUrl}`);
  }
  if (options.auditRows !== undefined && (!Number.isInteger(options.auditRows) || options.auditRows < 0)) {
    throw new RangeError(`auditRows must be a non-negative integer, got ${options.auditRows}`);
  }
  const rl = options.rateLimit;
  if (rl) {
    positive(rl.limit, "rateLimit.limit");
    positive(rl.windowMs, "rateLimit.windowMs");
    positive(rl.concurrent, "rateLimit.concurrent");
    for (const [key, w] of Object.entries(rl.perEndpoint ?? {})) {
      positive(w.limit, `rateLimit.perEndpoint["${key}"].limit`);
      positive(w.windowMs, `rateLimit.perEndpoint["${key}"].windowMs`);
    }
    if (rl.invites) {
      positive(rl.invites.perUser, "rateLimit.invites.perUser");
      positive(rl.invites.perOrg, "rateLimit.invites.perOrg");
      positive(rl.invites.perEmail, "rateLimit.invites.perEmail");
      positive(rl.invites.windowMs, "rateLimit.invites.windowMs");
    }
  }
  (options.faults?.rules ?? []).forEach((rule, i) => {
    const where = `faults.rules[${i}]`;
    if (!(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError(`${where}: probability must be within 0..1`);
    checkFault(rule.fault, where);
    checkMatcher(rule, where);
  });
  (options.faults?.script ?? []).forEach((step, i) => {
    const where = `faults.script[${i}]`;
    if (!Number.isInteger(step.nth) || step.nth < 1) throw new RangeError(`${where}: nth must be an integer ≥ 1`);
    checkFault(step.fault, where);
    checkMatcher(step, where);
  });
}
