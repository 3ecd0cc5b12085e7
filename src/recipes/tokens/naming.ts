/**
 * The token naming convention of the seed, `{purpose}-{environment}` (e.g. `ci-cd-pipeline-prod`), shared by token
 * rotation (which appends a date stamp to find its successors again) and token lint (which flags names off it).
 */

/** Environments a token name may end with (checked case-sensitively: names are lowercase by convention). */
export const TOKEN_ENVIRONMENTS = Object.freeze(["prod", "production", "staging", "stage", "dev", "development", "test", "ci", "qa"] as const);

/** An environment a token name may end with. */
export type TokenEnvironment = (typeof TOKEN_ENVIRONMENTS)[number];

const SEGMENT = /^[a-z0-9]+$/;
const STAMP = /^\d{8}$/;

/** A token name split along the convention. */
export interface ParsedTokenName {
  /** Everything before the environment, e.g. `ci-cd-pipeline`. */
  purpose: string;
  environment: TokenEnvironment;
  /** The `YYYYMMDD` rotation stamp, when the name carries one. */
  stamp: string | undefined;
}

/**
 * Splits `{purpose}-{environment}[-YYYYMMDD]`, or returns undefined when the name does not follow the convention
 * (uppercase, spaces, no environment, an environment that is not one of {@link TOKEN_ENVIRONMENTS}).
 * @example parseTokenName("ci-cd-pipeline-prod-20261129") // { purpose: "ci-cd-pipeline", environment: "prod", stamp: "20261129" }
 */
export function parseTokenName(name: string): ParsedTokenName | undefined {
  const parts = name.split("-");
  const stamp = parts.length > 2 && STAMP.test(parts[parts.length - 1] ?? "") ? parts.pop() : undefined;
  if (parts.length < 2 || !parts.every((part) => SEGMENT.test(part))) return undefined;
  const environment = parts.pop() as string;
  if (!(TOKEN_ENVIRONMENTS as readonly string[]).includes(environment)) return undefined;
  return { purpose: parts.join("-"), environment: environment as TokenEnvironment, stamp };
}

/** The name without a trailing `-YYYYMMDD` rotation stamp. */
export function stripRotationStamp(name: string): string {
  return name.replace(/-\d{8}$/, "");
}

/** `YYYYMMDD` of a date, in UTC so every machine stamps the same day. */
export function rotationStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll("-", "");
}

/** True when `name` is `base` followed by a rotation stamp: the shape of a successor minted by rotateToken. */
export function isSuccessorName(name: string, base: string): boolean {
  return name.startsWith(`${base}-`) && STAMP.test(name.slice(base.length + 1));
}

/** A best-effort conventional spelling of a free-form name (lowercase, dash-separated), for lint fixes. */
export function conventionalName(name: string, environment: TokenEnvironment = "prod"): string {
  const base =
    stripRotationStamp(name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "token";
  const parsed = parseTokenName(base);
  return parsed ? base : `${base}-${environment}`;
}
