/**
 * Builds the emulator's world from a fixture: dates are relative to `now`, token values and the
 * generated audit history come from the seed, so the same inputs always give the same state.
 */
import { mintTokenValue } from "./auth.js";
import { DAY_MS, NO_FLAGS, type Org, slugify, type Token, World } from "./model.js";
import type { Random } from "./random.js";
import { ALL_SCOPES, normaliseTeamRole } from "./roles.js";
import type { Fixture, TokenKind } from "./types.js";

export const SCIM_SCOPES = ["member:read", "member:write", "member:admin", "team:read", "team:write", "team:admin"];

export interface BuiltWorld {
  world: World;
  org: Org;
  adminToken: string;
  scimToken: string | undefined;
}

export function addToken(
  world: World,
  random: Random,
  input: {
    kind: TokenKind;
    name: string;
    scopes: string[];
    userId: number | null;
    orgId: number | null;
    dateCreated: number;
    expiresAt: number | null;
    dateLastUsed?: number | null;
    label?: string;
  },
): Token {
  const token: Token = {
    id: world.nextId("token"),
    kind: input.kind,
    value: mintTokenValue(input.kind, random),
    name: input.name,
    scopes: input.kind === "org" ? ["org:ci"] : [...input.scopes],
    userId: input.kind === "user" ? input.userId : null,
    orgId: input.kind === "user" ? null : input.orgId,
    dateCreated: input.dateCreated,
    expiresAt: input.expiresAt,
    dateLastUsed: input.dateLastUsed ?? null,
    active: true,
    label: input.label ?? input.name,
  };
  world.tokens.set(token.id, token);
  return token;
}

export function buildWorld(fixture: Fixture, now: number, random: Random, seed: number, auditRows?: number): BuiltWorld {
  const world = new World();
  world.auditSeed = seed;
  world.builtAt = now;
  const ago = (days: number | undefined, fallback: number) => now - (days ?? fallback) * DAY_MS;
  const provider = fixture.authProvider ?? null;
  const org: Org = {
    id: world.nextId("org"),
    slug: fixture.org.slug,
    name: fixture.org.name ?? fixture.org.slug,
    dateCreated: ago(400, 400),
    openMembership: fixture.org.openMembership ?? true,
    memberInvites: fixture.org.memberInvites ?? true,
    authProvider: provider && {
      id: world.nextId("provider"),
      provider: provider.provider,
      scimEnabled: provider.scimEnabled,
      requireLink: provider.requireLink ?? true,
      defaultRole: provider.defaultRole ?? "member",
    },
    teams: new Map(),
    members: new Map(),
    projects: new Map(),
    audit: [],
    pendingAuditRows: auditRows ?? fixture.auditRows ?? 0,
  };
  world.orgs.set(org.id, org);
  for (const t of fixture.teams ?? []) {
    const id = world.nextId("team");
    org.teams.set(id, { id, slug: t.slug, name: t.name ?? t.slug, dateCreated: ago(t.daysAgo, 300), idpProvisioned: t.idpProvisioned ?? false });
  }
  const teamBySlug = new Map([...org.teams.values()].map((t) => [t.slug, t]));
  for (const p of fixture.projects ?? []) {
    const id = world.nextId("project");
    const teamIds = (p.teams ?? []).map((slug) => teamBySlug.get(slug)?.id).filter((x): x is number => x !== undefined);
    org.projects.set(id, { id, slug: p.slug, name: p.name ?? p.slug, platform: p.platform ?? null, dateCreated: ago(p.daysAgo, 300), teamIds });
  }
  // The acting owner for the admin token; the empty fixture still needs one.
  const members = fixture.members?.length ? fixture.members : [{ email: "owner@acme.test", name: "Org Owner", orgRole: "owner" as const }];
  for (const m of members) {
    const created = ago(m.daysAgo, 200);
    let userId: number | null = null;
    if (!m.pending) {
      userId = world.nextId("user");
      world.users.set(userId, {
        id: userId,
        email: m.email,
        name: m.name ?? m.email,
        dateJoined: created,
        has2fa: m.has2fa ?? false,
        lastLogin: created + DAY_MS,
      });
    }
    const id = world.nextId("member");
    const teams = new Map(
      (m.teams ?? []).flatMap((t) => {
        const team = teamBySlug.get(t.team);
        return team ? [[team.id, normaliseTeamRole(m.orgRole, t.role ?? null)] as const] : [];
      }),
    );
    const inviter = m.pending && m.invitedBy ? [...world.users.values()].find((u) => u.email === m.invitedBy) : undefined;
    if (m.pending && m.invitedBy && !inviter) throw new Error(`fixture ${fixture.org.slug}: invitedBy ${m.invitedBy} is not a member listed before ${m.email}`);
    org.members.set(id, {
      id,
      email: m.email,
      name: m.name ?? m.email,
      userId,
      orgRole: m.orgRole,
      flags: { ...NO_FLAGS, ...m.flags },
      dateCreated: created,
      inviterName: inviter?.name ?? (m.pending ? "Org Owner" : null),
      inviterUserId: inviter?.id ?? null,
      teams,
    });
  }
  const everyone = [...org.members.values()];
  org.historyPool = {
    actors: everyone.flatMap((m) => (m.userId !== null && (m.orgRole === "owner" || m.orgRole === "manager") ? [{ userId: m.userId, name: m.name }] : [])),
    targets: everyone.map((m) => ({ id: m.id, email: m.email, orgRole: m.orgRole, userId: m.userId })),
    teams: [...org.teams.values()].map((t) => ({ id: t.id, slug: t.slug })),
    projects: [...org.projects.values()].map((p) => ({ id: p.id, slug: p.slug })),
  };
  const owner = everyone.find((m) => m.orgRole === "owner" && m.userId !== null);
  if (!owner || owner.userId === null) throw new Error(`fixture ${fixture.org.slug} needs an owner who is not a pending invite`);
  for (const t of fixture.tokens ?? []) {
    const user = t.userEmail ? [...world.users.values()].find((u) => u.email === t.userEmail) : world.users.get(owner.userId);
    addToken(world, random, {
      kind: t.kind,
      name: t.name,
      scopes: t.scopes,
      userId: user?.id ?? owner.userId,
      orgId: org.id,
      dateCreated: ago(t.daysAgo, 90),
      expiresAt: t.expiresInDays === undefined ? null : now + t.expiresInDays * DAY_MS,
      dateLastUsed: t.lastUsedDaysAgo === undefined ? null : ago(t.lastUsedDaysAgo, 0),
    });
  }
  const admin = addToken(world, random, {
    kind: "user",
    name: "emulator admin",
    scopes: [...ALL_SCOPES],
    userId: owner.userId,
    orgId: null,
    dateCreated: now,
    expiresAt: null,
  });
  let scimToken: string | undefined;
  if (org.authProvider?.scimEnabled) {
    const label = `SCIM Internal Integration (${random.hex(6)})`;
    scimToken = addToken(world, random, {
      kind: "integration",
      name: `scim-internal-integration-${slugify(org.slug)}`,
      scopes: SCIM_SCOPES,
      userId: null,
      orgId: org.id,
      dateCreated: ago(60, 60),
      expiresAt: null,
      label,
    }).value;
  }
  return { world, org, adminToken: admin.value, scimToken };
}
