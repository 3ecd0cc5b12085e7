/**
 * Test helpers for resources, over the one emulator set-up (test/support/emulator.ts): a demo emulator and an SDK
 * client wired to it in-process, with every request that reached the emulator recorded. `harness` acts with the
 * admin token; `resourceHarness` also holds the SCIM token and the client context the resource factories take.
 */
import type { ClientContext } from "../../src/client.js";
import type { SentryClient } from "../../src/client.js";
import type { SentryClientOptions } from "../../src/config.js";
import type { Emulator, EmulatorOptions } from "../../src/testing/index.js";
import { BASE_URL, closeClients, demoEmulator, emulatorClient, NOW, recordingFetch, type SeenRequest } from "../support/emulator.js";

export { BASE_URL, closeClients, NOW, type SeenRequest };

export interface Harness {
  emu: Emulator;
  sentry: SentryClient;
  seen: SeenRequest[];
  /** A client acting with another token (same emulator, same request log), with extra client options. */
  clientWith(token: string, options?: Partial<SentryClientOptions>): SentryClient;
}

/** A demo emulator (fixed clock) and a client (admin token, org `acme`, no retries) talking to it. */
export function harness(options: EmulatorOptions = {}): Harness {
  const emu = demoEmulator({ now: () => NOW, ...options, baseUrl: BASE_URL });
  const { fetch, seen } = recordingFetch(emu);
  const clientWith = (token: string, extra: Partial<SentryClientOptions> = {}) => emulatorClient({ token, fetch, ...extra });
  return { emu, sentry: clientWith(emu.adminToken), seen, clientWith };
}

/** A harness for the resource factories: both tokens, and the client context a factory takes. */
export interface ResourceHarness {
  emu: Emulator;
  sentry: SentryClient;
  ctx: ClientContext;
  seen: SeenRequest[];
  /** A client with other options (same emulator and request log), and its context. */
  clientWith(options: SentryClientOptions): { sentry: SentryClient; ctx: ClientContext };
}

/** The context a factory such as createScimUsersResource takes, built from a client's transport. */
export function contextOf(sentry: SentryClient, org: string | undefined = "acme"): ClientContext {
  return {
    transport: sentry.transport,
    org,
    requireOrg: () => {
      if (org === undefined) throw new Error("no org in this test context");
      return org;
    },
  };
}

/** A demo emulator (fixed clock) and a client with the admin token and the SCIM token, and its context. */
export function resourceHarness(options: EmulatorOptions = {}): ResourceHarness {
  const emu = demoEmulator({ now: () => NOW, ...options, baseUrl: BASE_URL });
  const { fetch, seen } = recordingFetch(emu);
  const clientWith = (extra: SentryClientOptions) => {
    const sentry = emulatorClient({ fetch, ...extra });
    return { sentry, ctx: contextOf(sentry, sentry.org.slug) };
  };
  const main = clientWith({ token: emu.adminToken, ...(emu.scimToken ? { scimToken: emu.scimToken } : {}) });
  return { emu, seen, clientWith, ...main };
}

/** Runs `fn` and returns what it threw (fails the test when nothing was thrown). */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, none was thrown");
}

/** Every page of a paginator with its item count, to assert a walk crossed several pages. */
export async function pageSizes<T>(pages: AsyncIterable<{ items: T[] }>): Promise<number[]> {
  const sizes: number[] = [];
  for await (const page of pages) sizes.push(page.items.length);
  return sizes;
}
