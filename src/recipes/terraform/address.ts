/**
 * Terraform addresses as Terraform writes them: `module.a["k"].sentry_team.x[0]`. String keys use HCL's quoting
 * (`\"`, `\\`, `\n`, `\r`, `\t`, `\uXXXX` for other non-printing characters, and `$${`/`%%{` so no template
 * starts), the format of Terraform's `addrs.StringKey`, so what we write reaches Terraform as the same address.
 */

/** A `count` index or a `for_each` key; `undefined` for a resource without either. */
export type InstanceKey = number | string | undefined;

/** One step of a module path: `module.NAME` with its instance key. */
export interface ModuleStep {
  name: string;
  key: InstanceKey;
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const NON_PRINTING = /[\p{C}\p{Z}]/u;

/**
 * A string as an HCL quoted string, the way Terraform quotes `for_each` keys in addresses.
 * @example hclQuote('a"b') // '"a\\"b"'
 */
export function hclQuote(text: string): string {
  let out = '"';
  const chars = Array.from(text); // code points: a key is quoted character by character
  for (const [i, ch] of chars.entries()) {
    if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "$" || ch === "%") out += chars[i + 1] === "{" ? ch + ch : ch;
    else if (ch !== " " && NON_PRINTING.test(ch)) {
      const code = ch.codePointAt(0) ?? 0;
      out += code < 0x10000 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * The `[0]` or `["key"]` suffix of an instance (empty without a key).
 * @example keySuffix("eu") // '["eu"]'
 */
export function keySuffix(key: InstanceKey): string {
  if (key === undefined) return "";
  return typeof key === "number" ? `[${key}]` : `[${hclQuote(key)}]`;
}

// Sticky: matched at an index without slicing, so a long path parses in linear time.
const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
const INDEX = /\[(\d+)\]/y;

function stickyMatch(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Reads an HCL quoted string starting at `text[start] === '"'`; returns the value and the index after it. */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') return { value, end: i + 1 };
    if ((ch === "$" || ch === "%") && text[i + 1] === ch && text[i + 2] === "{") {
      value += ch;
      i++;
      continue;
    }
    if (ch !== "\\") {
      value += ch;
      continue;
    }
    const next = text[++i];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    const escaped = next === undefined ? undefined : simple[next];
    if (escaped !== undefined) value += escaped;
    else if (next === "u" || next === "U") {
      const digits = text.slice(i + 1, i + 1 + (next === "u" ? 4 : 8));
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== (next === "u" ? 4 : 8)) return undefined;
      const code = Number.parseInt(digits, 16);
      if (code > 0x10ffff) return undefined;
      value += String.fromCodePoint(code);
      i += digits.length;
    } else return undefined;
  }
  return undefined;
}

/**
 * Parses a module path (`module.a["k"].module.b[0]`, or `""` for the root module); `undefined` if it is not one.
 * @example parseModulePath('module.teams["eu"]') // [{ name: "teams", key: "eu" }]
 */
export function parseModulePath(text: string): ModuleStep[] | undefined {
  const steps: ModuleStep[] = [];
  let i = 0;
  while (i < text.length) {
    if (steps.length > 0) {
      if (text[i] !== ".") return undefined;
      i++;
    }
    if (!text.startsWith("module.", i)) return undefined;
    i += "module.".length;
    const name = stickyMatch(NAME, text, i)?.[0];
    if (name === undefined) return undefined;
    i += name.length;
    let key: InstanceKey;
    if (text[i] === "[") {
      if (text[i + 1] === '"') {
        const quoted = readQuoted(text, i + 1);
        if (!quoted || text[quoted.end] !== "]") return undefined;
        key = quoted.value;
        i = quoted.end + 1;
      } else {
        const digits = stickyMatch(INDEX, text, i);
        if (!digits) return undefined;
        key = Number(digits[1]);
        i += digits[0].length;
      }
    }
    steps.push({ name, key });
  }
  return steps;
}

/**
 * The module path as Terraform writes it, with instance keys (`withKeys`) or without (for a `removed` block's
 * `from`, which takes no instance keys).
 * @example formatModulePath([{ name: "teams", key: "eu" }], false) // "module.teams"
 */
export function formatModulePath(steps: readonly ModuleStep[], withKeys: boolean): string {
  return steps.map((s) => `module.${s.name}${withKeys ? keySuffix(s.key) : ""}`).join(".");
}

/**
 * Terraform's instance-key order: no key, then numbers ascending, then strings by code point.
 * @example [2, undefined, "a"].sort(compareKeys) // [undefined, 2, "a"]
 */
export function compareKeys(a: InstanceKey, b: InstanceKey): number {
  const rank = (k: InstanceKey) => (k === undefined ? 0 : typeof k === "number" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  return compareText(String(a ?? ""), String(b ?? ""));
}

/**
 * Orders strings by code unit, the same on every machine and locale (unlike `localeCompare`).
 * @example ["b", "B", "a"].sort(compareText) // ["B", "a", "b"]
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A POSIX shell single-quoted word: every character reaches the program as is (a `'` becomes `'\''`).
 * @example shellQuote(`sentry_team.x["it's"]`) // `'sentry_team.x["it'\''s"]'`
 */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
