// The shapes of token rotation: the tokens it knows of, the successor it mints, and the report of every step.
/** A token kind whose rotation Sentry's API supports with a bearer token (revocation only; see rotateToken). */
export type RotatableTokenKind = "user" | "org";

/** A token as the token endpoints describe it (never its value). */
export interface TokenRecord {
  id: string;
  name: string;
  scopes?: readonly string[];
  dateCreated?: string;
  expiresAt?: string | null;
  kind?: RotatableTokenKind;
}

/** Token records, or a function producing them (e.g. a session-authenticated listing); read once per run. */
export type TokenInventory = readonly TokenRecord[] | (() => Promise<readonly TokenRecord[]>);

/** The successor as handed to `publish` and `verify`: the only object that ever holds the token value. */
export interface SuccessorSecret {
  id: string;
  name: string;
  token: string;
}

/** The steps of a rotation, in order. */
export type RotationStep = "lookup" | "find-successors" | "mint" | "verify" | "publish" | "revoke-stale" | "revoke" | "rollback";

/** One step as reported: `planned` only in a dry run. */
export interface RotationStepRecord {
  step: RotationStep;
  status: "planned" | "done" | "skipped" | "failed";
  /** What happened, in words; never a token value. */
  detail: string;
}

/** The outcome of {@link rotateToken}; safe to log or serialise (no token value anywhere). */
export interface RotationReport {
  kind: RotatableTokenKind;
  current: { id: string; name: string | undefined };
  steps: RotationStepRecord[];
  /** The successor's id and name (never its value); undefined when none was minted or found. */
  successor: { id: string; name: string } | undefined;
  /** True once the current token is revoked (now, or by an earlier run). */
  revoked: boolean;
  /** True when a failure before revocation deleted the successor again. */
  rolledBack: boolean;
  dryRun: boolean;
}
