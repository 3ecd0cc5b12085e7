/**
 * SCIM v2 shared parts (scim/utils.py): the filter grammar (exactly one `<attr> eq "<value>"`),
 * `startIndex`/`count` paging and the ListResponse envelope. SCIM lists have no Link header.
 */
import { AnswerError, detail, type EmuAnswer, type EmuRequest, json, SCIM_ERROR_SCHEMA } from "../http.js";

export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ScimFilter {
  attribute: string;
  value: string;
}

/** Parses `userName eq "a@b.c"`; anything else is 400 `invalidFilter`. Linear time: no backtracking. */
export function parseScimFilter(raw: string | null, allowed: readonly string[]): ScimFilter | null {
  if (raw === null) return null;
  const match = /^\s*([A-Za-z][\w.]*)\s+eq\s+"([^"]*)"\s*$/i.exec(raw);
  if (!match?.[1] || match[2] === undefined || !allowed.includes(match[1])) {
    throw new AnswerError(json(400, { schemas: [SCIM_ERROR_SCHEMA], scimType: "invalidFilter" }));
  }
  return { attribute: match[1], value: match[2] };
}

function intParam(req: EmuRequest, name: string, fallback: number, min: number): number {
  const raw = req.url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw)) throw new AnswerError(json(400, { [name]: ["A valid integer is required."] }));
  const value = Number(raw);
  if (value < min) throw new AnswerError(json(400, { [name]: [`Ensure this value is greater than or equal to ${min}.`] }));
  return value;
}

/** One SCIM page: 1-based `startIndex`, `count` (default 100; 0 is refused like a bad per_page). */
export function scimList<T>(req: EmuRequest, rows: readonly T[], serialize: (row: T) => unknown): EmuAnswer {
  const startIndex = intParam(req, "startIndex", 1, 1);
  const count = intParam(req, "count", 100, 0);
  if (count === 0) throw new AnswerError(detail(400, "Invalid per_page value. Must be between 1 and 100."));
  const page = rows.slice(startIndex - 1, startIndex - 1 + count);
  return json(200, {
    schemas: [LIST_SCHEMA],
    totalResults: rows.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page.map(serialize),
  });
}

/** Reads `Operations` of a PatchOp body (max 100). */
export function patchOperations(body: unknown): Array<Record<string, unknown>> {
  const ops = typeof body === "object" && body !== null ? (body as Record<string, unknown>).Operations : undefined;
  if (!Array.isArray(ops)) throw new AnswerError(json(400, { Operations: ["This field is required."] }));
  if (ops.length > 100) throw new AnswerError(json(400, { schemas: [SCIM_ERROR_SCHEMA], status: "400", detail: "Too many patch ops sent, limit is 100." }));
  return ops.map((op) => (typeof op === "object" && op !== null && !Array.isArray(op) ? (op as Record<string, unknown>) : {}));
}
