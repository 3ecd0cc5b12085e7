/**
 * Transport-neutral request and answer shapes, so one core serves msw, `emu.fetch` and node:http,
 * plus the error bodies Sentry sends.
 */

export interface EmuRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** Raw body text ("" when none). */
  bodyText: string;
  /** Client address (node:http) for audit `ipAddress`. */
  ip: string;
}

export interface EmuAnswer {
  status: number;
  /** JSON value to send; `undefined` = no body. */
  body?: unknown;
  /** Sent verbatim instead of `body` (429 strings, faults). */
  rawText?: string;
  headers?: Record<string, string>;
}

/** What the core decided: an answer, or a dropped connection. */
export type Outcome = { kind: "answer"; answer: EmuAnswer } | { kind: "drop" };

export function json(status: number, body: unknown, headers?: Record<string, string>): EmuAnswer {
  return headers ? { status, body, headers } : { status, body };
}

export function noContent(status = 204): EmuAnswer {
  return { status };
}

export function detail(status: number, text: string): EmuAnswer {
  return { status, body: { detail: text } };
}

export const NOT_FOUND = "The requested resource does not exist";
export const NO_PERMISSION = "You do not have permission to perform this action.";
export const NO_CREDENTIALS = "Authentication credentials were not provided.";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export function scimError(status: number, text: string, scimType?: string): EmuAnswer {
  // SCIMApiError (src/sentry/core/endpoints/scim/utils.py): `{ schemas, detail }`, no `status` member —
  // test_scim_user_index.py test_post_users_already_exists compares the whole body.
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], detail: text };
  if (scimType) body.scimType = scimType;
  return { status, body };
}

/** Thrown inside routes to answer early with an error; caught by the router. */
export class AnswerError extends Error {
  constructor(readonly answer: EmuAnswer) {
    super(`emulator answer ${answer.status}`);
  }
}

export function fail(answer: EmuAnswer): never {
  throw new AnswerError(answer);
}

/** Parses a JSON body as DRF does; an empty body is `{}`. */
export function parseJsonBody(req: EmuRequest): unknown {
  if (req.bodyText.trim() === "") return {};
  try {
    return JSON.parse(req.bodyText) as unknown;
  } catch (error) {
    return fail(detail(400, `JSON parse error - ${(error as Error).message}`));
  }
}

/** Serialises an answer into a fetch `Response`. */
export function toResponse(answer: EmuAnswer): Response {
  const headers = new Headers(answer.headers);
  let text: string | null = null;
  if (answer.rawText !== undefined) text = answer.rawText;
  else if (answer.body !== undefined) text = JSON.stringify(answer.body);
  if (text !== null && !headers.has("content-type")) headers.set("content-type", "application/json");
  const bodyless = answer.status === 204 || answer.status === 304;
  return new Response(bodyless ? null : text, { status: answer.status, headers });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
