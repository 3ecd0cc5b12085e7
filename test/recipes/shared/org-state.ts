/**
 * Helpers of the tests of state-changing workflows (contractor teams, isolation): a normalised view of the emulator's state (what an access-control change
 * can touch, without ids that depend on request order) and the state-changing requests seen.
 */
import type { Emulator } from "../../../src/testing/index.js";

/** Teams, members (by email) and project links, ids left out, sorted: equal views mean equal access. */
export function accessState(emu: Emulator) {
  const { teams, members, projects } = emu.state;
  return {
    teams: teams.map((t) => `${t.slug}:${t.name}`).sort(),
    members: members
      .map((m) => ({ email: m.email, orgRole: m.orgRole, pending: m.pending, teams: m.teams.map((t) => `${t.team}:${t.role}`).sort() }))
      .sort((a, b) => a.email.localeCompare(b.email)),
    projects: projects.map((p) => ({ slug: p.slug, teams: [...p.teams].sort() })),
  };
}

/** Every request that could have changed something (anything but GET). */
export function writes(emu: Emulator): string[] {
  return emu.state.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}
