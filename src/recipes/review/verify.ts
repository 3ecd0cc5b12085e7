/**
 * `verifyAccessReview`: recomputes every hash of a campaign folder against its manifest, and the manifest's Ed25519
 * signature when a public key is given. Reads files only; the same folder gives the same verdict on any machine.
 */
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { AccessReviewError } from "./errors.js";
import { checkManifestSignature, readManifest, REVIEW_FILES, sealOf, type ReviewManifest } from "./manifest.js";

/** Options of {@link verifyAccessReview}. */
export interface VerifyAccessReviewOptions {
  dir: string;
  /** Ed25519 public key (PEM text): `manifest.sig` must then be present and valid. */
  publicKey?: string;
}

/** One file's check. */
export interface FileCheck {
  file: string;
  expected: string;
  /** Null when the file is missing. */
  actual: string | null;
  intact: boolean;
}

/** The verdict of {@link verifyAccessReview}. */
export interface VerifyAccessReviewReport {
  intact: boolean;
  campaign: string;
  organization: string;
  closed: boolean;
  files: FileCheck[];
  /** The first file (in manifest order) whose bytes differ from its hash, or `manifest.sig` for a bad signature. */
  firstDiffering: string | undefined;
  signature: "valid" | "invalid" | "missing" | "not-checked";
  manifest: ReviewManifest;
}

/**
 * Verifies a campaign folder.
 * @example
 * const verdict = await verifyAccessReview({ dir: "review-2026-q1", publicKey: readFileSync("review-key.pub.pem", "utf8") });
 * if (!verdict.intact) console.error(`${verdict.firstDiffering} differs from the manifest`);
 * @throws {AccessReviewError} (`invalid-campaign`) when the folder holds no manifest, (`invalid-key`) for a key that is no Ed25519 public key.
 */
export async function verifyAccessReview(options: VerifyAccessReviewOptions): Promise<VerifyAccessReviewReport> {
  const { manifest, bytes } = await readManifest(options.dir);
  const files: FileCheck[] = [];
  for (const [file, seal] of Object.entries(manifest.files)) {
    // A manifest names files inside the folder only.
    if (file.includes("/") || file.includes("\\") || file.startsWith(".")) {
      throw new AccessReviewError(
        "invalid-campaign",
        `${REVIEW_FILES.manifest} names a file outside the folder: ${JSON.stringify(file)}`,
        "Restore the campaign folder from its archive.",
      );
    }
    const data = await readFile(join(options.dir, file)).catch(() => null);
    const actual = data === null ? null : sealOf(data).sha256;
    files.push({ file, expected: seal.sha256, actual, intact: actual === seal.sha256 });
  }
  let signature: VerifyAccessReviewReport["signature"] = "not-checked";
  if (options.publicKey !== undefined) {
    const sig = await readFile(join(options.dir, REVIEW_FILES.signature), "utf8").catch(() => null);
    signature = sig === null ? "missing" : checkManifestSignature(bytes, sig, options.publicKey) ? "valid" : "invalid";
  }
  const firstDiffering = files.find((f) => !f.intact)?.file ?? (signature === "invalid" || signature === "missing" ? REVIEW_FILES.signature : undefined);
  return {
    intact: firstDiffering === undefined,
    campaign: manifest.campaign,
    organization: manifest.organization,
    closed: manifest.closedAt !== undefined,
    files,
    firstDiffering,
    signature,
    manifest,
  };
}
