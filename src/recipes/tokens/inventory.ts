// The token inventory rotation reads to find successors after a crash: given by the caller, or Sentry's lists.
import type { SentryClient } from "../../client.js";
import { isSessionRequiredError } from "../../http/errors/errors.js";
import type { RotatableTokenKind, TokenInventory, TokenRecord } from "./types.js";

/** Reads the inventory, or the SDK's list endpoints when none is given (undefined when those need a session). */
export async function readInventory(
  sentry: SentryClient,
  kind: RotatableTokenKind,
  inventory: TokenInventory | undefined,
): Promise<readonly TokenRecord[] | undefined> {
  if (inventory !== undefined) return typeof inventory === "function" ? await inventory() : inventory;
  try {
    const list = kind === "user" ? sentry.apiTokens.list() : sentry.org.authTokens.list();
    return (await list.toArray()).map((token) => ({ id: String(token.id), name: token.name ?? "" }));
  } catch (error) {
    // Sentry serves token lists only to a browser session; without an inventory, crash recovery cannot find by name.
    if (isSessionRequiredError(error)) return undefined;
    throw error;
  }
}
