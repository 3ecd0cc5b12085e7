/**
 * Loading ioredis, the optional peer dependency of everything that keeps state in Redis (the shared rate limit,
 * the audit stream's leases and checkpoints). Loaded on first use, so installs without Redis never need it.
 */
import { SentryConfigError } from "../errors/errors.js";

/**
 * The ioredis client class, typed as the part of it the caller uses.
 * @example const Redis = await loadIoredis<new (url: string) => MyRedis>("rateLimit.redis");
 * @throws {SentryConfigError} naming `option` when ioredis is not installed.
 */
export async function loadIoredis<C>(option: string, what = ""): Promise<C> {
  try {
    const mod = (await import("ioredis")) as unknown as { Redis?: unknown; default?: unknown };
    return (mod.Redis ?? mod.default) as C;
  } catch {
    throw new SentryConfigError(option, `${what ? `${what} ` : ""}needs the optional peer dependency \`ioredis\` (npm i ioredis)`);
  }
}
