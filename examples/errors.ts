/**
 * Errors and hints: one of each error class the SDK throws, caught with the `is*` guards.
 *   npx tsx examples/errors.ts
 */
import {
  createSentryClient,
  isAuthenticationError,
  isConflictError,
  isNotFoundError,
  isPermissionError,
  isSentryConfigError,
  isSentryError,
  isSessionRequiredError,
  isValidationError,
  type SentryClient,
} from "../src/index.js";
import { createEmulator } from "../src/testing/index.js";

const BASE_URL = "https://sentry.test";
const emu = createEmulator({ fixture: "demo", baseUrl: BASE_URL });
const clients: SentryClient[] = [];
const clientWith = (token: string): SentryClient => {
  const client = createSentryClient({ token, org: "acme", baseUrl: BASE_URL, fetch: emu.fetch, retry: false });
  clients.push(client);
  return client;
};

/** Runs `fn`, expecting it to throw; returns the error. */
async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

try {
  // Config errors come from createSentryClient, before any request. `option` names the culprit.
  const config = await failure(async () => createSentryClient({ token: "t", baseUrl: "http://sentry.example.com" }));
  if (!isSentryConfigError(config)) throw config;
  console.log(`config: option=${config.option}: ${config.message}`);

  const admin = clientWith(emu.adminToken);

  // Bad input is refused before sending: ValidationError with requestSent false and the field named.
  const input = await failure(() => admin.org.teams.create({ slug: "Not A Slug" }));
  if (!isValidationError(input)) throw input;
  console.log(`validation: field=${input.field} requestSent=${input.requestSent}`);

  // 404
  const missing = await failure(() => admin.org.teams.get("no-such-team"));
  if (!isNotFoundError(missing)) throw missing;
  console.log(`not found: ${missing.status} ${missing.method} ${missing.path}`);

  // Sentry's 400 "already a member" becomes ConflictError.
  const conflict = await failure(() => admin.org.members.invite({ email: "ada.smith@acme.test" }));
  if (!isConflictError(conflict)) throw conflict;
  console.log(`conflict: ${conflict.status} ${conflict.detail}`);

  // 401 with a hint.
  const auth = await failure(() => clientWith("sntryu_" + "0".repeat(64)).org.teams.get("payments"));
  if (!isAuthenticationError(auth)) throw auth;
  console.log(`authentication: ${auth.hint}`);

  // 403, token lacks the scope: missingScopes names what to add.
  const reader = clientWith(emu.issueToken({ scopes: ["org:read"], name: "reader" }));
  const scope = await failure(() => reader.org.teams.create({ slug: "growth" }));
  if (!isPermissionError(scope)) throw scope;
  console.log(`permission: required=${scope.requiredScopes.join(",")} missing=${scope.missingScopes?.join(",")}`);
  console.log(`  hint: ${scope.hint}`);

  // 403, token has the scope but its member's role is too low: missingScopes is empty.
  const memberToken = emu.issueToken({ scopes: ["org:read", "team:admin"], userEmail: "jo.okafor@acme.test", name: "member" });
  const role = await failure(() => clientWith(memberToken).org.teams.delete("payments"));
  if (!isPermissionError(role)) throw role;
  console.log(`permission (role): missing=[${role.missingScopes?.join(",")}]`);
  console.log(`  hint: ${role.hint}`);

  // Session-only endpoints are refused without a request.
  const session = await failure(() => admin.apiTokens.create({ name: "ci", scopes: ["org:read"] }));
  if (!isSessionRequiredError(session)) throw session;
  console.log(`session required: ${session.operationId}: ${session.hint}`);

  // Errors serialise without secrets.
  const json = JSON.stringify(auth);
  if (json.includes(emu.adminToken) || !isSentryError(auth)) throw new Error("token leaked");
  console.log(`serialised kind: ${(JSON.parse(json) as { kind: string }).kind}`);
} finally {
  await Promise.all(clients.map((client) => client.close()));
}
