import { beforeAll, describe, expect, it } from "vitest";
import { operationTable } from "../../src/generated/operations.js";
import { type Emulator } from "../../src/testing/index.js";
import { asArray, asObject, call, demo } from "./helpers.js";
import { loadSpecSchemas, type SpecSchemas } from "./spec-schemas.js";

let spec: SpecSchemas;
beforeAll(async () => {
  spec = await loadSpecSchemas();
});

const ORG = "/api/0/organizations/acme";
const table = operationTable as unknown as Record<string, { sessionOnly: boolean }>;

interface Step {
  op: string;
  method: string;
  path: string | ((ids: Record<string, string>) => string);
  token?: "admin" | "scim" | "member";
  body?: unknown;
  status: number;
  save?: (body: unknown, ids: Record<string, string>) => void;
}

/** One successful call of every wrapped operation, in an order where each can succeed. */
const STEPS: Step[] = [
  { op: "listOrganizationTeams", method: "GET", path: `${ORG}/teams/`, status: 200 },
  { op: "listOrganizationTeams", method: "GET", path: `${ORG}/teams/?detailed=0&per_page=2`, status: 200 },
  { op: "createOrganizationTeam", method: "POST", path: `${ORG}/teams/`, body: { slug: "spec-team", name: "Spec Team" }, status: 201 },
  { op: "getTeam", method: "GET", path: "/api/0/teams/acme/payments/", status: 200 },
  { op: "updateTeam", method: "PUT", path: "/api/0/teams/acme/spec-team/", body: { slug: "spec-team-2", name: "Spec 2" }, status: 200 },
  { op: "listTeamMembers", method: "GET", path: "/api/0/teams/acme/payments/members/", status: 200 },
  { op: "listTeamProjects", method: "GET", path: "/api/0/teams/acme/payments/projects/", status: 200 },
  { op: "listOrganizationMembers", method: "GET", path: `${ORG}/members/`, status: 200 },
  {
    op: "addOrganizationMember",
    method: "POST",
    path: `${ORG}/members/`,
    status: 201,
    body: { email: "spec.invite@acme.test", orgRole: "member", teamRoles: [{ teamSlug: "payments", role: "admin" }] },
    save: (b, ids) => {
      ids.invite = String(asObject(b).id);
    },
  },
  {
    op: "listOrganizationMembers",
    method: "GET",
    path: `${ORG}/members/?query=email:eli.rossi@acme.test`,
    status: 200,
    save: (b, ids) => {
      ids.member = String(asArray(b)[0]?.id);
    },
  },
  { op: "getOrganizationMember", method: "GET", path: (ids) => `${ORG}/members/${ids.member}/`, status: 200 },
  { op: "getOrganizationMember", method: "GET", path: (ids) => `${ORG}/members/${ids.invite}/`, status: 200 },
  {
    op: "updateOrganizationMember",
    method: "PUT",
    path: (ids) => `${ORG}/members/${ids.member}/`,
    status: 200,
    body: {
      orgRole: "member",
      teamRoles: [
        { teamSlug: "payments", role: "admin" },
        { teamSlug: "identity", role: null },
      ],
    },
  },
  { op: "addOrganizationMemberTeam", method: "POST", path: (ids) => `${ORG}/members/${ids.member}/teams/platform/`, status: 201 },
  {
    op: "updateOrganizationMemberTeam",
    method: "PUT",
    path: (ids) => `${ORG}/members/${ids.member}/teams/platform/`,
    body: { teamRole: "admin" },
    status: 200,
  },
  // organization_member_team_details.py `get` (private, in spec/supplement.yaml).
  { op: "getOrganizationMemberTeam", method: "GET", path: (ids) => `${ORG}/members/${ids.member}/teams/platform/`, status: 200 },
  { op: "deleteOrganizationMemberTeam", method: "DELETE", path: (ids) => `${ORG}/members/${ids.member}/teams/platform/`, status: 200 },
  { op: "deleteOrganizationMember", method: "DELETE", path: (ids) => `${ORG}/members/${ids.invite}/`, status: 204 },
  { op: "listOrganizationProjects", method: "GET", path: `${ORG}/projects/`, status: 200 },
  { op: "getProject", method: "GET", path: "/api/0/projects/acme/payment-api/", status: 200 },
  { op: "listProjectTeams", method: "GET", path: "/api/0/projects/acme/web-frontend/teams/", status: 200 },
  { op: "addProjectTeam", method: "POST", path: "/api/0/projects/acme/payment-api/teams/spec-team-2/", status: 201 },
  { op: "deleteProjectTeam", method: "DELETE", path: "/api/0/projects/acme/payment-api/teams/spec-team-2/", status: 200 },
  { op: "deleteTeam", method: "DELETE", path: "/api/0/teams/acme/spec-team-2/", status: 204 },
  { op: "listOrganizationScimV2Users", method: "GET", path: `${ORG}/scim/v2/Users?count=5`, token: "scim", status: 200 },
  {
    op: "provisionOrganizationScimV2User",
    method: "POST",
    path: `${ORG}/scim/v2/Users`,
    token: "scim",
    status: 201,
    body: { userName: "scim.spec@acme.test", sentryOrgRole: "manager" },
    save: (b, ids) => {
      ids.scimUser = String(asObject(b).id);
    },
  },
  { op: "getOrganizationScimV2User", method: "GET", path: (ids) => `${ORG}/scim/v2/Users/${ids.scimUser}`, token: "scim", status: 200 },
  // scim/members.py `put` (experimental, in spec/supplement.yaml): sets and locks the IdP-managed org role.
  {
    op: "replaceOrganizationScimV2UserRole",
    method: "PUT",
    path: (ids) => `${ORG}/scim/v2/Users/${ids.scimUser}`,
    token: "scim",
    status: 200,
    body: { sentryOrgRole: "member" },
  },
  {
    op: "provisionOrganizationScimV2User",
    method: "POST",
    path: `${ORG}/scim/v2/Users`,
    token: "scim",
    status: 201,
    body: { userName: "scim.patched@acme.test" },
    save: (b, ids) => {
      ids.scimPatched = String(asObject(b).id);
    },
  },
  {
    // scim/members.py: the only PATCH Sentry accepts sets active to false, which deletes the member.
    op: "updateOrganizationScimV2User",
    method: "PATCH",
    path: (ids) => `${ORG}/scim/v2/Users/${ids.scimPatched}`,
    token: "scim",
    status: 204,
    body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] },
  },
  { op: "deleteOrganizationScimV2User", method: "DELETE", path: (ids) => `${ORG}/scim/v2/Users/${ids.scimUser}`, token: "scim", status: 204 },
  { op: "listOrganizationScimV2Groups", method: "GET", path: `${ORG}/scim/v2/Groups`, token: "scim", status: 200 },
  {
    op: "provisionOrganizationScimV2Group",
    method: "POST",
    path: `${ORG}/scim/v2/Groups`,
    token: "scim",
    status: 201,
    body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Spec Group" },
    save: (b, ids) => {
      ids.group = String(asObject(b).id);
    },
  },
  { op: "getOrganizationScimV2Group", method: "GET", path: (ids) => `${ORG}/scim/v2/Groups/${ids.group}`, token: "scim", status: 200 },
  {
    op: "updateOrganizationScimV2Group",
    method: "PATCH",
    path: (ids) => `${ORG}/scim/v2/Groups/${ids.group}`,
    token: "scim",
    status: 204,
    body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: "1" }] }] },
  },
  { op: "deleteOrganizationScimV2Group", method: "DELETE", path: (ids) => `${ORG}/scim/v2/Groups/${ids.group}`, token: "scim", status: 204 },
  { op: "getOrganizationAuthProvider", method: "GET", path: `${ORG}/auth-provider/`, status: 200 },
  { op: "getApiIndex", method: "GET", path: "/api/0/", status: 200 },
  { op: "listOrganizationAuditLogs", method: "GET", path: `${ORG}/audit-logs/?per_page=50`, status: 200 },
  { op: "getApiToken", method: "GET", path: (ids) => `/api/0/api-tokens/${ids.adminTokenId}/`, status: 200 },
  { op: "updateApiToken", method: "PUT", path: (ids) => `/api/0/api-tokens/${ids.adminTokenId}/`, body: { name: "renamed" }, status: 200 },
  { op: "getOrganizationAuthToken", method: "GET", path: (ids) => `${ORG}/org-auth-tokens/${ids.orgTokenId}/`, status: 200 },
  { op: "updateOrganizationAuthToken", method: "PUT", path: (ids) => `${ORG}/org-auth-tokens/${ids.orgTokenId}/`, body: { name: "ci-renamed" }, status: 204 },
  { op: "deleteOrganizationAuthToken", method: "DELETE", path: (ids) => `${ORG}/org-auth-tokens/${ids.orgTokenId}/`, status: 204 },
  { op: "deleteApiToken", method: "DELETE", path: (ids) => `/api/0/api-tokens/${ids.adminTokenId}/`, status: 204 },
];

function tokenOf(emu: Emulator, which: Step["token"]): string {
  if (which === "scim") return emu.scimToken ?? "";
  return emu.adminToken;
}

describe("emulator answers validate against the official spec", () => {
  it("answers every wrapped operation with a body matching the documented 2xx schema", async () => {
    const emu = demo();
    const ids: Record<string, string> = {
      adminTokenId: emu.state.tokens.find((t) => t.name === "emulator admin")?.id ?? "",
      orgTokenId: emu.state.tokens.find((t) => t.kind === "org" && t.name === "test")?.id ?? "",
    };
    const failures: string[] = [];
    for (const step of STEPS) {
      const path = typeof step.path === "function" ? step.path(ids) : step.path;
      const res = await call(emu, step.method, path, { token: tokenOf(emu, step.token), body: step.body });
      expect(res.status, `${step.op} ${path}: ${res.text}`).toBe(step.status);
      // Discrepancy 7 below: a member's user carries no `emails`, and member details no `invite_link`, although the
      // spec requires both.
      const errors = spec
        .validateResponse(step.op, res.status, res.body)
        ?.filter((e) => !e.endsWith("must have required property 'emails'") && !e.endsWith("must have required property 'invite_link'"));
      if (errors?.length) failures.push(`${step.op} ${res.status}: ${errors.join("; ")}`);
      step.save?.(res.body, ids);
    }
    expect(failures).toEqual([]);
    const covered = new Set(STEPS.map((s) => s.op));
    const sessionOnly = Object.keys(table).filter((id) => table[id]?.sessionOnly);
    // Session-only operations cannot succeed with a bearer token; they are covered in tokens.test.ts.
    expect(sessionOnly.filter((id) => covered.has(id))).toEqual([]);
  });

  it("answers the org auth token list and create when they accept bearer tokens, else 401", async () => {
    const emu = demo();
    for (const [op, method, body, okStatus] of [
      ["listOrganizationAuthTokens", "GET", undefined, 200],
      ["createOrganizationAuthToken", "POST", { name: "ci" }, 201],
    ] as const) {
      const res = await call(emu, method, `${ORG}/org-auth-tokens/`, { body });
      if (table[op]?.sessionOnly) expect(res.status).toBe(401);
      else {
        expect(res.status).toBe(okStatus);
        expect(spec.validateResponse(op, res.status, res.body)).toBeNull();
      }
    }
  });
});

/** Bodies the spec forbids, derived from each request schema: missing required, wrong type, enum, maxLength. */
function forbiddenVariants(schema: Record<string, unknown>, base: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const field of (schema.required ?? []) as string[]) {
    const copy = { ...base };
    delete copy[field];
    out.push([`missing ${field}`, copy]);
  }
  for (const [field, prop] of Object.entries(props)) {
    if (prop.type === "string") out.push([`${field} not a string`, { ...base, [field]: true }]);
    if (prop.type === "boolean") out.push([`${field} not a boolean`, { ...base, [field]: "maybe" }]);
    if (prop.type === "array") out.push([`${field} not an array`, { ...base, [field]: "x" }]);
    if (Array.isArray(prop.enum)) out.push([`${field} outside its enum`, { ...base, [field]: "not-a-valid-choice" }]);
    if (typeof prop.maxLength === "number") out.push([`${field} too long`, { ...base, [field]: `${"a".repeat(prop.maxLength)}b` }]);
    if (prop.format === "email") out.push([`${field} not an email`, { ...base, [field]: "not-an-email" }]);
  }
  return out;
}

/** Spec-forbidden bodies that Sentry's code accepts or refuses otherwise; the code wins (facts §10). */
const KNOWN_DISCREPANCIES: Record<string, string> = {
  "updateTeam missing slug": "TeamDetailsSerializer is partial: a PUT with only `name` is accepted",
  "provisionOrganizationScimV2User sentryOrgRole not a string": "scim/members.py calls `.lower()` on a truthy role: a boolean is a 500",
};

describe("request bodies the spec forbids", () => {
  const targets: Array<{ op: string; method: string; path: string; token: "admin" | "scim"; base: Record<string, unknown> }> = [
    { op: "createOrganizationTeam", method: "POST", path: `${ORG}/teams/`, token: "admin", base: { slug: "valid-slug", name: "Valid" } },
    { op: "updateTeam", method: "PUT", path: "/api/0/teams/acme/payments/", token: "admin", base: { slug: "payments", name: "Payments" } },
    { op: "addOrganizationMember", method: "POST", path: `${ORG}/members/`, token: "admin", base: { email: "valid.person@acme.test", orgRole: "member" } },
    { op: "updateOrganizationMember", method: "PUT", path: `${ORG}/members/12/`, token: "admin", base: { orgRole: "member", teamRoles: [] } },
    { op: "updateOrganizationMemberTeam", method: "PUT", path: `${ORG}/members/1/teams/payments/`, token: "admin", base: { teamRole: "admin" } },
    {
      op: "provisionOrganizationScimV2User",
      method: "POST",
      path: `${ORG}/scim/v2/Users`,
      token: "scim",
      base: { userName: "valid.scim@acme.test", sentryOrgRole: "member" },
    },
    { op: "provisionOrganizationScimV2Group", method: "POST", path: `${ORG}/scim/v2/Groups`, token: "scim", base: { displayName: "Valid Group" } },
    {
      op: "updateOrganizationScimV2User",
      method: "PATCH",
      path: `${ORG}/scim/v2/Users/12`,
      token: "scim",
      base: { Operations: [{ op: "replace", path: "active", value: true }] },
    },
    {
      op: "updateOrganizationScimV2Group",
      method: "PATCH",
      path: `${ORG}/scim/v2/Groups/1`,
      token: "scim",
      base: { Operations: [{ op: "add", path: "members", value: [] }] },
    },
    { op: "updateOrganizationAuthToken", method: "PUT", path: `${ORG}/org-auth-tokens/3/`, token: "admin", base: { name: "renamed" } },
  ];

  it.each(targets)("$op answers 400 to each spec-forbidden body", async ({ op, method, path, token, base }) => {
    const schema = spec.requestSchema(op);
    expect(schema, op).toBeDefined();
    const variants = forbiddenVariants(schema as Record<string, unknown>, base);
    expect(variants.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const [label, body] of variants) {
      if (KNOWN_DISCREPANCIES[`${op} ${label}`]) continue;
      expect(spec.validateRequest(op, body), `${op} ${label} should be spec-invalid`).toBe(false);
      const emu = demo();
      const res = await call(emu, method, path, { token: token === "scim" ? emu.scimToken : emu.adminToken, body });
      if (res.status !== 400) wrong.push(`${label}: ${res.status} ${res.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("lists the known spec-vs-code discrepancies and proves each one", async () => {
    const emu = demo();
    // 1. Duplicate team slug: the code answers 409, the spec documents only 201/400/403/404.
    const dup = await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "payments" } });
    expect(dup.status).toBe(409);
    expect(spec.validateResponse("createOrganizationTeam", 409, dup.body)).toEqual(["status 409 is not documented for createOrganizationTeam"]);
    // 2. PUT team without slug is accepted (partial serializer) although the spec requires slug.
    const partial = await call(emu, "PUT", "/api/0/teams/acme/payments/", { body: { name: "Payments Team" } });
    expect(partial.status).toBe(200);
    expect(spec.validateRequest("updateTeam", { name: "Payments Team" })).toBe(false);
    // 3. A team role at or below the org role's minimum is stored and answered as null; spec says enum.
    const members = asArray((await call(emu, "GET", `${ORG}/members/?query=role:manager`)).body);
    const manager = members.find((m) => m.pending === false) as Record<string, unknown>;
    const onTeam = asObject((await call(emu, "GET", `${ORG}/members/${String(manager.id)}/`)).body).teams as string[];
    const role = await call(emu, "PUT", `${ORG}/members/${String(manager.id)}/teams/${onTeam[0]}/`, { body: { teamRole: "admin" } });
    expect(role.body).toEqual({ isActive: true, teamRole: null });
    expect(spec.validateResponse("updateOrganizationMemberTeam", 200, role.body)).not.toBeNull();
    // 4. Renaming a user token with extra keys is 403 (code), not 400.
    const id = emu.state.tokens.find((t) => t.name === "emulator admin")?.id;
    const extra = await call(emu, "PUT", `/api/0/api-tokens/${id}/`, { body: { name: "x", scopes: ["org:read"] } });
    expect(extra.status).toBe(403);
    expect(extra.body).toEqual({ error: "Only auth token name can be edited after creation" });
    // 5. Invite conflicts are 400 with an email field error (not 409).
    const conflict = await call(emu, "POST", `${ORG}/members/`, { body: { email: "ada.smith@acme.test" } });
    expect(conflict).toMatchObject({ status: 400, body: { email: ["The user ada.smith@acme.test is already a member"] } });
    // 6. A SCIM role that is truthy but not a string meets `.lower()` in scim/members.py: a 500, not a 400.
    const scimRole = await call(emu, "POST", `${ORG}/scim/v2/Users`, { token: emu.scimToken, body: { userName: "bool.role@acme.test", sentryOrgRole: true } });
    expect(scimRole).toMatchObject({ status: 500, body: { detail: "Internal Error" } });
    // 7. A member's `user` exposes no `emails` (test_organization_member_index.py and
    //    test_organization_member_details.py test_does_not_include_secondary_emails); the spec's User requires it.
    const listed = asArray((await call(emu, "GET", `${ORG}/members/?per_page=1`)).body);
    expect("emails" in asObject(listed[0]?.user)).toBe(false);
    expect(spec.validateResponse("listOrganizationMembers", 200, listed)).toEqual(["/0/user must have required property 'emails'"]);
    const details = asObject((await call(emu, "GET", `${ORG}/members/me/`)).body);
    expect("invite_link" in details).toBe(false);
    expect(spec.validateResponse("getOrganizationMember", 200, details)).toEqual(expect.arrayContaining([" must have required property 'invite_link'"]));
  });
});
