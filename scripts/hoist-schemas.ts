/**
 * Turns the fully dereferenced Sentry document back into a referenced one before types are generated: every object
 * schema that occurs more than once (a team, a member, an avatar...) and every repeated response becomes one entry
 * under `components`, and each occurrence a `$ref` to it. openapi-typescript then prints each shape once, as
 * `components["schemas"]["GetTeam200"]`, instead of expanding it at every use: the declarations a consumer's `tsc`
 * parses shrink by more than half and the types stay structurally identical.
 *
 * Names come from the first place a shape occurs, in document order (`ListOrganizationTeams200Item`,
 * `GetTeam200Avatar`), so the same document always gives the same names.
 */
import type { OpenApiDocument } from "./spec-source.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
/** Shapes shorter than this (as JSON) stay inline: a `$ref` would cost about as much to read as the shape itself. */
const MIN_SCHEMA_CHARS = 120;

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** JSON with sorted keys, so two equal shapes written in a different key order count as one. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (!isObject(value)) return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] as Json)}`).join(",")}}`;
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

const isSchemaShape = (value: JsonObject): boolean =>
  value.type === "object" || "properties" in value || "items" in value || "allOf" in value || "oneOf" in value || "anyOf" in value;

interface Seen {
  count: number;
  name: string;
  value: JsonObject;
}

/** Walks a schema, recording each object-like subschema under the name of the place it was first met. */
function collectSchemas(schema: Json, name: string, seen: Map<string, Seen>): void {
  if (!isObject(schema)) return;
  if (isSchemaShape(schema)) {
    const key = canonical(schema);
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { count: 1, name, value: schema });
  }
  if (isObject(schema.properties)) {
    for (const [prop, sub] of Object.entries(schema.properties)) collectSchemas(sub, `${name}_${prop}`, seen);
  }
  if (schema.items !== undefined) collectSchemas(schema.items, `${name}_item`, seen);
  if (isObject(schema.additionalProperties)) collectSchemas(schema.additionalProperties, `${name}_value`, seen);
  for (const combinator of ["allOf", "oneOf", "anyOf"] as const) {
    const parts = schema[combinator];
    if (Array.isArray(parts)) parts.forEach((part, i) => collectSchemas(part, `${name}_${combinator}${i}`, seen));
  }
}

/** Every operation of the document in order, with a name stem for its schemas. */
function* operations(doc: OpenApiDocument): Generator<{ op: JsonObject; stem: string }> {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!isObject(op)) continue;
      const id = typeof op.operationId === "string" ? op.operationId : `${method} ${path}`;
      yield { op, stem: pascal(id) };
    }
  }
}

function* mediaSchemas(owner: Json | undefined): Generator<JsonObject> {
  if (!isObject(owner) || !isObject(owner.content)) return;
  for (const media of Object.values(owner.content)) if (isObject(media)) yield media;
}

/** Replaces hoisted subschemas (below the root) by references. */
function referenceSchemas(schema: Json, names: Map<string, string>, root = true): Json {
  if (!isObject(schema)) return schema;
  if (!root && isSchemaShape(schema)) {
    const name = names.get(canonical(schema));
    if (name) return { $ref: `#/components/schemas/${name}` };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([prop, sub]) => [prop, referenceSchemas(sub, names, false)]));
    } else if (key === "items" || key === "additionalProperties") {
      out[key] = referenceSchemas(value, names, false);
    } else if ((key === "allOf" || key === "oneOf" || key === "anyOf") && Array.isArray(value)) {
      out[key] = value.map((part) => referenceSchemas(part, names, false));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Returns a copy of `doc` whose repeated schemas and responses live in `components`; `doc` is not changed.
 * Names already in `doc.components` (the supplement's) are left alone and never reused.
 */
export function hoistSchemas(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone<OpenApiDocument>(doc);
  const seen = new Map<string, Seen>();
  for (const { op, stem } of operations(copy)) {
    if (isObject(op.responses)) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const media of mediaSchemas(response)) collectSchemas(media.schema ?? null, `${stem}${status}`, seen);
      }
    }
    for (const media of mediaSchemas(op.requestBody)) collectSchemas(media.schema ?? null, `${stem}Body`, seen);
  }

  const components = { ...(copy.components ?? {}) };
  const schemas: JsonObject = { ...((components.schemas ?? {}) as JsonObject) };
  const taken = new Set(Object.keys(schemas));
  const names = new Map<string, string>();
  for (const [key, entry] of seen) {
    if (entry.count < 2 || key.length < MIN_SCHEMA_CHARS) continue;
    let name = pascal(entry.name);
    for (let n = 2; taken.has(name); n++) name = `${pascal(entry.name)}${n}`;
    taken.add(name);
    names.set(key, name);
  }
  for (const [key, name] of names) schemas[name] = referenceSchemas(seen.get(key)!.value, names);

  const responses: JsonObject = { ...((components.responses ?? {}) as JsonObject) };
  const responseNames = new Map<string, string>();
  for (const { op, stem } of operations(copy)) {
    if (!isObject(op.responses)) continue;
    for (const media of [...Object.values(op.responses).flatMap((r) => [...mediaSchemas(r)]), ...mediaSchemas(op.requestBody)]) {
      if (media.schema !== undefined) media.schema = referenceSchemas(media.schema, names, false);
    }
    for (const [status, response] of Object.entries(op.responses)) {
      if (!isObject(response)) continue;
      const key = canonical(response);
      let name = responseNames.get(key);
      if (!name) {
        name = `${stem}${status}`;
        for (let n = 2; name in responses; n++) name = `${stem}${status}_${n}`;
        responseNames.set(key, name);
        responses[name] = response;
      }
      op.responses[status] = { $ref: `#/components/responses/${name}` };
    }
  }
  // A response used once gains nothing from a reference: put it back inline.
  const uses = new Map<string, number>();
  for (const { op } of operations(copy)) {
    for (const ref of Object.values(isObject(op.responses) ? op.responses : {})) {
      if (isObject(ref) && typeof ref.$ref === "string") uses.set(ref.$ref, (uses.get(ref.$ref) ?? 0) + 1);
    }
  }
  for (const { op } of operations(copy)) {
    if (!isObject(op.responses)) continue;
    for (const [status, ref] of Object.entries(op.responses)) {
      if (!isObject(ref) || typeof ref.$ref !== "string" || (uses.get(ref.$ref) ?? 0) > 1) continue;
      const name = ref.$ref.slice("#/components/responses/".length);
      op.responses[status] = responses[name] as Json;
      delete responses[name];
    }
  }
  components.schemas = schemas;
  components.responses = responses;
  return { ...copy, components };
}
