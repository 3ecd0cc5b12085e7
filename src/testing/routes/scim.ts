/**
 * SCIM v2 shared parts (src/sentry/core/endpoints/scim/utils.py, constants.py): the filter grammar,
 * `startIndex`/`count` paging, the ListResponse envelope (no Link header) and PatchOp validation.
 */
import { AnswerError, detail, type EmuAnswer, type EmuRequest, json, SCIM_ERROR_SCHEMA, scimError } from "../http.js";

export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ScimFilter {
  attribute: string;
  value: string;
}

/**
 * Sentry's filter grammar (scim/utils.py `parse_filter_conditions`): no comma anywhere, exactly one
 * `" eq "` (lowercase, single spaces), a key among userName/value/displayName (the same three for Users
 * and Groups), and a value whose first and last characters are dropped (the quotes). `value` keys take
 * an integer. Anything else is 400 `invalidFilter`. Linear time: plain string splits.
 */
export function parseScimFilter(raw: string | null): ScimFilter | null {
  if (raw === null) return null;
  const invalid = () => new AnswerError(json(400, { schemas: [SCIM_ERROR_SCHEMA], scimType: "invalidFilter" }));
  if (raw.includes(",")) throw invalid();
  const parts = raw.split(" eq ");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw invalid();
  const attribute = parts[0].trim();
  const value = parts[1].trim().slice(1, -1);
  if (!ACCEPTED_FILTER_KEYS.includes(attribute)) throw invalid();
  if (attribute === "value" && !/^\s*[-+]?\d+\s*$/.test(value)) throw invalid();
  return { attribute, value: attribute === "value" ? String(Number(value)) : value };
}

const ACCEPTED_FILTER_KEYS = ["userName", "value", "displayName"];

/** `excludedAttributes` (only `members` has an effect, on Groups). */
export function excludesMembers(req: EmuRequest): boolean {
  return req.url.searchParams.getAll("excludedAttributes").some((v) => v.split(",").map((x) => x.trim()).includes("members"));
}

/** Python's `json.dumps` text of a value (", " and ": " separators), as SCIM errors embed serializer errors. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** A SCIMApiError whose detail is the JSON text of serializer errors (scim/members.py, scim/teams.py). */
export function serializerError(errors: Record<string, unknown>): never {
  throw new AnswerError(scimError(400, pythonJson(errors)));
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

/**
 * Validates a PatchOp body as Sentry's serializers do: `Operations` is a required list; each op needs
 * `op` (checked against `ops`, case-insensitively); `requireSchemas` (Groups) makes `schemas` required.
 */
export function patchOperations(
  body: unknown,
  options: { ops: readonly string[]; requireSchemas: boolean; maxOps?: number; checkValue?: (op: Record<string, unknown>) => string | null },
): Array<Record<string, unknown>> {
  const record = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const errors: Record<string, unknown> = {};
  if (options.requireSchemas && record.schemas === undefined) errors.schemas = ["This field is required."];
  else if (record.schemas !== undefined && !Array.isArray(record.schemas)) errors.schemas = [`Expected a list of items but got type "${typeof record.schemas}".`];
  const ops = record.Operations;
  if (ops === undefined) errors.Operations = ["This field is required."];
  else if (!Array.isArray(ops)) errors.Operations = [`Expected a list of items but got type "${typeof ops}".`];
  else if (options.maxOps !== undefined && ops.length > options.maxOps) errors.Operations = [`Ensure this field has no more than ${options.maxOps} elements.`];
  else {
    const perOp: Record<string, unknown> = {};
    ops.forEach((raw, i) => {
      const op = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
      const found: Record<string, string[]> = {};
      if (!op) { perOp[String(i)] = { non_field_errors: ["Invalid data. Expected a dictionary, but got " + typeof raw + "."] }; return; }
      if (typeof op.op !== "string") found.op = [op.op === undefined ? "This field is required." : "Not a valid string."];
      else if (!options.ops.includes(op.op.toLowerCase())) found.op = [`"${op.op.toLowerCase()}" is not a valid choice`];
      if (op.path !== undefined && typeof op.path !== "string") found.path = ["Not a valid string."];
      const valueError = options.checkValue?.(op) ?? null;
      if (valueError) found.value = [valueError];
      if (Object.keys(found).length) perOp[String(i)] = found;
    });
    if (Object.keys(perOp).length) errors.Operations = perOp;
  }
  if (Object.keys(errors).length) serializerError(errors);
  return (ops as Array<Record<string, unknown>>);
}
