/**
 * `adoptDrift`: rewrites an access file so the live state becomes declared for the drift shown — the other way to
 * settle drift than `apply`. Edits go through the `yaml` document API, so comments, key order and untouched lines
 * stay as they were. Pure: it takes the file's text and the drift, and returns the new text.
 */
import type { Document, Node, YAMLMap, YAMLSeq } from "yaml";
import { ValidationError } from "../../http/errors/errors.js";
import { minimumTeamRole, type OrgRole } from "../../vocabulary/roles.js";
import { isMap, isScalar, isSeq, parseDocument } from "../shared/yaml.js";
import type { AccessDrift, DriftEntry } from "./drift.js";
import type { LiveState } from "./live.js";
import { parseAccessConfig } from "./parse.js";
import type { AccessChangeKind } from "./types.js";

/** Options of {@link adoptDrift}. */
export interface AdoptOptions {
  /** Adopt only drift of this kind. */
  only?: AccessChangeKind;
}

/** What {@link adoptDrift} did. */
export interface AdoptResult {
  text: string;
  /** The drift written into the file, in words. */
  adopted: string[];
  /** Drift left as it was (another kind, or nothing the file can say). */
  skipped: string[];
}

function keyOf(map: YAMLMap, wanted: string, caseInsensitive: boolean): string | undefined {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key !== undefined && (caseInsensitive ? key.toLowerCase() === wanted.toLowerCase() : key === wanted)) return key;
  }
  return undefined;
}

function mapAt(doc: Document, path: readonly unknown[]): YAMLMap | undefined {
  const node = doc.getIn(path, true) as Node | undefined;
  return isMap(node) ? node : undefined;
}

class Editor {
  readonly adopted: string[] = [];
  readonly skipped: string[] = [];
  constructor(
    readonly doc: Document,
    readonly live: LiveState,
  ) {}

  private memberKey(email: string): string | undefined {
    const members = mapAt(this.doc, ["members"]);
    return members ? keyOf(members, email, true) : undefined;
  }

  private ensureMap(path: readonly unknown[]): void {
    if (!mapAt(this.doc, path)) this.doc.setIn(path, this.doc.createNode({}));
  }

  /** The membership value the file writes: a bare role, or null at the org role's minimum. */
  private membershipValue(orgRole: OrgRole, role: string | undefined): string | null {
    return role === undefined || role === minimumTeamRole(orgRole) ? null : role;
  }

  private declareMember(email: string): boolean {
    const m = this.live.byEmail.get(email.toLowerCase());
    if (!m) return false;
    this.ensureMap(["members"]);
    const teams = Object.fromEntries(
      [...m.teams.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([team, role]) => [team, this.membershipValue(m.role, role)]),
    );
    this.doc.setIn(["members", m.email], this.doc.createNode({ role: m.role, teams }));
    return true;
  }

  private declareTeam(slug: string): boolean {
    const t = this.live.teams.get(slug);
    if (!t) return false;
    this.ensureMap(["teams"]);
    this.doc.setIn(["teams", slug], this.doc.createNode({ name: t.name, projects: [...t.projects] }));
    // Declared, the team's memberships become managed: declare the live ones of members whose teams the file lists.
    for (const m of this.live.members) {
      const role = m.teams.get(slug);
      const key = role === undefined ? undefined : this.memberKey(m.email);
      if (key === undefined || !mapAt(this.doc, ["members", key, "teams"])) continue;
      this.doc.setIn(["members", key, "teams", slug], this.membershipValue(m.role, role));
    }
    return true;
  }

  private projects(team: string): YAMLSeq | undefined {
    const node = this.doc.getIn(["teams", team, "projects"], true) as Node | undefined;
    return isSeq(node) ? node : undefined;
  }

  /** One drift entry into the file; false when the file cannot say it. */
  apply(entry: DriftEntry): boolean {
    const change = entry.change;
    if (entry.revert === "keep") return entry.kind === "member" ? this.declareMember(entry.subject) : this.declareTeam(entry.subject);
    if (!change) return false;
    const team = change.team ?? "";
    const email = change.email ?? "";
    switch (`${change.kind}:${change.action}`) {
      case "team:create": {
        // The team is gone from Sentry: drop it, and the memberships that name it.
        this.doc.deleteIn(["teams", team]);
        const members = mapAt(this.doc, ["members"]);
        for (const pair of members?.items ?? []) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (key !== undefined && mapAt(this.doc, ["members", key, "teams"])) this.doc.deleteIn(["members", key, "teams", team]);
        }
        return true;
      }
      case "team:update":
        this.doc.setIn(["teams", team, "name"], change.from);
        return true;
      case "team:delete":
        return this.declareTeam(team);
      case "project-team:add": {
        const seq = this.projects(team);
        const index = seq?.items.findIndex((item) => isScalar(item) && item.value === change.project) ?? -1;
        if (!seq || index < 0) return false;
        seq.items.splice(index, 1);
        return true;
      }
      case "project-team:remove": {
        const seq = this.projects(team);
        if (!seq) return false;
        seq.items.push(this.doc.createNode(change.project));
        return true;
      }
      case "member:invite": {
        const key = this.memberKey(email);
        if (key === undefined) return false;
        this.doc.deleteIn(["members", key]);
        return true;
      }
      case "member:remove":
        return this.declareMember(email);
      case "member:update": {
        const key = this.memberKey(email);
        if (key === undefined || change.from === undefined) return false;
        this.doc.setIn(["members", key, "role"], change.from);
        return true;
      }
      case "team-member:remove":
      case "team-member:update": {
        const key = this.memberKey(email);
        const m = this.live.byEmail.get(email.toLowerCase());
        if (key === undefined || !m) return false;
        this.ensureMap(["members", key, "teams"]);
        this.doc.setIn(["members", key, "teams", team], this.membershipValue(m.role, m.teams.get(team)));
        return true;
      }
      case "team-member:add": {
        const key = this.memberKey(email);
        if (key === undefined) return false;
        this.doc.deleteIn(["members", key, "teams", team]);
        return true;
      }
      default:
        return false;
    }
  }
}

/**
 * Writes the live state into the access file for the drift shown (all of it, or one kind).
 * @example
 * const drift = await driftAccess(sentry, parseAccessConfig(text));
 * const { text: adopted } = adoptDrift(text, drift, live);
 * await writeFile("sentry-access.yaml", adopted);
 * @throws {ValidationError} when the file does not parse, or would not parse after the edit.
 */
export function adoptDrift(text: string, drift: AccessDrift, live: LiveState, options: AdoptOptions = {}): AdoptResult {
  parseAccessConfig(text); // the same errors, with line and column, as `plan`
  const doc = parseDocument(text);
  const editor = new Editor(doc, live);
  for (const entry of drift.drift) {
    if (options.only !== undefined && entry.kind !== options.only) continue;
    if (editor.apply(entry)) editor.adopted.push(entry.summary);
    else editor.skipped.push(entry.summary);
  }
  const out = editor.adopted.length === 0 ? text : String(doc);
  try {
    parseAccessConfig(out);
  } catch (error) {
    throw ValidationError.forInput("file", `adopting the drift would leave an invalid file: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { text: out, adopted: editor.adopted, skipped: editor.skipped };
}
