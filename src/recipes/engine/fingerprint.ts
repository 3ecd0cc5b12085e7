// The plan's fingerprint: a hash of the state a plan was computed from, so a saved plan is refused once it changed.
import { nodeCrypto } from "../../http/send/node-crypto.js";

/**
 * `sha256:<64 hex>` of a JSON-serialisable, canonically ordered view of the state (the caller sorts it).
 * @example const fingerprint = fingerprintOfState({ organization: "acme", teams, members });
 */
export function fingerprintOfState(canonical: unknown): string {
  return `sha256:${nodeCrypto().createHash("sha256").update(JSON.stringify(canonical)).digest("hex")}`;
}
