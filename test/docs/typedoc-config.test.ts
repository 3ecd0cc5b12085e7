// The API site's shape, checked on its inputs (building it takes a minute; `npm test` builds it last, with
// warnings as errors): modules named after the package's entry points, @throws types kept, every guide a page,
// one H1 on the index, and the error brands kept out of the pages.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const config = JSON.parse(readFileSync("typedoc.json", "utf8")) as {
  entryPoints: string[];
  readme: string;
  projectDocuments: string[];
  preservedTypeAnnotationTags: string[];
};

describe("typedoc configuration", () => {
  it("names each entry point's module after its import path instead of 'index'", () => {
    const names = config.entryPoints.map((file) => /@module (\S+)/.exec(readFileSync(file, "utf8"))?.[1]);
    expect(names).toEqual(["sentry-rbac", "sentry-rbac/testing", "sentry-rbac/recipes"]);
  });

  it("keeps the error class in @throws {Class} and makes every guide a page of the site", () => {
    expect(config.preservedTypeAnnotationTags).toContain("@throws");
    // A glob, so a guide added later is a page too; the index text lives in a subfolder, outside it.
    expect(config.projectDocuments).toEqual(["docs/*.md"]);
    expect(readdirSync("docs").filter((f) => f.endsWith(".md")).length).toBeGreaterThan(10);
    expect(config.readme).toBe("docs/reference/index.md");
  });

  it("the index page text has no H1 of its own (typedoc renders the project name as the H1)", () => {
    expect(readFileSync(config.readme, "utf8")).not.toMatch(/^# /m);
  });

  it("the brand properties are @internal, so no [BRAND] member shows on the error classes", () => {
    for (const file of ["src/http/errors/errors.ts", "src/cli/errors.ts"]) {
      expect(readFileSync(file, "utf8")).toMatch(/@internal[^\n]*\n\s*declare readonly \[BRAND\]/);
    }
    // The workflows' errors (the engine's AccessPlanError among them) inherit SentryError's brand: none declares its own.
    expect(readFileSync("src/recipes/engine/errors.ts", "utf8")).toMatch(/extends SentryError/);
    expect(readFileSync("src/recipes/engine/errors.ts", "utf8")).not.toMatch(/\[BRAND\]/);
  });
});
