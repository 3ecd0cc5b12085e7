/**
 * The parts of the `yaml` package the recipes use, loaded on first use rather than when `sentry-rbac` is imported:
 * `yaml` is some sixty CommonJS modules, more than the rest of the package's import time, and only the access-file
 * and audit-rule readers need it.
 */
import { createRequire } from "node:module";
import type { Document, DocumentOptions, LineCounter, ParseOptions, Scalar, SchemaOptions, YAMLMap, YAMLSeq } from "yaml";

type Yaml = typeof import("yaml");
let loaded: Yaml | undefined;

function lib(): Yaml {
  loaded ??= createRequire(import.meta.url)("yaml") as Yaml;
  return loaded;
}

/** `yaml`'s isMap. @example if (isMap(node)) node.items; */
export function isMap(node: unknown): node is YAMLMap {
  return lib().isMap(node);
}
/** `yaml`'s isScalar. @example if (isScalar(node)) node.value; */
export function isScalar(node: unknown): node is Scalar {
  return lib().isScalar(node);
}
/** `yaml`'s isSeq. @example if (isSeq(node)) node.items; */
export function isSeq(node: unknown): node is YAMLSeq {
  return lib().isSeq(node);
}
/** `yaml`'s parse. @example const value = parseYaml("a: 1"); */
export function parseYaml(text: string): unknown {
  return lib().parse(text);
}
/** `yaml`'s parseDocument. @example const doc = parseDocument(text, { lineCounter }); */
export function parseDocument(text: string, options?: ParseOptions & DocumentOptions & SchemaOptions): ReturnType<Yaml["parseDocument"]> {
  return lib().parseDocument(text, options);
}
/** A new `yaml` LineCounter. @example const lines = newLineCounter(); */
export function newLineCounter(): LineCounter {
  return new (lib().LineCounter)();
}
/** A new `yaml` Document over a plain value. @example const doc = newDocument({ version: 1 }); */
export function newDocument(value: unknown): Document {
  return new (lib().Document)(value);
}
