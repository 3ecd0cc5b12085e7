import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ENTRIES = ["src/index.ts", "src/testing/index.ts", "src/recipes/index.ts"].map((entry) => fileURLToPath(new URL(`../../${entry}`, import.meta.url)));

/** Every public function and class (reached through the package entries) that lacks an `@example` in its TSDoc. */
function publicWithoutExample(): string[] {
  const program = ts.createProgram(ENTRIES, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  for (const entry of ENTRIES) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read exports of ${entry}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        const isFunction = ts.isFunctionDeclaration(declaration);
        const isClass = ts.isClassDeclaration(declaration);
        const isArrowConst =
          ts.isVariableDeclaration(declaration) &&
          declaration.initializer !== undefined &&
          (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer));
        if (!isFunction && !isClass && !isArrowConst) continue;
        const docNode = isArrowConst ? declaration.parent.parent : declaration;
        const tags = ts.getJSDocTags(docNode).map((tag) => tag.tagName.text);
        if (!tags.includes("example")) missing.add(`${exported.name} (${declaration.getSourceFile().fileName.replace(/^.*\/src\//, "src/")})`);
      }
    }
  }
  return [...missing].sort();
}

describe("public API documentation", () => {
  it("gives every public function and class a TSDoc @example", () => {
    expect(publicWithoutExample()).toEqual([]);
    // It builds a TypeScript program over every entry: seconds on an idle machine, more on a loaded one.
  }, 120_000);
});
