/**
 * Token rotation: look up the current token → mint a successor (caller-supplied: Sentry lets no bearer token create
 * any kind of token) → prove it authenticates → publish it → revoke leftovers of earlier runs → revoke the current one.
 * Any failure before revocation deletes the successor again, so a rotation never leaves zero working tokens.
 */
import type { SentryClient } from "../../client.js";
import { operationTable } from "../../generated/operations.js";
import { isAuthenticationError, isNotFoundError, SessionRequiredError, ValidationError } from "../../http/errors/index.js";
import { orgAuthTokensPage, PERSONAL_TOKENS_PAGE } from "../../resources/session.js";
import { assertNumericId, assertScopes } from "../../resources/validate.js";
import { resolveNow, type NowOption } from "../shared/clock.js";
import { expandScopes } from "../../vocabulary/roles.js";
import { readInventory } from "./inventory.js";
import { summarise, TokenRotationError } from "./rotation-error.js";
import type { RotatableTokenKind, RotationReport, RotationStep, RotationStepRecord, SuccessorSecret, TokenInventory, TokenRecord } from "./types.js";
import { verifyByCall } from "./verify.js";
import { isSuccessorName, parseTokenName, rotationStamp, stripRotationStamp } from "./naming.js";

export type { RotatableTokenKind, RotationReport, RotationStep, RotationStepRecord, SuccessorSecret, TokenInventory, TokenRecord } from "./types.js";
export { TokenRotationError, isTokenRotationError } from "./rotation-error.js";

/** What `mint` is asked to create. */
export interface MintRequest {
  kind: RotatableTokenKind;
  /** `{purpose}-{environment}-YYYYMMDD`. */
  name: string;
  scopes: readonly string[];
}

/** What `mint` returns: the new token's id and its value (the value is only passed on to `verify` and `publish`). */
export interface MintedToken {
  id: string | number;
  token: string;
}

/** Options of {@link rotateToken}. */
export interface RotateTokenOptions {
  kind: RotatableTokenKind;
  current: { id: string | number };
  /** `{purpose}-{environment}` base of the successor's name; default: the current name without its date stamp. */
  name?: string;
  /** The successor's scopes: the current ones (default) or a subset; wider ones are refused. Org tokens: `org:ci`. */
  scopes?: readonly string[];
  /** Creates the successor with a browser session (the UI, a session-authenticated tool). Required unless a dry run. */
  mint?: (request: MintRequest) => Promise<MintedToken>;
  /** Hands the successor to its consumers (a secret store); should be atomic. */
  publish: (secret: SuccessorSecret) => Promise<void>;
  /** Replaces the default proof that the successor authenticates; throw to fail the rotation. */
  verify?: (secret: SuccessorSecret) => Promise<void>;
  /** Token records (a session-side listing) used to find successors left by a crashed run. */
  inventory?: TokenInventory;
  now?: NowOption;
  dryRun?: boolean;
  onProgress?: (step: RotationStepRecord) => void;
}

function mintGuidance(sentry: SentryClient, kind: RotatableTokenKind): SessionRequiredError {
  const operationId = kind === "user" ? "createApiToken" : "createOrganizationAuthToken";
  const ui = kind === "user" ? PERSONAL_TOKENS_PAGE : orgAuthTokensPage(sentry.org.slug ?? "{org}");
  const op = operationTable[operationId];
  return new SessionRequiredError({ operationId, method: op.method, path: op.path, uiPage: ui.page, uiUrl: `${sentry.transport.config.baseUrl}${ui.path}` });
}

function checkOptions(sentry: SentryClient, options: RotateTokenOptions): string {
  if (options.kind !== "user" && options.kind !== "org") throw ValidationError.forInput("kind", `must be "user" or "org"`);
  const id = assertNumericId("current.id", options.current?.id);
  if (typeof options.publish !== "function") throw ValidationError.forInput("publish", "must be a function that stores the successor");
  if (options.name !== undefined && (!parseTokenName(options.name) || parseTokenName(options.name)?.stamp !== undefined)) {
    throw ValidationError.forInput("name", "must follow {purpose}-{environment} (e.g. ci-cd-pipeline-prod), without a date stamp");
  }
  if (options.scopes !== undefined) {
    const scopes = options.kind === "org" ? options.scopes : assertScopes("scopes", options.scopes);
    if (options.kind === "org" && (scopes.length !== 1 || scopes[0] !== "org:ci"))
      throw ValidationError.forInput("scopes", "org auth tokens always carry exactly org:ci");
  }
  // Sentry creates tokens only for a browser session, so without a minting step nothing can be rotated.
  if (options.mint === undefined && options.dryRun !== true) throw mintGuidance(sentry, options.kind);
  return id;
}

async function lookup(sentry: SentryClient, kind: RotatableTokenKind, id: string): Promise<TokenRecord> {
  const token = kind === "user" ? await sentry.apiTokens.get(id) : await sentry.org.authTokens.get(id);
  return { id: String(token.id), name: token.name ?? "", scopes: token.scopes };
}

function successorScopes(kind: RotatableTokenKind, current: TokenRecord, wanted: readonly string[] | undefined): string[] {
  const held = [...(current.scopes ?? [])];
  if (kind === "org" || wanted === undefined) return kind === "org" ? ["org:ci"] : held;
  const allowed = expandScopes(held);
  const wider = wanted.filter((scope) => !allowed.has(scope));
  if (wider.length > 0) throw ValidationError.forInput("scopes", `wider than the current token's (${held.join(" ")}): ${wider.join(" ")}`);
  return [...wanted];
}

async function revoke(sentry: SentryClient, kind: RotatableTokenKind, id: string): Promise<"revoked" | "already gone"> {
  try {
    await (kind === "user" ? sentry.apiTokens.delete(id) : sentry.org.authTokens.delete(id));
    return "revoked";
  } catch (error) {
    if (isNotFoundError(error)) return "already gone";
    throw error;
  }
}

/**
 * Rotates a personal (`user`) or org auth (`org`) token without ever leaving zero working tokens.
 *
 * Sentry lets a bearer token revoke these tokens but create none (docs/spec-supplement.md), so `mint` creates the
 * successor (the UI or a session-authenticated tool) and this function does the rest. The client must be able to
 * read and revoke the current token: for `user`, a token of the same user (possibly the current token itself); for
 * `org`, a token with `org:write`. Re-running after a crash is safe: successors named `{base}-YYYYMMDD` found in
 * `inventory` are revoked once the new successor is published (their values cannot be read back); if the current
 * token is already gone and a successor exists, the rotation is reported done without changes.
 *
 * @example
 * const report = await rotateToken(sentry, {
 *   kind: "user", current: { id: "1234" }, name: "ci-cd-pipeline-prod",
 *   mint: async (request) => mintInBrowserSession(request),
 *   publish: async ({ token }) => vault.write("ci/sentry-token", token),
 * });
 * console.log(report.successor?.name); // "ci-cd-pipeline-prod-20261129"
 * @throws {SessionRequiredError} before any request when `mint` is missing (and not a dry run).
 * @throws {ValidationError} before any change for bad options or scopes wider than the current token's.
 * @throws {TokenRotationError} when a step fails, with `report` saying what was done and rolled back.
 */
export async function rotateToken(sentry: SentryClient, options: RotateTokenOptions): Promise<RotationReport> {
  const currentId = checkOptions(sentry, options);
  const { kind } = options;
  const dryRun = options.dryRun === true;
  const report: RotationReport = {
    kind,
    current: { id: currentId, name: undefined },
    steps: [],
    successor: undefined,
    revoked: false,
    rolledBack: false,
    dryRun,
  };
  const secrets: string[] = [];
  const record = (step: RotationStep, status: RotationStepRecord["status"], detail: string) => {
    const entry = { step, status, detail };
    report.steps.push(entry);
    options.onProgress?.({ ...entry });
  };
  const failure = (step: RotationStep, error: unknown, hint?: string): TokenRotationError => {
    const summary = summarise(error, secrets);
    record(step, "failed", summary.message);
    return new TokenRotationError(step, summary, structuredClone(report), error, hint);
  };

  let current: TokenRecord;
  try {
    current = await lookup(sentry, kind, currentId);
  } catch (error) {
    if (!isNotFoundError(error) && !isAuthenticationError(error)) throw failure("lookup", error);
    return finishedEarlier(sentry, options, report, record, () =>
      failure("lookup", error, "The current token is gone: pass `name` and an `inventory` to confirm an earlier run finished, or mint a new token."),
    );
  }
  report.current.name = current.name;
  record("lookup", "done", `current token "${current.name}" found`);
  const scopes = successorScopes(kind, current, options.scopes);
  const base = options.name ?? stripRotationStamp(current.name);
  const name = `${base}-${rotationStamp(resolveNow(options.now))}`;

  const inventory = await readInventory(sentry, kind, options.inventory);
  const stale = (inventory ?? []).filter((token) => token.id !== currentId && isSuccessorName(token.name, base));
  if (inventory === undefined) record("find-successors", "skipped", "no inventory (Sentry lists tokens only to a browser session)");
  else record("find-successors", "done", `${stale.length} leftover successor(s) of an earlier run`);

  if (dryRun) {
    record("mint", "planned", `mint "${name}" with ${scopes.join(" ")}`);
    record("verify", "planned", "prove the successor authenticates");
    record("publish", "planned", "hand the successor to publish");
    record("revoke-stale", stale.length > 0 ? "planned" : "skipped", `revoke ${stale.map((t) => t.id).join(", ") || "none"}`);
    record("revoke", "planned", `revoke current token ${currentId}`);
    return report;
  }

  let secret: SuccessorSecret;
  try {
    const minted = await (options.mint as NonNullable<RotateTokenOptions["mint"]>)({ kind, name, scopes });
    if (typeof minted?.token === "string" && minted.token !== "") secrets.push(minted.token);
    secret = { id: assertNumericId("mint().id", minted?.id), name, token: minted.token };
    if (typeof secret.token !== "string" || secret.token === "") throw ValidationError.forInput("mint().token", "must be the new token's value");
  } catch (error) {
    throw failure("mint", error);
  }
  report.successor = { id: secret.id, name };
  record("mint", "done", `successor ${secret.id} minted`);

  const rollBack = async (step: RotationStep, error: unknown): Promise<TokenRotationError> => {
    const cause = failure(step, error);
    try {
      await revoke(sentry, kind, secret.id);
      report.rolledBack = true;
      record("rollback", "done", `successor ${secret.id} deleted; current token untouched`);
    } catch (rollbackError) {
      record("rollback", "failed", `successor ${secret.id} not deleted: ${summarise(rollbackError, secrets).message}`);
    }
    return new TokenRotationError(step, cause.failure, structuredClone(report), error);
  };

  try {
    const detail = options.verify ? (await options.verify({ ...secret }), "verified by the caller's verify step") : await verifyByCall(sentry, scopes, secret);
    record("verify", "done", detail);
  } catch (error) {
    throw await rollBack("verify", error);
  }
  try {
    await options.publish({ ...secret });
    record("publish", "done", `successor ${secret.id} published`);
  } catch (error) {
    throw await rollBack("publish", error);
  }

  // Leftovers go before the current token: when the client acts with the current token, it cannot act after that.
  const staleErrors: unknown[] = [];
  for (const token of stale) {
    try {
      record("revoke-stale", "done", `leftover successor ${token.id}: ${await revoke(sentry, kind, token.id)}`);
    } catch (error) {
      staleErrors.push(error);
      record("revoke-stale", "failed", `leftover successor ${token.id}: ${summarise(error, secrets).message}`);
    }
  }
  try {
    record("revoke", "done", `current token ${currentId} ${await revoke(sentry, kind, currentId)}`);
    report.revoked = true;
  } catch (error) {
    throw failure("revoke", error);
  }
  if (staleErrors.length > 0) {
    const summary = summarise(staleErrors[0], secrets);
    throw new TokenRotationError("revoke-stale", summary, structuredClone(report), staleErrors[0]);
  }
  return report;
}

/** The current token is gone: done if an earlier run left a successor (found by name), else the lookup error. */
async function finishedEarlier(
  sentry: SentryClient,
  options: RotateTokenOptions,
  report: RotationReport,
  record: (step: RotationStep, status: RotationStepRecord["status"], detail: string) => void,
  lookupFailure: () => TokenRotationError,
): Promise<RotationReport> {
  if (options.name === undefined) throw lookupFailure();
  const inventory = await readInventory(sentry, options.kind, options.inventory);
  const currentId = report.current.id;
  const successors = (inventory ?? []).filter((t) => t.id !== currentId && isSuccessorName(t.name, options.name as string));
  if (inventory === undefined || inventory.some((t) => t.id === currentId) || successors.length === 0) throw lookupFailure();
  const newest = successors.reduce((a, b) => (b.name > a.name || (b.name === a.name && Number(b.id) > Number(a.id)) ? b : a));
  record("lookup", "skipped", `current token ${currentId} is already revoked`);
  record("find-successors", "done", `successor ${newest.id} "${newest.name}" exists: an earlier run finished`);
  report.successor = { id: newest.id, name: newest.name };
  report.revoked = true;
  return report;
}
