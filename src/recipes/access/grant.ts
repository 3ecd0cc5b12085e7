/**
 * Time-bound grants: `grantInFile` adds one to an access file (a team membership or an elevated org role with
 * `until` and `reason`) by inserting a single line, so the rest of the file stays byte for byte; `plan`/`apply` then
 * treat it as any other declaration, and `expire` removes it once `until` has passed.
 */
import type { Node, YAMLMap } from "yaml";
import { ValidationError } from "../../http/errors/errors.js";
import { isOrgRole, isTeamRole, orgRoleDefinition, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";
import { isMap, isScalar, parseDocument } from "../shared/yaml.js";
import { parseAccessConfig } from "./parse.js";
import { didYouMean } from "./suggest.js";

/** Longest grant `grant` accepts unless told otherwise: 7 days. */
export const DEFAULT_MAX_GRANT_MS = 7 * 86_400_000;

/** What to grant. */
export interface GrantInput {
  /** The member's email, as declared in the file (compared case-insensitively). */
  member: string;
  /** A team to put them on (with `teamRole`), or … */
  team?: string;
  teamRole?: TeamRole;
  /** … an org role to hold until `until`. */
  orgRole?: OrgRole;
  /** How long, in milliseconds. */
  durationMs: number;
  reason: string;
  /** Longest allowed duration (default 7 days). */
  maxMs?: number;
  /** The clock (default now). */
  now?: Date;
  /** Teams that exist in Sentry (a team the file does not declare must be one of these). */
  liveTeams?: readonly string[];
  /** Set when the grant is applied at once (`grant --now`): recorded as `breakGlass: <time>` for review. */
  breakGlass?: boolean;
}

/** The file with the grant, and the grant as written. */
export interface GrantResult {
  text: string;
  until: string;
  /** The canonical email key of the member in the file. */
  member: string;
}

function refuse(field: string, message: string): never {
  throw ValidationError.forInput(field, message);
}

function pairOf(map: YAMLMap, key: string, caseInsensitive = false) {
  return map.items.find(
    (pair) => isScalar(pair.key) && (caseInsensitive ? String(pair.key.value).toLowerCase() === key.toLowerCase() : String(pair.key.value) === key),
  );
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function flow(fields: Record<string, string | undefined>): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `{ ${parts.join(", ")} }`;
}

/**
 * Adds a time-bound grant to an access file, changing nothing else in it.
 * @example
 * const { text: next, until } = grantInFile(text, { member: "kai@acme.test", team: "payments", teamRole: "admin", durationMs: 2 * 3_600_000, reason: "INC-4211" });
 * @throws {ValidationError} for an unknown member, team or role, a duration over the maximum, an empty reason, or a
 * member whose teams the file does not manage (nothing is written).
 */
export function grantInFile(text: string, input: GrantInput): GrantResult {
  const config = parseAccessConfig(text);
  const now = input.now ?? new Date();
  const max = input.maxMs ?? DEFAULT_MAX_GRANT_MS;
  if (input.reason.trim() === "") refuse("reason", "must say why (a ticket or incident): the reason is what reviewers read");
  if (!(input.durationMs > 0)) refuse("for", "must be a positive duration such as 2h or 1d");
  if (input.durationMs > max) refuse("for", `is longer than the maximum of ${Math.round(max / 3_600_000)} h (raise it with --max)`);
  if ((input.team === undefined) === (input.orgRole === undefined)) refuse("team", "give either a team (with an optional team role) or an org role");
  const emails = Object.keys(config.members);
  const member = emails.find((e) => e.toLowerCase() === input.member.toLowerCase());
  if (member === undefined) refuse("member", `${input.member} is not declared in the file${didYouMean(input.member, emails)}; declare the member first`);
  const until = new Date(now.getTime() + input.durationMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  const breakGlass = input.breakGlass ? now.toISOString().replace(/\.\d{3}Z$/, "Z") : undefined;
  const declared = config.members[member];
  const doc = parseDocument(text);
  const memberNode = doc.getIn(["members", member], true) as Node | undefined;
  if (!isMap(memberNode)) refuse("member", `${member} must be a mapping in the file`);
  let insertAt: number;
  let line: string;
  if (input.team !== undefined) {
    const team = input.team;
    if (input.teamRole !== undefined && !isTeamRole(input.teamRole)) refuse("teamRole", `unknown team role "${String(input.teamRole)}" (admin or contributor)`);
    const known = new Set([...Object.keys(config.teams), ...(input.liveTeams ?? [])]);
    if (!known.has(team)) refuse("team", `there is no team ${team} in the file or in Sentry${didYouMean(team, [...known])}`);
    if (declared?.teams === undefined)
      refuse("member", `the file does not manage ${member}'s teams (no "teams:" key): declare their teams first, or a grant would remove the others`);
    const existing = declared.teams[team];
    if (existing !== undefined && existing.until === undefined) refuse("team", `${member} is already on ${team} without an end date`);
    const teamsNode = memberNode.get("teams", true) as Node | undefined;
    const value = flow({ role: input.teamRole, until, reason: input.reason, breakGlass });
    if (isMap(teamsNode) && teamsNode.flow !== true && teamsNode.items.length > 0) {
      const first = teamsNode.items[0]?.key as Node;
      const existingPair = pairOf(teamsNode, team);
      const anchor = (existingPair?.key as Node | undefined) ?? first;
      const start = anchor.range?.[0] ?? 0;
      insertAt = lineStart(text, start);
      line = `${text.slice(insertAt, start)}${team}: ${value}\n`;
      if (existingPair) {
        // Replace the old time-bound line: from its key to the end of its value's line.
        const end = text.indexOf("\n", (existingPair.value as Node | null)?.range?.[1] ?? start);
        const next = text.slice(0, insertAt) + line + text.slice(end === -1 ? text.length : end + 1);
        return checked(next, until, member);
      }
    } else {
      // `teams: {}` or a flow map: rewrite that one value as a flow map with the grant added.
      const range = teamsNode?.range;
      if (!range) refuse("member", `${member}'s teams cannot be edited in place`);
      const entries = isMap(teamsNode)
        ? teamsNode.items.map(
            (p) =>
              `${String((p.key as { value?: unknown }).value)}: ${text.slice((p.value as Node | null)?.range?.[0] ?? 0, (p.value as Node | null)?.range?.[1] ?? 0) || "null"}`,
          )
        : [];
      const next = `${text.slice(0, range[0])}{ ${[...entries, `${team}: ${value}`].join(", ")} }${text.slice(range[1])}`;
      return checked(next, until, member);
    }
  } else {
    const role = input.orgRole as OrgRole;
    if (!isOrgRole(role)) refuse("orgRole", `unknown org role "${String(role)}"`);
    if (declared && orgRoleDefinition(role).priority <= orgRoleDefinition(declared.role).priority)
      refuse("orgRole", `${member} already holds ${declared.role}; a grant must raise the role`);
    if (declared?.elevated !== undefined) refuse("orgRole", `${member} already has an elevated role until ${declared.elevated.until}`);
    const rolePair = pairOf(memberNode, "role");
    const keyNode = rolePair?.key as Node | undefined;
    const start = keyNode?.range?.[0] ?? 0;
    const indent = text.slice(lineStart(text, start), start);
    const valueEnd = (rolePair?.value as Node | null)?.range?.[1] ?? start;
    const eol = text.indexOf("\n", valueEnd);
    insertAt = eol === -1 ? text.length : eol + 1;
    line = `${eol === -1 ? "\n" : ""}${indent}elevated: ${flow({ role, until, reason: input.reason, breakGlass })}\n`;
    if (memberNode.flow === true) refuse("member", `${member} is written as a flow mapping; write it as a block mapping to add a grant`);
  }
  return checked(text.slice(0, insertAt) + line + text.slice(insertAt), until, member);
}

function checked(text: string, until: string, member: string): GrantResult {
  parseAccessConfig(text);
  return { text, until, member };
}
