// Safe parsing of untrusted IdP metadata into a namespace-resolved element tree.
// fast-xml-parser does the parsing; this file refuses what must not be parsed (DTDs, entities, huge
// input) and resolves prefixes to namespace URIs, so `md:`, `saml:` and default-namespace documents
// all read the same. Internal to the SSO checks: not part of the public API.
// fast-xml-parser is loaded on the first parse, not when `sentry-rbac` is imported: its ESM build is some twenty
// modules, a good part of the package's import time, and most programs never read IdP metadata. Its CommonJS
// build is one file, so a synchronous require serves both builds of this package.
import { createRequire } from "node:module";
import type { XMLParser, XMLValidator } from "fast-xml-parser";

/** An element with its namespace URI resolved from the `xmlns` declarations in scope. */
export interface XmlElement {
  namespace: string | undefined;
  localName: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  text: string;
}

/** Why a document was not parsed. */
export type XmlRefusal =
  { code: "input-too-large"; message: string } | { code: "xml-doctype-refused"; message: string } | { code: "xml-malformed"; message: string };

const ATTRIBUTES_KEY = ":@";
const TEXT_KEY = "#text";
const MAX_DEPTH = 64;

interface Xml {
  parser: XMLParser;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- fast-xml-parser 5 still ships XMLValidator; its successor is a separate package we do not depend on
  validator: typeof XMLValidator;
}

let loaded: Xml | undefined;

function loadXml(): Xml {
  if (loaded) return loaded;
  const fxp = createRequire(import.meta.url)("fast-xml-parser") as typeof import("fast-xml-parser");
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above: XMLValidator is still shipped and tested
  loaded = { parser: new fxp.XMLParser(PARSER_OPTIONS), validator: fxp.XMLValidator };
  return loaded;
}

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: TEXT_KEY,
  // Only the five predefined entities and character references remain once DTDs are refused.
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
} as const;

/**
 * Parses XML into a namespace-resolved tree, or says why it will not.
 * A DOCTYPE or ENTITY declaration anywhere is refused outright (XXE, billion laughs): metadata never needs one.
 */
export function parseUntrustedXml(xml: string, maxLength: number): { root: XmlElement } | { refused: XmlRefusal } {
  if (xml.length > maxLength) {
    return { refused: { code: "input-too-large", message: `The document has ${xml.length} characters; the limit is ${maxLength}.` } };
  }
  // A plain substring test, not XML parsing: these markers have no legitimate place in IdP metadata.
  if (xml.includes("<!DOCTYPE") || xml.includes("<!ENTITY")) {
    return { refused: { code: "xml-doctype-refused", message: "The document declares a DOCTYPE or entities, which are refused." } };
  }
  const { parser, validator } = loadXml();
  const validation = validator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    return { refused: { code: "xml-malformed", message: `Malformed XML at line ${line}, column ${col}: ${msg}` } };
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(xml);
  } catch (error) {
    return { refused: { code: "xml-malformed", message: `Malformed XML: ${(error as Error).message}` } };
  }
  const roots = toElements(Array.isArray(nodes) ? nodes : [], new Map(), 0);
  const root = roots[0];
  if (!root) return { refused: { code: "xml-malformed", message: "The document has no root element." } };
  return { root };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toElements(nodes: readonly unknown[], inScope: ReadonlyMap<string, string>, depth: number): XmlElement[] {
  if (depth > MAX_DEPTH) return [];
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    if (!isRecord(node)) continue;
    const tag = Object.keys(node).find((key) => key !== ATTRIBUTES_KEY && key !== TEXT_KEY);
    if (tag === undefined) continue;
    const attributes: Record<string, string> = {};
    const rawAttributes = node[ATTRIBUTES_KEY];
    if (isRecord(rawAttributes)) {
      for (const [name, value] of Object.entries(rawAttributes)) attributes[name] = String(value);
    }
    const scope = new Map(inScope);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "xmlns") scope.set("", value);
      else if (name.startsWith("xmlns:")) scope.set(name.slice("xmlns:".length), value);
    }
    const colon = tag.indexOf(":");
    const prefix = colon === -1 ? "" : tag.slice(0, colon);
    const rawChildren = node[tag];
    const childNodes = Array.isArray(rawChildren) ? rawChildren : [];
    const text = childNodes
      .filter(isRecord)
      .map((child) => child[TEXT_KEY])
      .filter((value): value is string | number => typeof value === "string" || typeof value === "number")
      .join("");
    elements.push({
      namespace: scope.get(prefix),
      localName: colon === -1 ? tag : tag.slice(colon + 1),
      attributes,
      children: toElements(childNodes, scope, depth + 1),
      text: String(text),
    });
  }
  return elements;
}

/** The child elements of `parent` with the given namespace and local name. */
export function childrenNamed(parent: XmlElement, namespace: string, localName: string): XmlElement[] {
  return parent.children.filter((child) => child.namespace === namespace && child.localName === localName);
}

/** Whether an element is `{namespace}localName`. */
export function isElement(element: XmlElement, namespace: string, localName: string): boolean {
  return element.namespace === namespace && element.localName === localName;
}
