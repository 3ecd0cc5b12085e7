/**
 * `emu.state`: a detached, read-only copy of the model for assertions. Token values never appear.
 */
import { materialiseHistory } from "./audit.js";
import { isInviteExpired, isPending, iso, type World } from "./model.js";
import type { EmulatorState, RequestLogEntry } from "./types.js";

export function snapshot(world: World, requests: RequestLogEntry[], now: number): EmulatorState {
  type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
  const state: Mutable<EmulatorState> = { orgs: [], teams: [], members: [], projects: [], tokens: [], auditLog: [], requests: [] };
  for (const org of world.orgs.values()) {
    materialiseHistory(world, org);
    const p = org.authProvider;
    state.orgs.push({
      id: String(org.id),
      slug: org.slug,
      name: org.name,
      openMembership: org.openMembership,
      memberInvites: org.memberInvites,
      authProvider: p && { provider: p.provider, scimEnabled: p.scimEnabled, requireLink: p.requireLink, defaultRole: p.defaultRole },
    });
    for (const t of org.teams.values()) {
      state.teams.push({ id: String(t.id), org: org.slug, slug: t.slug, name: t.name, idpProvisioned: t.idpProvisioned, dateCreated: iso(t.dateCreated) });
    }
    for (const m of org.members.values()) {
      state.members.push({
        id: String(m.id),
        org: org.slug,
        email: m.email,
        name: m.name,
        userId: m.userId === null ? null : String(m.userId),
        orgRole: m.orgRole,
        pending: isPending(m),
        expired: isInviteExpired(m, now),
        flags: { ...m.flags },
        dateCreated: iso(m.dateCreated),
        teams: [...m.teams].map(([id, role]) => ({ team: org.teams.get(id)?.slug ?? String(id), role })),
      });
    }
    for (const pr of org.projects.values()) {
      state.projects.push({
        id: String(pr.id),
        org: org.slug,
        slug: pr.slug,
        name: pr.name,
        platform: pr.platform,
        teams: pr.teamIds.map((id) => org.teams.get(id)?.slug ?? String(id)),
      });
    }
    for (const a of org.audit) {
      state.auditLog.push({
        id: String(a.id),
        org: org.slug,
        event: a.event,
        actorUserId: a.actorUserId === null ? null : String(a.actorUserId),
        actorLabel: a.actorLabel,
        ipAddress: a.ipAddress,
        targetObject: a.targetObject,
        targetUserId: a.targetUserId === null ? null : String(a.targetUserId),
        data: structuredClone(a.data),
        dateCreated: iso(a.ms),
      });
    }
  }
  for (const t of world.tokens.values()) {
    const org = t.orgId === null ? undefined : world.orgs.get(t.orgId);
    state.tokens.push({
      id: String(t.id),
      kind: t.kind,
      name: t.name,
      scopes: [...t.scopes],
      org: org?.slug ?? null,
      userId: t.userId === null ? null : String(t.userId),
      tokenLastCharacters: t.value.slice(-4),
      dateCreated: iso(t.dateCreated),
      expiresAt: t.expiresAt === null ? null : iso(t.expiresAt),
      dateLastUsed: t.dateLastUsed === null ? null : iso(t.dateLastUsed),
      active: t.active,
    });
  }
  state.requests = requests.map((r) => ({ ...r }));
  return deepFreeze(state as EmulatorState);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
