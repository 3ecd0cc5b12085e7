/**
 * `dumpAccess`: the live organization as an access file, pending invites, teams without projects and IdP-owned
 * objects included, so `plan` on a fresh dump shows zero changes. Expired invites are left out: they are dead
 * (Sentry removes them) and declaring them would re-invite the person.
 */
import type { Pair, Scalar } from "yaml";
import { isMap, isScalar, newDocument } from "../shared/yaml.js";
import type { SentryClient } from "../../client.js";
import { ValidationError } from "../../http/errors/index.js";
import { readLiveState } from "./live.js";
import type { AccessConfig, AccessPolicy, DeclaredMember, DeclaredTeam } from "./types.js";

/** Options of {@link dumpAccess}. */
export interface DumpAccessOptions {
  signal?: AbortSignal;
  /** Team member lists read at once (default 16). */
  concurrency?: number;
}

/** The default policy: additive for members and teams, 2 owners, at most 25% removed. */
export function defaultPolicy(): AccessPolicy {
  return { members: "additive", teams: "additive", minOwners: 2, requiredOwners: [], maxRemovals: { percent: 25 }, ignore: { members: [], teams: [] } };
}

/**
 * Reads `sentry`'s organization into an access file (as data; format it with {@link formatAccessConfig}).
 * @example
 * const config = await dumpAccess(sentry.withOrg("acme"));
 * writeFileSync("sentry-access.yaml", formatAccessConfig(config, "yaml"));
 * @throws {SentryConfigError} when the client has no organization; PermissionError when it may not list members.
 */
export async function dumpAccess(sentry: SentryClient, options: DumpAccessOptions = {}): Promise<AccessConfig> {
  return (await dumpWithOwnership(sentry, options)).config;
}

/** {@link dumpAccess} plus the IdP-owned teams and members, for the comments of {@link formatAccessConfig}. */
export async function dumpWithOwnership(
  sentry: SentryClient,
  options: DumpAccessOptions = {},
): Promise<{ config: AccessConfig; idpOwned: { teams: string[]; members: string[] } }> {
  const live = await readLiveState(sentry, options);
  const teams: Record<string, DeclaredTeam> = {};
  for (const team of [...live.teams.values()].sort((a, b) => a.slug.localeCompare(b.slug))) {
    teams[team.slug] = { name: team.name, projects: [...team.projects] };
  }
  const members: Record<string, DeclaredMember> = {};
  for (const m of [...live.members].sort((a, b) => a.email.localeCompare(b.email))) {
    if (m.pending && m.expired) continue;
    const member: DeclaredMember = { role: m.role };
    // A pending invite's memberships are not listed by Sentry: leave them unmanaged until it is accepted.
    if (!m.pending) {
      member.teams = Object.fromEntries([...m.teams.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([team, role]) => [team, { role }]));
    }
    members[m.email] = member;
  }
  const idpOwned = {
    teams: [...live.teams.values()].filter((t) => t.idp).map((t) => t.slug),
    members: live.members.filter((m) => m.idpProvisioned).map((m) => m.email),
  };
  return { config: { version: 1, organization: live.organization, policy: defaultPolicy(), teams, members }, idpOwned };
}

/** The file as plain data: the policy without defaults, team memberships as bare roles unless time-bound. */
function toPlain(config: AccessConfig): Record<string, unknown> {
  const defaults = defaultPolicy();
  const { policy } = config;
  const plainPolicy: Record<string, unknown> = { members: policy.members, teams: policy.teams };
  if (policy.minOwners !== defaults.minOwners) plainPolicy.minOwners = policy.minOwners;
  if (policy.requiredOwners.length > 0) plainPolicy.requiredOwners = policy.requiredOwners;
  if (!("percent" in policy.maxRemovals) || policy.maxRemovals.percent !== 25) {
    plainPolicy.maxRemovals = "count" in policy.maxRemovals ? policy.maxRemovals.count : `${policy.maxRemovals.percent}%`;
  }
  if (policy.ignore.members.length > 0 || policy.ignore.teams.length > 0) plainPolicy.ignore = policy.ignore;
  const members = Object.fromEntries(
    Object.entries(config.members).map(([email, m]) => {
      const out: Record<string, unknown> = { role: m.role };
      if (m.teams !== undefined) {
        out.teams = Object.fromEntries(
          Object.entries(m.teams).map(([team, t]) => [team, t.until === undefined && t.reason === undefined ? (t.role ?? null) : { ...t }]),
        );
      }
      if (m.until !== undefined) out.until = m.until;
      if (m.reason !== undefined) out.reason = m.reason;
      return [email, out];
    }),
  );
  return { version: 1, organization: config.organization, policy: plainPolicy, teams: config.teams, members };
}

/**
 * The access file as YAML or JSON text; `idpOwned` subjects get a `# IdP-owned` comment in YAML.
 * @example process.stdout.write(formatAccessConfig(await dumpAccess(sentry), "yaml"));
 * @throws {ValidationError} for an unknown format.
 */
export function formatAccessConfig(
  config: AccessConfig,
  format: "yaml" | "json",
  idpOwned: { teams?: readonly string[]; members?: readonly string[] } = {},
): string {
  const plain = toPlain(config);
  if (format === "json") return `${JSON.stringify(plain, null, 2)}\n`;
  if (format !== "yaml") throw ValidationError.forInput("format", "must be yaml or json");
  const doc = newDocument(plain);
  doc.commentBefore = " sentry-rbac access file: plan with `sentry-rbac plan FILE`, apply with `sentry-rbac apply FILE`";
  const mark = (section: string, keys: readonly string[] | undefined, text: string) => {
    const map = doc.get(section, true);
    if (!isMap(map) || !keys?.length) return;
    const wanted = new Set(keys.map((k) => k.toLowerCase()));
    for (const pair of map.items as Array<Pair<Scalar>>) {
      if (isScalar(pair.key) && wanted.has(String(pair.key.value).toLowerCase())) pair.key.commentBefore = text;
    }
  };
  mark("teams", idpOwned.teams, " IdP-owned (SCIM): name and members follow the identity provider; project links stay manageable");
  mark("members", idpOwned.members, " IdP-owned (SCIM-provisioned)");
  return doc.toString({ lineWidth: 0 });
}
