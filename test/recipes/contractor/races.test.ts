/**
 * createContractorTeam against another admin acting at the same time, offboarding with a client for another
 * organization, and re-runs that must not rewrite what the first run recorded.
 */
import { afterEach, describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { createContractorTeam, offboardContractors, type ContractorTeamOptions } from "../../../src/recipes/contractor/index.js";
import { BASE_URL, closeClients, harness, thrown } from "../../resources/helpers.js";

afterEach(closeClients);

const INPUT: ContractorTeamOptions = {
  slug: "contractors-q1",
  name: "Q1 Contractors",
  projects: ["mobile-redesign"],
  members: ["ana@vendor.test", "bo@vendor.test"],
  expiresAt: "2026-06-30T00:00:00Z",
  now: new Date("2026-03-01T12:00:00Z"),
};

/** A fetch that lets "another admin" act on the emulator just before our first request matching `when`. */
function racing(emu: ReturnType<typeof harness>["emu"], when: (method: string, path: string) => boolean, act: () => Promise<Response>) {
  let raced = false;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (!raced && when(request.method, new URL(request.url).pathname)) {
      raced = true;
      const response = await act();
      if (!response.ok) throw new Error(`the other admin's request failed: ${response.status}`);
    }
    return emu.fetch(request);
  };
}

const asAdmin = (emu: ReturnType<typeof harness>["emu"], method: string, path: string, body: unknown) =>
  emu.fetch(
    new Request(`${BASE_URL}${path}`, {
      method,
      headers: { authorization: `Bearer ${emu.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

describe("rollback undoes only what this run did", () => {
  it("keeps a team another admin created between our plan and our create (409 proves it is not ours)", async () => {
    const h = harness();
    const fetch = racing(
      h.emu,
      (m, p) => m === "POST" && p.endsWith("/organizations/acme/teams/"),
      () => asAdmin(h.emu, "POST", "/api/0/organizations/acme/teams/", { slug: "contractors-q1", name: "Someone else's team" }),
    );
    const sentry = h.clientWith(h.emu.adminToken, { fetch });
    const report = await createContractorTeam(sentry, INPUT);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ phase: "apply" });
    expect(h.emu.state.teams.find((t) => t.slug === "contractors-q1")?.name).toBe("Someone else's team");
  });

  it("keeps an invite another admin sent in a race ('already invited' proves nothing of ours exists)", async () => {
    const h = harness();
    const fetch = racing(
      h.emu,
      (m, p) => m === "POST" && p.endsWith("/organizations/acme/members/"),
      () => asAdmin(h.emu, "POST", "/api/0/organizations/acme/members/", { email: "ana@vendor.test", orgRole: "member" }),
    );
    const sentry = h.clientWith(h.emu.adminToken, { fetch });
    const report = await createContractorTeam(sentry, INPUT);
    expect(report.errors).toHaveLength(1);
    expect(h.emu.state.members.some((m) => m.email === "ana@vendor.test")).toBe(true);
    // What this run did itself is undone.
    expect(h.emu.state.teams.some((t) => t.slug === "contractors-q1")).toBe(false);
  });
});

describe("offboarding checks the manifest's organization", () => {
  it("refuses a manifest of acme with a client for another organization, before any request", async () => {
    const h = harness();
    const { manifest } = await createContractorTeam(h.sentry, INPUT);
    if (!manifest) throw new Error("setup failed");
    const requests = h.emu.state.requests.length;
    const error = await thrown(() => offboardContractors(h.sentry.withOrg("globex"), manifest, { force: true }));
    expect(isValidationError(error) && error.field).toBe("manifest.org");
    expect(h.emu.state.requests).toHaveLength(requests);
  });
});

describe("re-running creation keeps what the first run recorded", () => {
  it("merges with the previous manifest: created and invited stay true, the first expiry stays", async () => {
    const h = harness();
    const first = await createContractorTeam(h.sentry, INPUT);
    if (!first.manifest) throw new Error("setup failed");
    const second = await createContractorTeam(h.sentry, {
      ...INPUT,
      expiresAt: "2026-09-30T00:00:00Z",
      now: new Date("2026-03-02T12:00:00Z"),
      previous: first.manifest,
    });
    expect(second.manifest).toMatchObject({ team: { created: true }, expiresAt: first.manifest.expiresAt, createdAt: first.manifest.createdAt });
    expect(second.manifest?.members.map((m) => [m.email, m.invited, m.memberId])).toEqual(first.manifest.members.map((m) => [m.email, true, m.memberId]));
    expect(second.skipped.map((s) => s.subject)).toContain("manifest expiresAt");
    // So offboarding still deletes the team the first run made.
    const off = await offboardContractors(h.sentry, second.manifest!, { now: new Date("2026-07-01T00:00:00Z") });
    expect(off.applied.map((s) => s.action)).toContain("delete-team");
  });

  it("refuses a previous manifest of another team or organization", async () => {
    const h = harness();
    const { manifest } = await createContractorTeam(h.sentry, INPUT);
    if (!manifest) throw new Error("setup failed");
    const error = await thrown(() => createContractorTeam(h.sentry, { ...INPUT, slug: "contractors-q2", previous: manifest }));
    expect(isValidationError(error) && error.field).toBe("previous");
  });
});
