/**
 * The evidence seal of a review campaign: `manifest.json` holds the SHA-256 of every file the campaign wrote (and
 * of the files as `start` first wrote them), `manifest.sig` an Ed25519 signature of the manifest's bytes. Anyone can
 * recompute both on another machine with {@link verifyAccessReview}: the same files give the same verdict.
 */
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { nodeCrypto } from "../../http/send/node-crypto.js";
import { VERSION } from "../../version.js";
import { AccessReviewError } from "./errors.js";
import type { ReviewActor } from "./snapshot.js";

/** The files of a campaign folder, by name. */
export const REVIEW_FILES = Object.freeze({
  snapshot: "snapshot.json",
  decisions: "decisions.csv",
  plan: "plan.json",
  after: "after.json",
  reportCsv: "report.csv",
  reportHtml: "report.html",
  manifest: "manifest.json",
  signature: "manifest.sig",
} as const);

/** One file's seal. */
export interface FileSeal {
  sha256: string;
  bytes: number;
}

/** `manifest.json`. */
export interface ReviewManifest {
  kind: "sentry-rbac.access-review-manifest";
  version: 1;
  campaign: string;
  organization: string;
  tool: { name: "sentry-rbac"; version: string };
  startedAt: string;
  startedBy: ReviewActor;
  closedAt?: string;
  closedBy?: ReviewActor;
  /** Every file of the campaign as it is now, in the order written. */
  files: Record<string, FileSeal>;
  /** The files as `start` wrote them (before reviewers filled in `decisions.csv`). */
  started: Record<string, FileSeal>;
}

/** SHA-256 and size of some bytes. */
export function sealOf(data: Uint8Array | string): FileSeal {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return { sha256: nodeCrypto().createHash("sha256").update(bytes).digest("hex"), bytes: bytes.byteLength };
}

/**
 * Writes a file of the campaign whole or not at all (a temporary file renamed into place) and returns its seal.
 * @example const seal = await writeSealed(dir, "snapshot.json", text);
 */
export async function writeSealed(dir: string, name: string, text: string): Promise<FileSeal> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, name);
  const temporary = `${target}.${process.pid}.tmp`;
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target);
  return sealOf(text);
}

/** Reads and checks `manifest.json` of a campaign folder. */
export async function readManifest(dir: string): Promise<{ manifest: ReviewManifest; bytes: Buffer }> {
  const bytes = await readCampaignFile(dir, REVIEW_FILES.manifest);
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new AccessReviewError("invalid-campaign", `${REVIEW_FILES.manifest} is not JSON`, "Restore the campaign folder from its archive.");
  }
  const manifest = data as Partial<ReviewManifest> | null;
  if (manifest?.kind !== "sentry-rbac.access-review-manifest" || manifest.version !== 1 || typeof manifest.files !== "object" || manifest.files === null) {
    throw new AccessReviewError("invalid-campaign", `${REVIEW_FILES.manifest} is not an access review manifest`, "Pass the folder `review start --out` wrote.");
  }
  return { manifest: manifest as ReviewManifest, bytes };
}

/** A campaign file's bytes, or a refusal naming it. */
export async function readCampaignFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT") throw new AccessReviewError("invalid-campaign", `${name} is missing from ${dir}`, "Pass the folder `review start --out` wrote.");
    throw error;
  }
}

/** A new manifest for `start`. */
export function newManifest(fields: Pick<ReviewManifest, "campaign" | "organization" | "startedAt" | "startedBy" | "files">): ReviewManifest {
  return {
    kind: "sentry-rbac.access-review-manifest",
    version: 1,
    campaign: fields.campaign,
    organization: fields.organization,
    tool: { name: "sentry-rbac", version: VERSION },
    startedAt: fields.startedAt,
    startedBy: fields.startedBy,
    files: fields.files,
    started: { ...fields.files },
  };
}

/** The manifest's text as written (stable: keys in a fixed order, two-space indent, final newline). */
export function manifestText(manifest: ReviewManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Signs the manifest's bytes with an Ed25519 private key (PEM); the signature is base64 text.
 * @throws {AccessReviewError} (`invalid-key`) when the PEM is no Ed25519 private key.
 */
export function signManifest(manifestBytes: Uint8Array, privateKeyPem: string): string {
  const crypto = nodeCrypto();
  let key: import("node:crypto").KeyObject;
  try {
    key = crypto.createPrivateKey(privateKeyPem);
  } catch {
    throw new AccessReviewError(
      "invalid-key",
      "the signing key is not a PEM private key",
      "Create one with `openssl genpkey -algorithm ed25519 -out review-key.pem`.",
    );
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new AccessReviewError(
      "invalid-key",
      `the signing key is ${key.asymmetricKeyType ?? "not asymmetric"}, not Ed25519`,
      "Create one with `openssl genpkey -algorithm ed25519 -out review-key.pem`.",
    );
  }
  return `${crypto.sign(null, manifestBytes, key).toString("base64")}\n`;
}

/**
 * True when `signature` (base64 text) is a valid Ed25519 signature of the manifest bytes under the public key (PEM).
 * @throws {AccessReviewError} (`invalid-key`) when the PEM is no Ed25519 public key.
 */
export function checkManifestSignature(manifestBytes: Uint8Array, signature: string, publicKeyPem: string): boolean {
  const crypto = nodeCrypto();
  let key: import("node:crypto").KeyObject;
  try {
    key = crypto.createPublicKey(publicKeyPem);
  } catch {
    throw new AccessReviewError(
      "invalid-key",
      "the public key is not a PEM key",
      "Derive it with `openssl pkey -in review-key.pem -pubout -out review-key.pub.pem`.",
    );
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new AccessReviewError(
      "invalid-key",
      `the public key is ${key.asymmetricKeyType ?? "not asymmetric"}, not Ed25519`,
      "Pass the Ed25519 public key of the signing key.",
    );
  const raw = Buffer.from(signature.trim(), "base64");
  return raw.length === 64 && crypto.verify(null, manifestBytes, key, raw);
}
