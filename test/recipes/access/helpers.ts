/**
 * Helpers of the access-as-code tests: the organization read back with plain fetch (Link headers followed by
 * hand), never through the SDK under test, and small builders of access files.
 */
import type { Emulator } from "../../../src/testing/index.js";

export const NOW = new Date("2026-03-01T12:00:00Z");

/** Every item of a Sentry list, following `rel="next"; results="true"` cursors. */
async function listAll(emu: Emulator, path: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const url = `${emu.baseUrl}${path}?per_page=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await emu.fetch(url, { headers: { Authorization: `Bearer ${emu.adminToken}` } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    out.push(...((await res.json()) as Array<Record<string, unknown>>));
    const next = /rel="next"; results="true"; cursor="([^"]+)"/.exec(res.headers.get("link") ?? "");
    if (!next) return out;
    cursor = next[1];
  }
  throw new Error("too many pages");
}

/** The organization as plain fetch sees it: teams with projects, members with role, pending and team roles. */
export async function readBack(emu: Emulator, org = "acme") {
  const teams: Record<string, { name: string; projects: string[]; idp: boolean }> = {};
  for (const t of await listAll(emu, `/api/0/organizations/${org}/teams/`)) {
    const projects = (t.projects as Array<{ slug: string }>).map((p) => p.slug).sort();
    teams[String(t.slug)] = { name: String(t.name), projects, idp: (t.flags as Record<string, boolean>)["idp:provisioned"] === true };
  }
  const members: Record<string, { role: string; pending: boolean; teams: Record<string, string> }> = {};
  const byId = new Map<string, string>();
  for (const m of await listAll(emu, `/api/0/organizations/${org}/members/`)) {
    members[String(m.email)] = { role: String(m.orgRole), pending: m.pending === true, teams: {} };
    byId.set(String(m.id), String(m.email));
  }
  for (const slug of Object.keys(teams)) {
    for (const row of await listAll(emu, `/api/0/teams/${org}/${slug}/members/`)) {
      const email = byId.get(String(row.id));
      const member = email === undefined ? undefined : members[email];
      if (member) member.teams[slug] = String(row.teamRole);
    }
  }
  return { teams, members };
}

/** Requests that could change something (anything but GET), as `METHOD path`. */
export function writesOf(emu: Emulator): string[] {
  return emu.state.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}

/** A request through plain fetch as the admin (for drift made outside the tool). */
export async function outside(emu: Emulator, method: string, path: string, body?: unknown): Promise<number> {
  const res = await emu.fetch(`${emu.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${emu.adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}
