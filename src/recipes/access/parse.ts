/**
 * `parseAccessConfig`: reads the access file (YAML or JSON — JSON is YAML) and checks it against the rules of
 * {@link accessConfigSchema}, naming the line and column of every problem: unknown keys, unknown roles with a
 * "did you mean", duplicate keys, bad dates. Nothing is sent for an invalid file.
 */
import type { LineCounter, Node, YAMLMap } from "yaml";
import { isMap, isScalar, isSeq, newLineCounter, parseDocument } from "../shared/yaml.js";
import { isValidationError, ValidationError } from "../../http/errors/errors.js";
import type { OrgRole, TeamRole } from "../../vocabulary/roles.js";
import { suggest } from "./suggest.js";
import { parseUntil } from "./time.js";
import type { AccessConfig, AccessPolicy, DeclaredMember, DeclaredMembership, DeclaredTeam, ElevatedRole } from "./types.js";

/** One problem in the file. */
export interface AccessConfigIssue {
  /** Dotted path, e.g. `members.ana@acme.test.role`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

const ORG_ROLES: readonly OrgRole[] = ["member", "admin", "manager", "owner", "billing"];
const TEAM_ROLES: readonly TeamRole[] = ["contributor", "admin"];
const SLUG = /^[a-z0-9_-]{1,50}$/;
const ORG_SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/;
const EMAIL = /^[^@\s,"]+@[^@\s,"]+\.[^@\s,"]+$/;

/** Where a reference was written: line and column, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

// Positions of the references the file makes (project slugs of a team, teams of a member, required owners), kept
// per list or map object so that they survive a shallow copy of the config; checked against the live organization
// by `planAccess`, which reports a reference to nothing with the place it was written.
const REFERENCES = new WeakMap<object, Map<string, SourcePosition>>();

/**
 * Where `key` of a parsed list or map of references (`team.projects`, `member.teams`, `policy.requiredOwners`) was
 * written; undefined for a config built in code.
 * @example referencePosition(config.teams.payments.projects, "payment-api") // { line: 9, column: 9 }
 */
export function referencePosition(container: object | undefined, key: string): SourcePosition | undefined {
  return container === undefined ? undefined : REFERENCES.get(container)?.get(key);
}

class Checker {
  readonly issues: AccessConfigIssue[] = [];
  constructor(private readonly lines: LineCounter) {}

  position(node: Node | null | undefined): SourcePosition {
    const { line, col } = this.lines.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  }

  add(node: Node | null | undefined, path: string, message: string): void {
    this.issues.push({ path, ...this.position(node), message });
  }

  /** Remembers where `key` of `container` was written (see {@link referencePosition}). */
  reference(container: object, key: string, node: Node | null | undefined): void {
    let map = REFERENCES.get(container);
    if (!map) REFERENCES.set(container, (map = new Map<string, SourcePosition>()));
    map.set(key, this.position(node));
  }

  /** The map's pairs as [key, key node, value node]; non-string keys and unknown keys are reported. */
  entries(map: YAMLMap, path: string, allowed?: readonly string[]): Array<[string, Node, Node | null]> {
    const out: Array<[string, Node, Node | null]> = [];
    const seen = new Set<string>();
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== "string" && typeof key !== "number") {
        this.add(keyNode ?? map, path, "keys must be plain strings");
        continue;
      }
      const name = String(key);
      if (seen.has(name)) {
        this.add(keyNode, join(path, name), `duplicate key "${name}" (each key may appear once)`);
        continue;
      }
      seen.add(name);
      if (allowed && !allowed.includes(name)) {
        this.add(keyNode, join(path, name), `unknown key "${name}"${suggest(name, allowed)}`);
        continue;
      }
      out.push([name, keyNode as Node, (pair.value as Node | null) ?? null]);
    }
    return out;
  }

  string(node: Node | null, path: string): string | undefined {
    if (isScalar(node) && typeof node.value === "string") return node.value;
    this.add(node, path, "must be a string");
    return undefined;
  }

  oneOf<T extends string>(node: Node | null, path: string, allowed: readonly T[], what: string): T | undefined {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    const shown = typeof value === "string" || typeof value === "number" ? `"${value}"` : "this value";
    this.add(node, path, `unknown ${what} ${shown}${suggest(String(value ?? ""), allowed)}`);
    return undefined;
  }

  until(node: Node | null, path: string): string | undefined {
    const text = isScalar(node) ? node.value : undefined;
    // YAML 1.1 tools write unquoted dates; the core schema keeps them strings, a Date would come from a custom tag.
    const value = text instanceof Date ? text.toISOString() : text;
    if (typeof value === "string" && parseUntil(value) !== undefined) return value;
    this.add(node, path, `not a date: use YYYY-MM-DD (through that UTC day) or an ISO 8601 date-time, got ${JSON.stringify(value ?? null)}`);
    return undefined;
  }

  reason(node: Node | null, path: string): string | undefined {
    const value = this.string(node, path);
    if (value !== undefined && value.length > 500) this.add(node, path, "must be at most 500 characters");
    return value;
  }

  map(node: Node | null, path: string): YAMLMap | undefined {
    if (isMap(node)) return node;
    this.add(node, path, "must be a mapping");
    return undefined;
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function parsePolicy(c: Checker, node: Node | null): AccessPolicy {
  const policy: AccessPolicy = {
    members: "additive",
    teams: "additive",
    minOwners: 2,
    requiredOwners: [],
    maxRemovals: { percent: 25 },
    ignore: { members: [], teams: [] },
  };
  if (node === null) return policy;
  const map = c.map(node, "policy");
  if (!map) return policy;
  const keys = ["members", "teams", "minOwners", "requiredOwners", "maxRemovals", "ignore"] as const;
  for (const [key, , value] of c.entries(map, "policy", keys)) {
    const path = `policy.${key}`;
    if (key === "members" || key === "teams") {
      const mode = c.oneOf(value, path, ["additive", "authoritative"] as const, "mode");
      if (mode) policy[key] = mode;
    } else if (key === "minOwners") {
      const n = isScalar(value) ? value.value : undefined;
      if (typeof n === "number" && Number.isInteger(n) && n >= 1) policy.minOwners = n;
      else c.add(value, path, "must be an integer ≥ 1");
    } else if (key === "requiredOwners") {
      if (!isSeq(value)) c.add(value, path, "must be a list of emails");
      else
        value.items.forEach((item, i) => {
          const email = c.string(item as Node, `${path}[${i}]`);
          if (email !== undefined && !EMAIL.test(email)) c.add(item as Node, `${path}[${i}]`, `not an email: "${email}"`);
          else if (email !== undefined) {
            policy.requiredOwners.push(email);
            c.reference(policy.requiredOwners, email, item as Node);
          }
        });
    } else if (key === "maxRemovals") {
      const raw = isScalar(value) ? value.value : undefined;
      const percent = typeof raw === "string" ? /^(\d{1,3}(?:\.\d+)?)%$/.exec(raw.trim()) : null;
      if (typeof raw === "number" && Number.isInteger(raw) && raw >= 0) policy.maxRemovals = { count: raw };
      else if (percent && Number(percent[1]) <= 100) policy.maxRemovals = { percent: Number(percent[1]) };
      else c.add(value, path, `must be a count (10) or a share ("25%"), got ${JSON.stringify(raw ?? null)}`);
    } else {
      const ignore = c.map(value, path);
      if (!ignore) continue;
      for (const [kind, , list] of c.entries(ignore, path, ["members", "teams"] as const)) {
        if (!isSeq(list)) {
          c.add(list, `${path}.${kind}`, "must be a list of patterns");
          continue;
        }
        list.items.forEach((item, i) => {
          const pattern = c.string(item as Node, `${path}.${kind}[${i}]`);
          if (pattern !== undefined) policy.ignore[kind as "members" | "teams"].push(pattern);
        });
      }
    }
  }
  return policy;
}

function parseTeams(c: Checker, node: Node | null): Record<string, DeclaredTeam> {
  const teams: Record<string, DeclaredTeam> = {};
  if (node === null) return teams;
  const map = c.map(node, "teams");
  if (!map) return teams;
  for (const [slug, keyNode, value] of c.entries(map, "teams")) {
    const path = `teams.${slug}`;
    if (!SLUG.test(slug)) c.add(keyNode, path, "a team slug is 1-50 lowercase letters, digits, - or _");
    const team: DeclaredTeam = {};
    teams[slug] = team;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    const body = c.map(value, path);
    if (!body) continue;
    for (const [key, , field] of c.entries(body, path, ["name", "projects"] as const)) {
      if (key === "name") {
        const name = c.string(field, `${path}.name`);
        if (name !== undefined && (name.length === 0 || name.length > 64)) c.add(field, `${path}.name`, "must be 1-64 characters");
        else if (name !== undefined) team.name = name;
        continue;
      }
      if (!isSeq(field)) {
        c.add(field, `${path}.projects`, "must be a list of project slugs");
        continue;
      }
      const projects: string[] = [];
      field.items.forEach((item, i) => {
        const project = c.string(item as Node, `${path}.projects[${i}]`);
        if (project === undefined) return;
        if (!SLUG.test(project)) c.add(item as Node, `${path}.projects[${i}]`, `not a project slug: "${project}"`);
        else if (projects.includes(project)) c.add(item as Node, `${path}.projects[${i}]`, `project "${project}" is listed twice`);
        else {
          projects.push(project);
          c.reference(projects, project, item as Node);
        }
      });
      team.projects = projects;
    }
  }
  return teams;
}

function parseMembership(c: Checker, node: Node | null, path: string): DeclaredMembership | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return {};
  if (isScalar(node)) {
    const role = c.oneOf(node, path, TEAM_ROLES, "team role");
    return role ? { role } : undefined;
  }
  const map = c.map(node, path);
  if (!map) return undefined;
  const membership: DeclaredMembership = {};
  for (const [key, , value] of c.entries(map, path, ["role", "until", "reason", "breakGlass"] as const)) {
    if (key === "role") {
      const role = c.oneOf(value, `${path}.role`, TEAM_ROLES, "team role");
      if (role) membership.role = role;
    } else if (key === "breakGlass") {
      const at = c.until(value, `${path}.breakGlass`);
      if (at !== undefined) membership.breakGlass = at;
    } else if (key === "until") {
      const until = c.until(value, `${path}.until`);
      if (until !== undefined) membership.until = until;
    } else {
      const reason = c.reason(value, `${path}.reason`);
      if (reason !== undefined) membership.reason = reason;
    }
  }
  return membership;
}

/** `elevated: { role, until, reason }`: a time-bound org role; `until` is required (it is what makes it time-bound). */
function parseElevated(c: Checker, node: Node | null, path: string): ElevatedRole | undefined {
  const map = c.map(node, path);
  if (!map) return undefined;
  const out: Partial<ElevatedRole> = {};
  for (const [key, , value] of c.entries(map, path, ["role", "until", "reason", "breakGlass"] as const)) {
    if (key === "role") {
      const role = c.oneOf(value, `${path}.role`, ORG_ROLES, "org role");
      if (role) out.role = role;
    } else if (key === "until" || key === "breakGlass") {
      const at = c.until(value, `${path}.${key}`);
      if (at !== undefined) out[key] = at;
    } else {
      const reason = c.reason(value, `${path}.reason`);
      if (reason !== undefined) out.reason = reason;
    }
  }
  const has = (name: string) => map.items.some((pair) => isScalar(pair.key) && pair.key.value === name);
  if (!has("role")) c.add(map, `${path}.role`, 'missing "role": the org role held until "until"');
  if (!has("until")) c.add(map, `${path}.until`, 'missing "until": an elevated role is time-bound');
  return out.role !== undefined && out.until !== undefined ? (out as ElevatedRole) : undefined;
}

function parseMembers(c: Checker, node: Node | null): Record<string, DeclaredMember> {
  const members: Record<string, DeclaredMember> = {};
  if (node === null) return members;
  const map = c.map(node, "members");
  if (!map) return members;
  const seen = new Map<string, string>();
  for (const [email, keyNode, value] of c.entries(map, "members")) {
    const path = `members.${email}`;
    if (!EMAIL.test(email)) c.add(keyNode, path, `not an email: "${email}"`);
    const other = seen.get(email.toLowerCase());
    if (other !== undefined) c.add(keyNode, path, `duplicate member: "${other}" is the same email (emails are compared case-insensitively)`);
    seen.set(email.toLowerCase(), email);
    const body = c.map(value, path);
    if (!body) continue;
    let role: OrgRole | undefined;
    const member: Partial<DeclaredMember> = {};
    for (const [key, , field] of c.entries(body, path, ["role", "elevated", "teams", "until", "reason"] as const)) {
      if (key === "role") role = c.oneOf(field, `${path}.role`, ORG_ROLES, "org role");
      else if (key === "elevated") {
        const elevated = parseElevated(c, field, `${path}.elevated`);
        if (elevated) member.elevated = elevated;
      } else if (key === "until") {
        const until = c.until(field, `${path}.until`);
        if (until !== undefined) member.until = until;
      } else if (key === "reason") {
        const reason = c.reason(field, `${path}.reason`);
        if (reason !== undefined) member.reason = reason;
      } else {
        const teamsMap = field === null || (isScalar(field) && field.value === null) ? undefined : c.map(field, `${path}.teams`);
        const teams: Record<string, DeclaredMembership> = {};
        for (const [slug, slugNode, membershipNode] of teamsMap ? c.entries(teamsMap, `${path}.teams`) : []) {
          if (!SLUG.test(slug)) c.add(slugNode, `${path}.teams.${slug}`, "a team slug is 1-50 lowercase letters, digits, - or _");
          const membership = parseMembership(c, membershipNode, `${path}.teams.${slug}`);
          if (membership) teams[slug] = membership;
          c.reference(teams, slug, slugNode);
        }
        member.teams = teams;
      }
    }
    const hasRole = body.items.some((pair) => isScalar(pair.key) && pair.key.value === "role");
    if (!hasRole) c.add(keyNode, `${path}.role`, 'missing "role" (member, manager, owner, billing, or the retired admin)');
    if (role) members[email] = { ...member, role };
  }
  return members;
}

/**
 * A ValidationError (nothing sent) listing every issue of an access file; `body.issues` holds them as data and
 * `fieldErrors` is keyed by path with "line L, column C: message" (an issue at line 0 has no known place: its path
 * is named instead).
 * @example throw invalidAccessFile([{ path: "teams.web.projects[0]", line: 4, column: 9, message: "there is no project" }]);
 */
export function invalidAccessFile(issues: AccessConfigIssue[], heading = "invalid access file"): ValidationError {
  const lines = issues.map((i) => `${i.line > 0 ? `line ${i.line}, column ${i.column}` : i.path}: ${i.message}`);
  const fieldErrors: Record<string, string[]> = {};
  for (const [index, issue] of issues.entries()) (fieldErrors[issue.path || "(file)"] ??= []).push(lines[index] ?? issue.message);
  const detail = `${heading} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n  ${lines.join("\n  ")}`;
  return new ValidationError({ status: 400, method: "", path: "", url: "", detail, body: { issues }, fieldErrors, requestSent: false, field: issues[0]?.path });
}

/**
 * True for the error of {@link parseAccessConfig} or of a reference check in `planAccess`: an access file at
 * fault, nothing sent.
 * @example catch (e) { if (isAccessFileError(e)) console.error(e.detail); }
 */
export function isAccessFileError(error: unknown): error is ValidationError {
  return isValidationError(error) && !error.requestSent && Array.isArray((error.body as { issues?: unknown } | undefined)?.issues);
}

/**
 * Parses and validates an access file (YAML or JSON text).
 * @example
 * const config = parseAccessConfig(readFileSync("sentry-access.yaml", "utf8"));
 * console.log(Object.keys(config.members).length, "members declared for", config.organization);
 * @throws {ValidationError} listing every problem with its line and column (`body.issues` holds them as data).
 */
export function parseAccessConfig(text: string): AccessConfig {
  if (typeof text !== "string") throw ValidationError.forInput("text", "must be the file's text");
  const lines = newLineCounter();
  // Duplicate keys are found while walking, where the second key's position is known.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const c = new Checker(lines);
  for (const error of [...doc.errors]) {
    const pos = lines.linePos(error.pos[0]);
    const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "syntax error";
    c.issues.push({ path: "", line: pos?.line ?? 1, column: pos?.col ?? 1, message });
  }
  if (c.issues.length > 0) throw invalidAccessFile(c.issues);
  const root = c.map(doc.contents, "");
  if (!root) throw invalidAccessFile(c.issues);
  const fields = new Map<string, Node | null>();
  for (const [key, , value] of c.entries(root, "", ["version", "organization", "policy", "teams", "members"])) fields.set(key, value);
  const version = fields.get("version");
  if (version === undefined) c.add(root, "version", 'missing "version: 1"');
  else if (!isScalar(version) || version.value !== 1) c.add(version, "version", "only version 1 exists");
  const orgNode = fields.get("organization");
  let organization = "";
  if (orgNode === undefined) c.add(root, "organization", 'missing "organization" (the org slug)');
  else {
    organization = c.string(orgNode, "organization") ?? "";
    if (organization !== "" && !ORG_SLUG.test(organization)) c.add(orgNode, "organization", `not an organization slug: "${organization}"`);
  }
  const policy = parsePolicy(c, fields.get("policy") ?? null);
  const teams = parseTeams(c, fields.get("teams") ?? null);
  const members = parseMembers(c, fields.get("members") ?? null);
  if (c.issues.length > 0) throw invalidAccessFile(c.issues);
  return { version: 1, organization, policy, teams, members };
}
