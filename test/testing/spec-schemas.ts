/**
 * Test helper: the official spec plus spec/supplement.yaml as ajv validators of request bodies and
 * responses, with OpenAPI 3.0 `nullable` turned into JSON Schema type unions.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { loadSpec, repoRoot } from "../../scripts/spec-source.js";

type Json = Record<string, unknown>;
type Operation = { method: string; path: string; op: Json };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Resolves local `$ref`s (the supplement uses them; the official document is already dereferenced). */
function deref(node: unknown, root: Json, depth = 0): unknown {
  if (depth > 40) return node;
  if (Array.isArray(node)) return node.map((n) => deref(n, root, depth + 1));
  if (!isObject(node)) return node;
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
    let target: unknown = root;
    for (const part of node.$ref.slice(2).split("/")) target = isObject(target) ? target[part] : undefined;
    return deref(target, root, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, root, depth + 1)]));
}

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a union with null; `example`s dropped. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || key === "example" || key === "examples" || key === "xml") continue;
    out[key] = key === "properties" && isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)])) : toJsonSchema(value);
  }
  if (node.nullable === true) {
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

export interface SpecSchemas {
  operation(id: string): Operation;
  /** Errors of `body` against the documented JSON response for `status`, or null when valid. */
  validateResponse(id: string, status: number, body: unknown): string[] | null;
  requestSchema(id: string): Json | undefined;
  validateRequest(id: string, body: unknown): boolean;
}

export async function loadSpecSchemas(): Promise<SpecSchemas> {
  const official = await loadSpec();
  const supplementRaw = parse(readFileSync(resolve(repoRoot, "spec/supplement.yaml"), "utf8")) as Json;
  const supplement = deref(supplementRaw, supplementRaw) as Json;
  const operations = new Map<string, Operation>();
  for (const doc of [official as unknown as Json, supplement]) {
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        if (isObject(op) && typeof op.operationId === "string") operations.set(op.operationId, { method: method.toUpperCase(), path, op });
      }
    }
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const cache = new Map<string, ValidateFunction>();
  const compiled = (key: string, schema: unknown) => {
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(toJsonSchema(schema) as Json);
      cache.set(key, fn);
    }
    return fn;
  };
  const operation = (id: string) => {
    const found = operations.get(id);
    if (!found) throw new Error(`operation ${id} not in the spec or supplement`);
    return found;
  };
  const requestSchema = (id: string) => {
    const body = operation(id).op.requestBody;
    const content = isObject(body) && isObject(body.content) ? body.content : undefined;
    const json = content && isObject(content["application/json"]) ? content["application/json"] : undefined;
    return json && isObject(json.schema) ? json.schema : undefined;
  };
  return {
    operation,
    requestSchema,
    validateResponse(id, status, body) {
      const responses = operation(id).op.responses as Record<string, Json> | undefined;
      const response = responses?.[String(status)];
      if (!response) return [`status ${status} is not documented for ${id}`];
      const content = isObject(response.content) ? response.content : undefined;
      const json = content && isObject(content["application/json"]) ? content["application/json"] : undefined;
      if (!json || !isObject(json.schema)) return body === undefined || body === null ? null : [`${id} ${status} documents no body`];
      const validate = compiled(`${id}:${status}`, json.schema);
      return validate(body) ? null : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ""}`);
    },
    validateRequest(id, body) {
      const schema = requestSchema(id);
      return schema ? compiled(`${id}:request`, schema)(body) : true;
    },
  };
}
