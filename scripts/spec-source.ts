/**
 * Locates the pinned official Sentry OpenAPI document and checks its sha256.
 * Shared by the type generator and by tests that validate emulator answers against the spec.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PINNED_SPEC = {
  release: "0.272.0",
  sha256: "b71216654e44cc18f5e262fbb5075df67f1504a123d4bcb51cc8e8cc74ebd435",
  url: "https://raw.githubusercontent.com/getsentry/sentry-api-schema/a589a26c3b29bfc342a47baa963b7970961f958e/openapi-derefed.json",
} as const;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Candidate local paths, in the order they are tried. */
export function localSpecCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  if (env.SENTRY_OPENAPI_SPEC) candidates.push(resolve(env.SENTRY_OPENAPI_SPEC));
  candidates.push(resolve(repoRoot, "../shared/sentry-openapi/openapi-derefed.json"));
  return candidates;
}

function verify(bytes: Buffer, origin: string): Buffer {
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== PINNED_SPEC.sha256) {
    throw new Error(`OpenAPI document from ${origin} has sha256 ${digest}, expected ${PINNED_SPEC.sha256} (release ${PINNED_SPEC.release})`);
  }
  return bytes;
}

/** Returns the verified bytes of the pinned spec: env override, shared copy, then the pinned URL. */
export async function loadSpecBytes(env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  for (const path of localSpecCandidates(env)) {
    if (existsSync(path)) return verify(readFileSync(path), path);
    if (path === resolve(env.SENTRY_OPENAPI_SPEC ?? "\0")) {
      throw new Error(`SENTRY_OPENAPI_SPEC points to ${path}, which does not exist`);
    }
  }
  const response = await fetch(PINNED_SPEC.url);
  if (!response.ok) throw new Error(`download of the pinned spec failed: HTTP ${response.status}`);
  return verify(Buffer.from(await response.arrayBuffer()), PINNED_SPEC.url);
}

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** Parses the pinned spec. */
export async function loadSpec(env: NodeJS.ProcessEnv = process.env): Promise<OpenApiDocument> {
  return JSON.parse((await loadSpecBytes(env)).toString("utf8")) as OpenApiDocument;
}
