/**
 * Test helpers: drive the emulator with plain fetch-style calls (never the SDK client).
 */
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/testing/index.js";

export interface Call {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export async function call(
  emu: Emulator,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? emu.adminToken : options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await emu.fetch(`${emu.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** A demo emulator without rate limits and with a frozen clock. */
export function demo(options: EmulatorOptions = {}): Emulator {
  return createEmulator({ fixture: "demo", rateLimit: false, now: () => NOW, ...options });
}

export const NOW = Date.parse("2026-03-01T12:00:00Z");

export function asArray(body: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(body)) throw new Error(`expected an array, got ${JSON.stringify(body)?.slice(0, 200)}`);
  return body as Array<Record<string, unknown>>;
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error(`expected an object, got ${JSON.stringify(body)?.slice(0, 200)}`);
  return body as Record<string, unknown>;
}

/** The `cursor="..."` of the `rel` entry of a Link header, and whether it has results. */
export function linkCursor(link: string | null, rel: "next" | "previous"): { cursor: string; results: boolean } | null {
  if (!link) return null;
  const m = new RegExp(`rel="${rel}"; results="(true|false)"; cursor="([^"]*)"`).exec(link);
  return m?.[1] && m[2] !== undefined ? { cursor: m[2], results: m[1] === "true" } : null;
}

/** Walks a Link-paginated list, returning all rows of all pages. */
export async function walk(
  emu: Emulator,
  path: string,
  token?: string,
  pick = (b: unknown) => asArray(b),
): Promise<{ rows: Array<Record<string, unknown>>; pages: number }> {
  const rows: Array<Record<string, unknown>> = [];
  let pages = 0;
  let url = path;
  for (;;) {
    const res = await call(emu, "GET", url, { token });
    if (res.status !== 200) throw new Error(`walk got ${res.status}: ${res.text}`);
    pages++;
    rows.push(...pick(res.body));
    const next = linkCursor(res.headers.get("link"), "next");
    if (!next?.results) return { rows, pages };
    url = `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(next.cursor)}`;
  }
}
