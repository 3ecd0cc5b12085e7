/**
 * Test helpers for resources: a demo emulator and an SDK client wired to it in-process, with every request that
 * reached the emulator recorded (method, path, query, parsed JSON body).
 */
import { createSentryClient, type SentryClient } from "../../src/client.js";
import type { SentryClientOptions } from "../../src/config.js";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/testing/index.js";

export const BASE_URL = "https://sentry.test";

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface Harness {
  emu: Emulator;
  sentry: SentryClient;
  seen: SeenRequest[];
  /** A client acting with another token (same emulator, same request log), with extra client options. */
  clientWith(token: string, options?: Partial<SentryClientOptions>): SentryClient;
}

const open: SentryClient[] = [];

/** Closes every client made by {@link harness}; call from afterEach. */
export async function closeClients(): Promise<void> {
  await Promise.all(open.splice(0).map((client) => client.close()));
}

/** A demo emulator without rate limits and a client (admin token, org `acme`, no retries) talking to it. */
export function harness(options: EmulatorOptions = {}): Harness {
  const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => Date.parse("2026-03-01T12:00:00Z"), ...options, baseUrl: BASE_URL });
  const seen: SeenRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.clone().text();
    seen.push({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text === "" ? undefined : JSON.parse(text),
    });
    return emu.fetch(request);
  };
  const clientWith = (token: string, options: Partial<SentryClientOptions> = {}) => {
    const client = createSentryClient({ token, org: "acme", baseUrl: BASE_URL, fetch, retry: false, rateLimit: false, ...options });
    open.push(client);
    return client;
  };
  return { emu, sentry: clientWith(emu.adminToken), seen, clientWith };
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
