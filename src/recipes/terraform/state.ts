/**
 * Reads the two forms of Terraform state users have into resource instances: a raw state (`terraform.tfstate`,
 * `terraform state pull`: `"version": 4`, `resources[].instances[].attributes`, module paths in `module`) and
 * `terraform show -json` (`format_version` 1.x, `values.root_module.resources[].values` and `child_modules`).
 * Anything else is refused with a `ValidationError` naming the field, before anything is written or sent.
 */
import { ValidationError } from "../../http/errors/errors.js";
import { compareKeys, compareText, formatModulePath, keySuffix, parseModulePath, type InstanceKey, type ModuleStep } from "./address.js";
import type { StateInstance } from "./types.js";

/**
 * A refusal of the input: status 400, nothing sent, `field` naming the address or attribute at fault.
 * @example throw refuse("version", "state format version 3; only version 4 is read");
 */
export function refuse(field: string, message: string): ValidationError {
  return ValidationError.forInput(field, message);
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function instance(module: ModuleStep[], mode: "managed" | "data", type: string, name: string, key: InstanceKey, attributes: Json): StateInstance {
  const prefix = (withKeys: boolean) => (module.length > 0 ? `${formatModulePath(module, withKeys)}.` : "");
  const local = `${mode === "data" ? "data." : ""}${type}.${name}`;
  return { address: `${prefix(true)}${local}${keySuffix(key)}`, resourceAddress: `${prefix(false)}${local}`, module, mode, type, name, key, attributes };
}

function header(where: string, value: Json): { mode: "managed" | "data"; type: string; name: string } {
  const { mode, type, name } = value;
  if (mode !== "managed" && mode !== "data") throw refuse(`${where}.mode`, `must be "managed" or "data" (not a Terraform state?)`);
  if (typeof type !== "string" || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(type)) throw refuse(`${where}.type`, "must be a resource type name");
  if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw refuse(`${where}.name`, "must be a resource name");
  return { mode, type, name };
}

function moduleOf(where: string, text: unknown): ModuleStep[] {
  if (text === undefined || text === "") return [];
  const steps = typeof text === "string" ? parseModulePath(text) : undefined;
  if (!steps) throw refuse(where, `not a module path: ${JSON.stringify(text).slice(0, 80)}`);
  return steps;
}

function keyOf(where: string, key: unknown): InstanceKey {
  if (key === undefined || key === null) return undefined;
  if ((typeof key === "number" && Number.isInteger(key) && key >= 0) || typeof key === "string") return key;
  throw refuse(where, "an instance key is a whole number (count) or a string (for_each)");
}

/** `resources[]` of a raw state, version 4. */
function readRaw(state: Json): StateInstance[] {
  if (state.version !== 4) {
    throw refuse(
      "version",
      `state format version ${JSON.stringify(state.version)}: only version 4 (Terraform 0.12 and later) is read; run \`terraform state pull\` with a current Terraform`,
    );
  }
  const resources = state.resources ?? [];
  if (!Array.isArray(resources)) throw refuse("resources", "must be a list");
  const out: StateInstance[] = [];
  for (const [r, resource] of resources.entries()) {
    const where = `resources[${r}]`;
    if (!isObject(resource)) throw refuse(where, "must be an object");
    const { mode, type, name } = header(where, resource);
    const module = moduleOf(`${where}.module`, resource.module);
    const instances = resource.instances ?? [];
    if (!Array.isArray(instances)) throw refuse(`${where}.instances`, "must be a list");
    for (const [i, item] of instances.entries()) {
      const at = `${where}.instances[${i}]`;
      if (!isObject(item)) throw refuse(at, "must be an object");
      // A deposed object is a leftover of create_before_destroy; `state rm` of the address takes it along.
      if (item.deposed !== undefined) continue;
      const found = instance(module, mode, type, name, keyOf(`${at}.index_key`, item.index_key), {});
      if (!isObject(item.attributes)) throw refuse(`${found.address} (${at}.attributes)`, "missing: only version 4 states with `attributes` are read");
      found.attributes = item.attributes;
      out.push(found);
    }
  }
  return out;
}

/** `values.root_module` of `terraform show -json`, format 1.x. */
function readShow(document: Json): StateInstance[] {
  const version = document.format_version;
  if (typeof version !== "string" || !/^1\.\d+$/.test(version)) {
    throw refuse("format_version", `${JSON.stringify(version)}: only format 1.x of \`terraform show -json\` is read`);
  }
  if (document.values === undefined && document.planned_values !== undefined) {
    throw refuse("values", "this is a plan (`terraform show -json PLANFILE`); pass the state: `terraform show -json` without a plan file");
  }
  const values = document.values ?? {};
  if (!isObject(values)) throw refuse("values", "must be an object");
  const out: StateInstance[] = [];
  const walk = (mod: unknown, where: string, module: ModuleStep[]) => {
    if (mod === undefined) return;
    if (!isObject(mod)) throw refuse(where, "must be an object");
    const resources = mod.resources ?? [];
    if (!Array.isArray(resources)) throw refuse(`${where}.resources`, "must be a list");
    for (const [r, resource] of resources.entries()) {
      const at = `${where}.resources[${r}]`;
      if (!isObject(resource)) throw refuse(at, "must be an object");
      const { mode, type, name } = header(at, resource);
      const found = instance(module, mode, type, name, keyOf(`${at}.index`, resource.index), {});
      if (!isObject(resource.values)) throw refuse(`${found.address} (${at}.values)`, "missing: not `terraform show -json` output?");
      found.attributes = resource.values;
      out.push(found);
    }
    const children = mod.child_modules ?? [];
    if (!Array.isArray(children)) throw refuse(`${where}.child_modules`, "must be a list");
    for (const [c, child] of children.entries()) {
      const at = `${where}.child_modules[${c}]`;
      walk(child, at, moduleOf(`${at}.address`, isObject(child) ? child.address : undefined));
    }
  };
  walk(values.root_module, "values.root_module", []);
  return out;
}

/**
 * The resource instances of a Terraform state: raw (version 4) or `terraform show -json` output, as text or parsed.
 * Ordered by resource address, then by instance key as Terraform orders them.
 * @example const instances = readTerraformState(readFileSync("terraform.tfstate", "utf8"));
 * @throws {ValidationError} for anything else (not JSON, not a state, another format version), naming the field.
 */
export function readTerraformState(input: unknown): StateInstance[] {
  let document = input;
  if (typeof input === "string") {
    try {
      // A byte-order mark (an editor's, or a Windows shell's redirect) is not part of the JSON.
      document = JSON.parse(input.replace(/^\uFEFF/, "")) as unknown;
    } catch {
      throw refuse("(file)", "not JSON: pass terraform.tfstate, `terraform state pull` or `terraform show -json` output");
    }
  }
  if (!isObject(document)) throw refuse("(file)", "not a Terraform state: expected a JSON object");
  let instances: StateInstance[];
  if ("format_version" in document) instances = readShow(document);
  else if ("version" in document && ("resources" in document || "lineage" in document || "terraform_version" in document)) instances = readRaw(document);
  else throw refuse("(file)", "not a Terraform state: no `version` (terraform.tfstate) or `format_version` (terraform show -json)");
  const seen = new Set<string>();
  for (const found of instances) {
    if (seen.has(found.address)) throw refuse(found.address, "appears twice in the state");
    seen.add(found.address);
  }
  return instances.sort(compareInstances);
}

/** By resource address, then module keys and the instance key in Terraform's key order. */
function compareInstances(a: StateInstance, b: StateInstance): number {
  const byResource = compareText(a.resourceAddress, b.resourceAddress);
  if (byResource !== 0) return byResource;
  for (const [i, step] of a.module.entries()) {
    const byModuleKey = compareKeys(step.key, b.module[i]?.key);
    if (byModuleKey !== 0) return byModuleKey;
  }
  return compareKeys(a.key, b.key);
}
