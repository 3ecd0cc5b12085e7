/**
 * Type-level tests for the SCIM, token and audit-log resources, checked by `tsc --noEmit` (tsconfig includes test/).
 * Each @ts-expect-error must stay an error. Nothing here runs.
 */
import type { SentryClient } from "../../src/client.js";
import type { ApiToken, ApiTokenWithValue } from "../../src/resources/api-tokens.js";
import type { AuditLogEntry, AuditLogEvent } from "../../src/resources/audit-logs.js";
import type { OrgAuthToken } from "../../src/resources/org-auth-tokens.js";
import type { ScimGroup } from "../../src/resources/scim-groups.js";
import type { ScimUser } from "../../src/resources/scim-users.js";

export async function scimUserTypes(sentry: SentryClient): Promise<void> {
  const user: ScimUser = await sentry.scim.users.provision({ userName: "ana@acme.com", sentryOrgRole: "manager" });
  const email: string = user.userName;
  const role: string = user.sentryOrgRole;
  void email;
  void role;
  for await (const listed of sentry.scim.users.list({ filter: { userName: "ana@acme.com" }, perPage: 50 })) void listed.emails;

  // @ts-expect-error owners cannot be provisioned through SCIM
  await sentry.scim.users.provision({ userName: "ana@acme.com", sentryOrgRole: "owner" });
  // @ts-expect-error the field is userName, not email
  await sentry.scim.users.provision({ email: "ana@acme.com" });
  // @ts-expect-error users are filtered by userName only
  sentry.scim.users.list({ filter: { email: "ana@acme.com" } });
  // @ts-expect-error SCIM PatchOp has no "delete" op
  await sentry.scim.users.patch(42, [{ op: "delete", path: "active" }]);
  // @ts-expect-error deactivate takes an id, not a user object
  await sentry.scim.users.deactivate(user);
}

export async function scimGroupTypes(sentry: SentryClient): Promise<void> {
  const group: ScimGroup = await sentry.scim.groups.create({ displayName: "Payments Oncall", members: [42, "43"] });
  const memberIds: string[] = (group.members ?? []).map((m) => m.value);
  void memberIds;
  await sentry.scim.groups.addMembers(group.id, [42]);
  sentry.scim.groups.list({ filter: { displayName: "Payments" }, excludeMembers: true });

  // @ts-expect-error the field is displayName, not name
  await sentry.scim.groups.create({ name: "Payments Oncall" });
  // @ts-expect-error groups are filtered by displayName only
  sentry.scim.groups.list({ filter: { slug: "payments" } });
  // @ts-expect-error member ids, not member objects
  await sentry.scim.groups.removeMembers(17, [{ value: "42" }]);
}

export async function tokenTypes(sentry: SentryClient): Promise<void> {
  const token: ApiToken = await sentry.apiTokens.get(1234);
  const last: string | null = token.tokenLastCharacters;
  void last;
  const renamed: ApiToken = await sentry.apiTokens.rename(1234, "ci");
  void renamed;
  const created: ApiTokenWithValue = await sentry.apiTokens.create({ name: "ci", scopes: ["org:read", "project:releases"] });
  const value: string = created.token;
  void value;
  const orgToken: OrgAuthToken = await sentry.org.authTokens.get(88);
  void orgToken.scopes;
  const nothing: void = await sentry.org.authTokens.rename(88, "uploads");
  void nothing;

  // @ts-expect-error not a Sentry scope
  await sentry.apiTokens.create({ name: "ci", scopes: ["org:superuser"] });
  // @ts-expect-error scopes are required
  await sentry.apiTokens.create({ name: "ci" });
  // @ts-expect-error a token read back never carries its value
  void token.token;
  // @ts-expect-error org auth token scopes are not settable
  await sentry.org.authTokens.create({ name: "ci", scopes: ["org:ci"] });
}

export async function auditLogTypes(sentry: SentryClient): Promise<void> {
  const rows: AuditLogEntry[] = await sentry.auditLogs.list({ event: "member.invite", actor: 4, since: new Date(), until: "2026-03-01" }).toArray();
  const event: string = rows[0]!.event;
  void event;
  // Event names Sentry added later still type-check (a known-values union plus string).
  sentry.auditLogs.list({ event: "some.future-event" });
  const known: AuditLogEvent = "team.create";
  void known;

  // @ts-expect-error since is a Date or an ISO string, not a number
  sentry.auditLogs.list({ since: 1_700_000_000_000 });
  // @ts-expect-error the filter is `event`, not `events`
  sentry.auditLogs.list({ events: ["member.invite"] });
  // @ts-expect-error the actor is a user id
  sentry.auditLogs.list({ actor: { id: 4 } });
}
