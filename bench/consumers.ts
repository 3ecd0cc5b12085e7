/**
 * Throwaway consumer projects for the type-check and import benches: an empty one, one using `sentry-rbac` (this
 * repository's built `dist/`, linked as the package) and one using `@sentry/api` (the dev dependency), each with its
 * own `node_modules` holding only what it imports plus `@types/node`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../scripts/spec-source.js";

/** A consumer project: its folder and the packages linked into it. */
export interface Consumer {
  name: string;
  dir: string;
}

/** Three lines a user writes first: make a client, list the organization's teams, print their slugs. */
const FILES: Record<string, { packages: string[]; source: string }> = {
  empty: { packages: [], source: 'console.log("hello");\n' },
  "sentry-rbac": {
    packages: ["sentry-rbac"],
    source: [
      'import { createSentryClient } from "sentry-rbac";',
      'const sentry = createSentryClient({ org: "acme" });',
      "for await (const team of sentry.org.teams.list()) console.log(team.slug);",
      "",
    ].join("\n"),
  },
  // The same file with `sentry.raw` typed per path (what a project pays once it imports sentry-rbac/raw).
  "sentry-rbac/raw": {
    packages: ["sentry-rbac"],
    source: [
      'import { createSentryClient } from "sentry-rbac";',
      'import type {} from "sentry-rbac/raw";',
      'const sentry = createSentryClient({ org: "acme" });',
      'const { data } = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: { organization_id_or_slug: "acme" } } });',
      "for (const team of data ?? []) console.log(team.slug);",
      "",
    ].join("\n"),
  },
  "@sentry/api": {
    packages: ["@sentry/api"],
    source: [
      'import { listAnOrganization_sTeams } from "@sentry/api";',
      'const { data } = await listAnOrganization_sTeams({ path: { organization_id_or_slug: "acme" } });',
      "for (const team of data ?? []) console.log(team.slug);",
      "",
    ].join("\n"),
  },
};

/** Where each linked package lives: this repository for `sentry-rbac`, its node_modules for the rest. */
function packageSource(name: string): string {
  return name === "sentry-rbac" ? repoRoot : resolve(repoRoot, "node_modules", name);
}

/** Fails early, with the fix, when a bench needs `dist/` or `@sentry/api` and they are not there. */
export function assertBuilt(): void {
  if (!existsSync(resolve(repoRoot, "dist/index.d.ts"))) throw new Error("dist/ is missing: run `npm run build` first");
  if (!existsSync(packageSource("@sentry/api"))) throw new Error("@sentry/api is not installed: run `npm install`");
}

/** Tsconfig options of a consumer: strict, NodeNext (or Bundler), and the given skipLibCheck. */
export interface ConsumerOptions {
  skipLibCheck: boolean;
  resolution: "NodeNext" | "Bundler";
}

/** Creates the consumer projects in a fresh temporary folder; `remove()` deletes it. */
export function createConsumers(): { consumers: Record<string, Consumer>; configure(c: Consumer, o: ConsumerOptions): void; remove(): void } {
  assertBuilt();
  const root = mkdtempSync(join(tmpdir(), "sentry-rbac-bench-"));
  const consumers: Record<string, Consumer> = {};
  for (const [name, { packages, source }] of Object.entries(FILES)) {
    const dir = join(root, name.replace(/\//g, "-").replace(/[^a-z-]/g, ""));
    mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
    symlinkSync(resolve(repoRoot, "node_modules/@types/node"), join(dir, "node_modules/@types/node"), "dir");
    for (const pkg of packages) {
      const target = join(dir, "node_modules", pkg);
      mkdirSync(resolve(target, ".."), { recursive: true });
      symlinkSync(packageSource(pkg), target, "dir");
    }
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: `bench-${name.replace(/\//g, "-").replace(/[^a-z-]/g, "")}`, private: true, type: "module" }),
    );
    writeFileSync(join(dir, "index.ts"), source);
    consumers[name] = { name, dir };
  }
  const configure = (consumer: Consumer, options: ConsumerOptions): void => {
    const compilerOptions = {
      strict: true,
      target: "ES2022",
      module: options.resolution === "NodeNext" ? "NodeNext" : "ESNext",
      moduleResolution: options.resolution,
      skipLibCheck: options.skipLibCheck,
      noEmit: true,
    };
    writeFileSync(join(consumer.dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }));
  };
  return { consumers, configure, remove: () => rmSync(root, { recursive: true, force: true }) };
}
