/**
 * The one emulator set-up of the recipe, resource and CLI tests: the demo organization (`acme`) served in-process at
 * https://sentry.test without rate limits, a fetch into it that records every request, SDK clients closed after
 * each test, and the environment the CLI reads to use it. Each test file's helpers add only what they need.
 */
import { createSentryClient, type SentryClient } from "../../src/client.js";
import type { SentryClientOptions } from "../../src/config.js";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/testing/index.js";

export const BASE_URL = "https://sentry.test";
/** The fixed clock of tests that pin one (the demo fixture's dates are relative to it). */
export const NOW = Date.parse("2026-03-01T12:00:00Z");

/** One request as it reached the emulator. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/**
 * The demo emulator (fixture `demo`, no rate limits, base URL {@link BASE_URL}); `options` override any of it.
 * @example const emu = demoEmulator({ now: () => NOW });
 */
export function demoEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulator({ fixture: "demo", rateLimit: false, baseUrl: BASE_URL, ...options });
}

/**
 * A fetch into the emulator that records what reached it (method, path, query, parsed JSON body).
 * @example const { fetch, seen } = recordingFetch(emu);
 */
export function recordingFetch(emu: Emulator): { fetch: typeof globalThis.fetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.clone().text();
    seen.push({ method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: text === "" ? undefined : JSON.parse(text) });
    return emu.fetch(request);
  };
  return { fetch, seen };
}

const open: SentryClient[] = [];

/**
 * An SDK client for org `acme` at {@link BASE_URL} with no retries and no limiter, closed by {@link closeClients}.
 * @example const sentry = emulatorClient({ token: emu.adminToken, fetch });
 */
export function emulatorClient(options: SentryClientOptions): SentryClient {
  const client = createSentryClient({ org: "acme", baseUrl: BASE_URL, retry: false, rateLimit: false, ...options });
  open.push(client);
  return client;
}

/** Closes every client made by {@link emulatorClient}; call from afterEach. */
export async function closeClients(): Promise<void> {
  await Promise.all(open.splice(0).map((client) => client.close()));
}

/**
 * The environment the CLI reads to reach the emulator (token, org, URL; the SCIM token when asked).
 * @example runWith(["teams", "list"], { env: cliEnv(emu), fetch: emu.fetch });
 */
export function cliEnv(emu: Emulator, options: { scim?: boolean } = {}): Record<string, string> {
  return {
    SENTRY_AUTH_TOKEN: emu.adminToken,
    ...(options.scim && emu.scimToken ? { SENTRY_SCIM_TOKEN: emu.scimToken } : {}),
    SENTRY_ORG: emu.org,
    SENTRY_URL: BASE_URL,
  };
}
