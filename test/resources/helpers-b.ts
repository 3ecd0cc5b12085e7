/**
 * Test helpers for the SCIM, token and audit-log resources: a demo emulator, a client holding both the admin token
 * and the SCIM token, every request that reached the emulator (method, path, query, JSON body), and the client
 * context the resource factories take.
 */
import type { ClientContext } from "../../src/client.js";
import { createSentryClient, type SentryClient } from "../../src/client.js";
import type { SentryClientOptions } from "../../src/config.js";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/testing/index.js";
import type { SeenRequest } from "./helpers.js";

export { thrown, pageSizes } from "./helpers.js";

export const BASE_URL = "https://sentry.test";
export const NOW = Date.parse("2026-03-01T12:00:00Z");

export interface HarnessB {
  emu: Emulator;
  sentry: SentryClient;
  ctx: ClientContext;
  seen: SeenRequest[];
  /** A client with other options (same emulator and request log), and its context. */
  clientWith(options: SentryClientOptions): { sentry: SentryClient; ctx: ClientContext };
}

const open: SentryClient[] = [];

/** Closes every client made by {@link harnessB}; call from afterEach. */
export async function closeClientsB(): Promise<void> {
  await Promise.all(open.splice(0).map((client) => client.close()));
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

/** A demo emulator (fixed clock, no rate limits) and a client with the admin token and the SCIM token. */
export function harnessB(options: EmulatorOptions = {}): HarnessB {
  const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => NOW, ...options, baseUrl: BASE_URL });
  const seen: SeenRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.clone().text();
    seen.push({ method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: text === "" ? undefined : JSON.parse(text) });
    return emu.fetch(request);
  };
  const clientWith = (options: SentryClientOptions) => {
    const sentry = createSentryClient({ org: "acme", baseUrl: BASE_URL, fetch, retry: false, rateLimit: false, ...options });
    open.push(sentry);
    return { sentry, ctx: contextOf(sentry, sentry.org.slug) };
  };
  const main = clientWith({ token: emu.adminToken, ...(emu.scimToken ? { scimToken: emu.scimToken } : {}) });
  return { emu, seen, clientWith, ...main };
}
