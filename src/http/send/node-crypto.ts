/**
 * `node:crypto`, loaded on first use rather than when `sentry-rbac` is imported: it is a sixth of the package's
 * import time, and only a 403's scope lookup, plan fingerprints, lease owners and IdP certificates need it.
 */
import { createRequire } from "node:module";

type NodeCrypto = typeof import("node:crypto");
let loaded: NodeCrypto | undefined;

/**
 * The `node:crypto` module.
 * @example const digest = nodeCrypto().createHash("sha256").update(text).digest("hex");
 */
export function nodeCrypto(): NodeCrypto {
  loaded ??= createRequire(import.meta.url)("node:crypto") as NodeCrypto;
  return loaded;
}
