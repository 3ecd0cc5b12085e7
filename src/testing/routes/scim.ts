/**
 * SCIM v2 shared parts (src/sentry/core/endpoints/scim/utils.py, constants.py): the filter grammar,
 * `startIndex`/`count` paging, the ListResponse envelope (no Link header) and PatchOp validation.
 */
import { drfInteger, INVALID_INTEGER, lastParam, pythonInt } from "../drf.js";
import { AnswerError, detail, type EmuAnswer, type EmuRequest, json, SCIM_ERROR_SCHEMA, scimError } from "../http.js";

export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ScimFilter {
  attribute: string;
  value: string;
}

/**
 * Sentry's filter grammar (scim/utils.py `parse_filter_conditions`): no comma anywhere, exactly one
 * `" eq "` (lowercase, single spaces), a key among userName/value/displayName (the same three for Users
 * and Groups), and a value whose first and last characters are dropped (the quotes). Anything else is 400
 * `invalidFilter`. A `value` key takes Python's `int()` of the value, and its ValueError is not the
 * SCIMFilterError the serializer catches: a non-integer is a 500. Linear time: plain string splits.
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
  if (attribute !== "value") return { attribute, value };
  const id = pythonInt(value);
  if (id === null) throw new AnswerError({ status: 500, body: { detail: "Internal Error", errorId: null } });
  return { attribute, value: String(id) };
}

const ACCEPTED_FILTER_KEYS = ["userName", "value", "displayName"];

/** What `SCIMQueryParamSerializer` (scim/utils.py) makes of a query string. */
export interface ScimQuery {
  filter: ScimFilter | null;
  startIndex: number;
  count: number;
  /**
   * The page size `Endpoint.paginate` takes (api/base.py `get_per_page`, utils/pagination_factory.py
   * `clamp_pagination_per_page`): `count` is the default (0 counts as unset: 100), a `per_page` parameter wins,
   * and the bound is max(100, count). A bad `per_page` is kept as the ParseError text, raised when the list is paged.
   */
  perPage: number | { error: string };
  /** `excludedAttributes` holds exactly `members` (a ListField reads each repeated value whole: no comma split). */
  excludesMembers: boolean;
}

/**
 * Validates a SCIM query string as `SCIMEndpoint.get_query_parameters` does, on lists and on a single group
 * alike: a bad filter is the `invalidFilter` body; bad `startIndex`/`count` are DRF field errors, all at once.
 */
export function scimQuery(req: EmuRequest): ScimQuery {
  const params = req.url.searchParams;
  const errors: Record<string, string[]> = {};
  const int = (name: string, fallback: number, min: number): number => {
    const raw = lastParam(params, name);
    // An empty value of an optional field is skipped (DRF `Field.get_value` on form/query input).
    if (raw === null || raw === "") return fallback;
    const value = drfInteger(raw);
    if (value === null) errors[name] = [INVALID_INTEGER];
    else if (value < min) errors[name] = [`Ensure this value is greater than or equal to ${min}.`];
    return value ?? fallback;
  };
  const rawFilter = lastParam(params, "filter");
  const filter = parseScimFilter(rawFilter === "" ? null : rawFilter);
  const startIndex = int("startIndex", 1, 1);
  const count = int("count", 100, 0);
  if (Object.keys(errors).length) throw new AnswerError(json(400, errors));
  return { filter, startIndex, count, perPage: scimPerPage(params, count), excludesMembers: params.getAll("excludedAttributes").includes("members") };
}

/**
 * The text `sentry.utils.json.dumps` gives for a value, as SCIM errors embed serializer errors in `detail`:
 * simplejson with `separators=(",", ":")` (no spaces) and its default `ensure_ascii` (non-ASCII as `\uXXXX`).
 * src/sentry/utils/json.py; test_scim_user_details.py `test_member_detail_patch_too_many_ops` asserts the text.
 */
export function sentryJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A SCIMApiError whose detail is the JSON text of serializer errors (scim/members.py, scim/teams.py). */
export function serializerError(errors: Record<string, unknown>): never {
  throw new AnswerError(scimError(400, sentryJson(errors)));
}

function scimPerPage(params: URLSearchParams, count: number): ScimQuery["perPage"] {
  const fallback = count || 100;
  const max = Math.max(100, fallback);
  const raw = lastParam(params, "per_page");
  const perPage = raw === null ? fallback : pythonInt(raw);
  if (perPage === null) return { error: "Invalid per_page parameter." };
  if (perPage < 1 || perPage > max) return { error: `Invalid per_page value. Must be between 1 and ${max}.` };
  return perPage;
}

/** One SCIM page of `rows`: 1-based `startIndex`, `perPage` rows (see ScimQuery). */
export function scimList<T>(query: ScimQuery, rows: readonly T[], serialize: (row: T) => unknown): EmuAnswer {
  const { startIndex, perPage } = query;
  if (typeof perPage !== "number") throw new AnswerError(detail(400, perPage.error));
  const page = rows.slice(startIndex - 1, startIndex - 1 + perPage);
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
  else if (record.schemas !== undefined && !Array.isArray(record.schemas))
    errors.schemas = [`Expected a list of items but got type "${typeof record.schemas}".`];
  const ops = record.Operations;
  if (ops === undefined) errors.Operations = ["This field is required."];
  else if (!Array.isArray(ops)) errors.Operations = [`Expected a list of items but got type "${typeof ops}".`];
  else if (options.maxOps !== undefined && ops.length > options.maxOps) errors.Operations = [`Ensure this field has no more than ${options.maxOps} elements.`];
  else {
    const perOp: Record<string, unknown> = {};
    ops.forEach((raw, i) => {
      const op = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
      const found: Record<string, string[]> = {};
      if (!op) {
        perOp[String(i)] = { non_field_errors: ["Invalid data. Expected a dictionary, but got " + typeof raw + "."] };
        return;
      }
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
  return ops as Array<Record<string, unknown>>;
}
