import { generateKeyPairSync } from "node:crypto";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  DECISION_COLUMNS,
  closeAccessReview,
  isAccessPlanError,
  isAccessReviewError,
  parseCsv,
  parseReviewers,
  startAccessReview,
  verifyAccessReview,
} from "../../../src/recipes/index.js";
import type { ReviewSnapshot } from "../../../src/recipes/index.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";
import { readBack, writesOf } from "../access/helpers.js";
import { decide } from "./sheet.js";

const dirs: string[] = [];
afterEach(async () => {
  await closeClients();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "review-test-"));
  dirs.push(dir);
  return dir;
}

const now = () => new Date("2026-03-01T12:00:00Z");
const REVIEWERS = parseReviewers("'*': security@acme.test\npayments: ada.smith@acme.test\nmobile: eli.rossi@acme.test\n");

async function started() {
  const h = harness();
  const dir = await tempDir();
  const report = await startAccessReview(h.sentry, { out: dir, name: "2026 Q1 <review>", reviewers: REVIEWERS, now });
  return { ...h, dir, report };
}

describe("review start", () => {
  it("writes the snapshot, the decisions sheet with the exact header and reviewers, and a manifest of their hashes", async () => {
    const { dir, report, emu } = await started();
    expect((await readdir(dir)).sort()).toEqual(["decisions.csv", "manifest.json", "snapshot.json"]);
    const snapshot = JSON.parse(await readFile(join(dir, "snapshot.json"), "utf8")) as ReviewSnapshot;
    expect(snapshot.campaign).toBe("2026 Q1 <review>");
    expect(snapshot.takenAt).toBe("2026-03-01T12:00:00.000Z");
    expect(snapshot.takenBy).toMatchObject({ tokenKind: "user", email: "ada.smith@acme.test" });
    expect(snapshot.tool.name).toBe("sentry-rbac");
    expect(snapshot.tokens.source).toBe("not-readable");
    // Expired invites are gone in Sentry's eyes; everyone else is a subject, invites included.
    expect(snapshot.subjects.map((s) => s.email)).toContain("new.hire@acme.test");
    expect(snapshot.subjects.map((s) => s.email)).not.toContain("expired.one@acme.test");
    expect(report.subjects).toBe(snapshot.subjects.length);
    const jo = snapshot.subjects.find((s) => s.email === "jo.okafor@acme.test");
    expect(jo).toMatchObject({ orgRole: "member", ssoLinked: true, idpProvisioned: false, globalAccess: false, pending: false });
    expect(jo?.teams).toEqual([
      { team: "mobile", teamRole: "contributor" },
      { team: "okta-engineering", teamRole: "contributor" },
    ]);
    expect(jo?.projects).toEqual([{ project: "mobile-redesign", via: ["mobile"] }]);
    const quinn = snapshot.subjects.find((s) => s.email === "quinn.rossi@acme.test");
    expect(quinn?.projects.find((p) => p.project === "web-frontend")?.via).toEqual(["identity", "platform"]);
    expect(snapshot.subjects.find((s) => s.email === "scim.user1@acme.test")).toMatchObject({
      pending: true,
      idpProvisioned: true,
      teams: [{ team: "okta-engineering" }],
    });
    expect(snapshot.subjects.find((s) => s.email === "ada.smith@acme.test")?.globalAccess).toBe(true);
    expect(snapshot.teams.find((t) => t.slug === "okta-engineering")?.idpProvisioned).toBe(true);
    // Never a secret.
    for (const file of ["snapshot.json", "decisions.csv", "manifest.json"]) expect(await readFile(join(dir, file), "utf8")).not.toContain(emu.adminToken);

    const records = parseCsv(await readFile(join(dir, "decisions.csv"), "utf8"));
    expect(records[0]?.fields.join(",")).toBe("member_id,email,org_role,teams,projects,reviewer,decision,new_org_role,remove_teams,note");
    expect(records[0]?.fields).toEqual([...DECISION_COLUMNS]);
    const byEmail = new Map(records.slice(1).map((r) => [r.fields[1], r.fields]));
    expect(byEmail.get("kai.rossi@acme.test")?.[5]).toBe("ada.smith@acme.test"); // payments → ada
    expect(byEmail.get("ada.smith@acme.test")?.[5]).toBe("security@acme.test"); // never their own reviewer
    expect(byEmail.get("jo.okafor@acme.test")?.slice(3, 7)).toEqual(["mobile;okta-engineering", "mobile-redesign", "eli.rossi@acme.test", ""]);
    expect(byEmail.get("ada.smith@acme.test")?.[4]?.startsWith("*")).toBe(true);

    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as {
      files: Record<string, { sha256: string }>;
      organization: string;
      campaign: string;
    };
    expect(manifest.organization).toBe("acme");
    expect(manifest.campaign).toBe("2026 Q1 <review>");
    expect(Object.keys(manifest.files)).toEqual(["snapshot.json", "decisions.csv"]);
    expect((await verifyAccessReview({ dir })).intact).toBe(true);
    expect(writesOf(emu)).toEqual([]);
  });

  it("refuses a folder that already holds a campaign", async () => {
    const { dir, sentry } = await started();
    const error = await thrown(() => startAccessReview(sentry, { out: dir }));
    expect(isAccessReviewError(error) && error.code).toBe("invalid-campaign");
  });

  it("records a token inventory without anything but the records' descriptive fields", async () => {
    const { sentry } = harness();
    const dir = await tempDir();
    const tokens = [{ id: "7", name: "ci-prod", scopes: ["org:ci"], kind: "org" as const, token: "sntrys_secret" } as never];
    await startAccessReview(sentry, { out: dir, tokens });
    const snapshot = JSON.parse(await readFile(join(dir, "snapshot.json"), "utf8")) as ReviewSnapshot;
    expect(snapshot.tokens).toMatchObject({ source: "inventory", tokens: [{ id: "7", name: "ci-prod", scopes: ["org:ci"], kind: "org" }] });
    expect(JSON.stringify(snapshot)).not.toContain("sntrys_secret");
  });
});

describe("review close", () => {
  it("applies revoke, set-role and remove-teams, proves each by a re-read, and leaves IdP-owned ones to the IdP", async () => {
    const { dir, sentry, emu, seen } = await started();
    await decide(dir, {
      "kai.rossi@acme.test": { decision: "revoke", note: 'left, "moved" to finance,\nsee HR-12' },
      "lena.kim@acme.test": { decision: "set-role", new_org_role: "manager" },
      "quinn.rossi@acme.test": { decision: "remove-teams", remove_teams: "platform" },
      "omar.nguyen@acme.test": { decision: "revoke" }, // SCIM-provisioned
      "sara.smith@acme.test": { decision: "remove-teams", remove_teams: "okta-engineering;platform" }, // one IdP team
      "stale.invite@acme.test": { decision: "revoke" },
    });
    const before = seen.length;
    let asked = 0;
    const closed = await closeAccessReview(sentry, {
      dir,
      now,
      confirm: () => {
        asked++;
        return true;
      },
    });
    expect(asked).toBe(1);
    const outcome = (email: string) => closed.outcomes.find((o) => o.email === email);
    expect(outcome("kai.rossi@acme.test")).toMatchObject({ outcome: "revoked", verifiedAt: "2026-03-01T12:00:00.000Z" });
    expect(outcome("lena.kim@acme.test")?.outcome).toBe("role-changed");
    expect(outcome("quinn.rossi@acme.test")?.outcome).toBe("teams-removed");
    expect(outcome("omar.nguyen@acme.test")).toMatchObject({ outcome: "pending-idp", verifiedAt: null });
    expect(outcome("omar.nguyen@acme.test")?.detail).toContain("deprovision omar.nguyen@acme.test in the identity provider");
    expect(outcome("sara.smith@acme.test")?.outcome).toBe("pending-idp");
    expect(outcome("sara.smith@acme.test")?.detail).toContain("okta-engineering");
    expect(outcome("stale.invite@acme.test")?.outcome).toBe("revoked");
    expect(outcome("ada.smith@acme.test")?.outcome).toBe("kept");
    expect(closed.counts).toMatchObject({ revoked: 2, "role-changed": 1, "teams-removed": 1, "pending-idp": 2, failed: 0 });
    expect(closed.verified).toBe(true);
    // Privileged subjects come first.
    const firstMember = closed.outcomes.findIndex((o) => !o.before.privileged);
    expect(closed.outcomes.slice(0, firstMember).every((o) => ["owner", "manager"].includes(o.before.orgRole))).toBe(true);

    // Read back with plain fetch: the state the report claims.
    const state = await readBack(emu);
    expect(state.members["kai.rossi@acme.test"]).toBeUndefined();
    expect(state.members["stale.invite@acme.test"]).toBeUndefined();
    // The role changed and the team set was sent along (Sentry's PUT replaces it): lena is still on identity.
    expect(state.members["lena.kim@acme.test"]?.role).toBe("manager");
    expect(Object.keys(state.members["lena.kim@acme.test"]?.teams ?? {})).toEqual(["identity"]);
    expect(Object.keys(state.members["quinn.rossi@acme.test"]?.teams ?? {})).toEqual(["identity"]);
    expect(Object.keys(state.members["sara.smith@acme.test"]?.teams ?? {})).toEqual(["okta-engineering"]);
    expect(state.members["omar.nguyen@acme.test"]).toBeDefined();

    // One write per change; the only per-member reads are the invites' details in the final re-read.
    const requests = seen.slice(before);
    const writes = requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    expect(writes).toHaveLength(closed.plan.changes.length);
    expect(closed.plan.changes.map((c) => `${c.kind} ${c.action} ${c.subject}`).sort()).toEqual([
      "member remove kai.rossi@acme.test",
      "member remove stale.invite@acme.test",
      "member update lena.kim@acme.test",
      "team-member remove platform/quinn.rossi@acme.test",
      "team-member remove platform/sara.smith@acme.test",
    ]);
    const after = JSON.parse(await readFile(join(dir, "after.json"), "utf8")) as ReviewSnapshot;
    const memberGets = requests.filter((r) => r.method === "GET" && /\/members\/\d+\/$/.test(r.path));
    expect(memberGets).toHaveLength(after.subjects.filter((s) => s.pending).length);

    // The report and the sealed files.
    const reportCsv = parseCsv(await readFile(join(dir, "report.csv"), "utf8"));
    expect(reportCsv[0]?.fields).toEqual(["member_id", "email", "before", "decision", "reviewer", "outcome", "detail", "verified_at", "note"]);
    expect(reportCsv).toHaveLength(closed.outcomes.length + 1);
    expect(reportCsv.find((r) => r.fields[1] === "kai.rossi@acme.test")?.fields.slice(5, 6)).toEqual(["revoked"]);
    expect(reportCsv.find((r) => r.fields[1] === "kai.rossi@acme.test")?.fields[8]).toBe('left, "moved" to finance,\nsee HR-12');
    const html = await readFile(join(dir, "report.html"), "utf8");
    expect(html).toContain("Access review: 2026 Q1 &lt;review&gt;");
    expect(html).not.toContain("<review>");
    expect(html).not.toMatch(/<script|https?:\/\/|<link|<img/i);
    for (const o of closed.outcomes) expect(html).toContain(o.email);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as { files: Record<string, { sha256: string }>; closedAt: string };
    expect(Object.keys(manifest.files)).toEqual(["snapshot.json", "decisions.csv", "plan.json", "after.json", "report.csv", "report.html"]);
    expect(html).toContain(manifest.files["after.json"]?.sha256);
    expect(manifest.closedAt).toBe("2026-03-01T12:00:00.000Z");
    const verdict = await verifyAccessReview({ dir });
    expect(verdict).toMatchObject({ intact: true, closed: true, signature: "not-checked" });

    // Closed is closed: the evidence is never rewritten.
    const again = await thrown(() => closeAccessReview(sentry, { dir }));
    expect(isAccessReviewError(again) && again.code).toBe("invalid-campaign");
  });

  it("sends one write per revocation and reads only the organization before and after (no member read one by one)", async () => {
    const { dir, sentry, seen } = await started();
    const revoked = ["kai.rossi@acme.test", "lena.kim@acme.test", "nia.garcia@acme.test", "pia.okafor@acme.test", "raj.kim@acme.test"];
    await decide(dir, Object.fromEntries(revoked.map((email) => [email, { decision: "revoke" }])));
    const before = seen.length;
    const closed = await closeAccessReview(sentry, { dir, now });
    const requests = seen.slice(before);
    expect(requests.filter((r) => r.method !== "GET").map((r) => r.method)).toEqual(revoked.map(() => "DELETE"));
    const gets = requests.filter((r) => r.method === "GET");
    // The API root, the read before the writes, the re-read (whose invite details are the only per-member reads).
    expect(gets).toHaveLength(closed.requests.reads);
    const after = JSON.parse(await readFile(join(dir, "after.json"), "utf8")) as ReviewSnapshot;
    expect(gets.filter((r) => /\/members\/\d+\/$/.test(r.path))).toHaveLength(after.subjects.filter((s) => s.pending).length);
    expect(closed.counts.revoked).toBe(revoked.length);
  });

  it("marks a decision failed with Sentry's reason when the re-read does not show it", async () => {
    const { dir, clientWith, emu } = await started();
    await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" }, "nia.garcia@acme.test": { decision: "set-role", new_org_role: "manager" } });
    // A token without member:admin: Sentry would refuse both, so the plan blocks them and the rows fail.
    const weak = emu.issueToken({ scopes: ["org:read", "member:read", "team:read"], name: "weak" });
    const closed = await closeAccessReview(clientWith(weak), { dir, now });
    expect(closed.outcomes.find((o) => o.email === "kai.rossi@acme.test")?.outcome).toBe("failed");
    expect(closed.outcomes.find((o) => o.email === "kai.rossi@acme.test")?.detail).toMatch(/member:admin|blocked/);
    expect(closed.verified).toBe(false);
    expect((await readBack(emu)).members["kai.rossi@acme.test"]).toBeDefined();
  });

  it("stops at the plan on a dry run and when the confirmation is declined: nothing sent, nothing written", async () => {
    const { dir, sentry, emu } = await started();
    await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" } });
    const dry = await closeAccessReview(sentry, {
      dir,
      dryRun: true,
      confirm: () => {
        throw new Error("a dry run never asks");
      },
    });
    expect(dry.plan.changes.map((c) => c.subject)).toEqual(["kai.rossi@acme.test"]);
    const declined = await closeAccessReview(sentry, { dir, confirm: () => false });
    expect(declined.declined).toBe(true);
    expect(writesOf(emu)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(["decisions.csv", "manifest.json", "snapshot.json"]);
  });

  it("refuses, before any write, decisions that would remove the last owners", async () => {
    const { dir, sentry, emu } = await started();
    await decide(dir, {
      "ben.garcia@acme.test": { decision: "revoke" },
      "ada.smith@acme.test": { decision: "set-role", new_org_role: "member", reviewer: "security@acme.test" },
    });
    const error = await thrown(() => closeAccessReview(sentry, { dir }));
    expect(isAccessPlanError(error) && error.code).toBe("rails");
    expect(writesOf(emu)).toEqual([]);
  });

  it("refuses removals over the limit", async () => {
    const { dir, sentry, emu } = await started();
    await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" }, "lena.kim@acme.test": { decision: "revoke" } });
    const error = await thrown(() => closeAccessReview(sentry, { dir, maxRemovals: { count: 1 } }));
    expect(isAccessPlanError(error) && error.message).toMatch(/maxRemovals/);
    expect(writesOf(emu)).toEqual([]);
  });
});

describe("review close refuses before any request, naming the line", () => {
  const cases: Array<[string, Record<string, Record<string, string>>, RegExp]> = [
    ["an empty decision", { "kai.rossi@acme.test": { decision: "" } }, /no decision for kai\.rossi/],
    ["an unknown decision", { "kai.rossi@acme.test": { decision: "delete" } }, /unknown decision "delete"/],
    ["a missing reviewer", { "kai.rossi@acme.test": { reviewer: "" } }, /no reviewer for kai\.rossi/],
    ["a reviewer who is the subject", { "kai.rossi@acme.test": { reviewer: "Kai.Rossi@acme.test" } }, /may not review their own access/],
    ["set-role without a valid role", { "kai.rossi@acme.test": { decision: "set-role", new_org_role: "superuser" } }, /valid new_org_role/],
    ["set-role to a retired role", { "kai.rossi@acme.test": { decision: "set-role", new_org_role: "admin" } }, /valid new_org_role/],
    ["remove-teams of a team they are not on", { "kai.rossi@acme.test": { decision: "remove-teams", remove_teams: "mobile" } }, /not on mobile/],
  ];
  for (const [name, decisions, message] of cases) {
    it(name, async () => {
      const { dir, sentry, seen } = await started();
      await decide(dir, decisions);
      const records = parseCsv(await readFile(join(dir, "decisions.csv"), "utf8"));
      const line = records.find((r) => r.fields[1] === "kai.rossi@acme.test")?.line;
      const before = seen.length;
      const error = await thrown(() => closeAccessReview(sentry, { dir }));
      expect(isAccessReviewError(error) && error.code).toBe("invalid-decision");
      expect(isAccessReviewError(error) && error.line).toBe(line);
      expect((error as Error).message).toMatch(new RegExp(`^decisions\\.csv line ${line}: `));
      expect((error as Error).message).toMatch(message);
      expect(seen.length).toBe(before);
    });
  }

  it("a member_id not in the snapshot", async () => {
    const { dir, sentry, seen } = await started();
    await decide(dir, {});
    const text = await readFile(join(dir, "decisions.csv"), "utf8");
    await writeFile(join(dir, "decisions.csv"), `${text}"99999","ghost@acme.test","member","","","security@acme.test","revoke","","",""\r\n`);
    const lines = text.split("\r\n").length;
    const before = seen.length;
    const error = await thrown(() => closeAccessReview(sentry, { dir }));
    expect((error as Error).message).toBe(`decisions.csv line ${lines}: member_id "99999" is not in the snapshot`);
    expect(seen.length).toBe(before);
  });

  it("a snapshot.json whose hash differs from the manifest", async () => {
    const { dir, sentry, seen } = await started();
    await decide(dir, {});
    const snapshot = await readFile(join(dir, "snapshot.json"), "utf8");
    await writeFile(join(dir, "snapshot.json"), snapshot.replace("kai.rossi@acme.test", "kai.r0ssi@acme.test"));
    const before = seen.length;
    const error = await thrown(() => closeAccessReview(sentry, { dir }));
    expect(isAccessReviewError(error) && error.code).toBe("tampered");
    expect((error as Error).message).toContain("snapshot.json");
    expect(seen.length).toBe(before);
  });

  it("a signing key that is not Ed25519", async () => {
    const { dir, sentry, seen } = await started();
    await decide(dir, {});
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const before = seen.length;
    const error = await thrown(() => closeAccessReview(sentry, { dir, signKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() }));
    expect(isAccessReviewError(error) && error.code).toBe("invalid-key");
    expect(seen.length).toBe(before);
  });
});

describe("review verify", () => {
  it("checks every hash and the Ed25519 signature, naming the first file that differs", async () => {
    const { dir, sentry } = await started();
    await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" } });
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const pub = publicKey.export({ type: "spki", format: "pem" }).toString();
    const closed = await closeAccessReview(sentry, { dir, signKey: pem });
    expect(closed.signed).toBe(true);
    expect(await verifyAccessReview({ dir, publicKey: pub })).toMatchObject({ intact: true, signature: "valid" });
    // Copied elsewhere (another machine, an archive restored): the same verdict, from the files alone.
    const copy = join(await tempDir(), "restored");
    await cp(dir, copy, { recursive: true });
    expect(await verifyAccessReview({ dir: copy, publicKey: pub })).toMatchObject({ intact: true, signature: "valid" });
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(await verifyAccessReview({ dir, publicKey: other })).toMatchObject({ intact: false, signature: "invalid", firstDiffering: "manifest.sig" });

    // One changed byte in the evidence.
    const csv = await readFile(join(dir, "report.csv"), "utf8");
    await writeFile(join(dir, "report.csv"), csv.replace("revoked", "kept"));
    const after = await readFile(join(dir, "after.json"), "utf8");
    await writeFile(join(dir, "after.json"), `${after} `);
    const verdict = await verifyAccessReview({ dir, publicKey: pub });
    expect(verdict).toMatchObject({ intact: false, firstDiffering: "after.json", signature: "valid" });
    expect(verdict.files.filter((f) => !f.intact).map((f) => f.file)).toEqual(["after.json", "report.csv"]);

    // A manifest edited to match the change fails the signature.
    const manifest = await readFile(join(dir, "manifest.json"), "utf8");
    await writeFile(join(dir, "manifest.json"), manifest.replace('"campaign"', '"campaign" '));
    expect((await verifyAccessReview({ dir, publicKey: pub })).signature).toBe("invalid");
  });
});
