/**
 * What an editor shows a user of the built package: resource methods and hovers name the models (`Promise<Team>`,
 * `const team: OrganizationTeam`) instead of `components["schemas"]["GetTeam200"]` or an expanded object; and what
 * a consumer's `tsc` loads: the core entry without the API document, `sentry-rbac/raw` with it. Reads dist/ through
 * a scratch project that links this package, with the TypeScript language service, as an editor does.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const project = mkdtempSync(join(tmpdir(), "sentry-rbac-dts-"));
mkdirSync(join(project, "node_modules/@types"), { recursive: true });
symlinkSync(root, join(project, "node_modules/sentry-rbac"), "dir");
symlinkSync(join(root, "node_modules/@types/node"), join(project, "node_modules/@types/node"), "dir");
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "dts-consumer", private: true, type: "module" }));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const options: ts.CompilerOptions = {
  strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true, types: ["node"],
};

/** A language service over one consumer file, as an editor runs it. */
function service(source: string) {
  const file = join(project, "index.ts");
  writeFileSync(file, source);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => (ts.sys.fileExists(name) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(name) ?? "") : undefined),
    getCurrentDirectory: () => project,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const ls = ts.createLanguageService(host);
  return {
    hover(marker: string): string {
      const at = source.indexOf(marker);
      if (at < 0) throw new Error(`no ${marker} in the source`);
      return ts.displayPartsToString(ls.getQuickInfoAtPosition(file, at)?.displayParts);
    },
    errors: () => ls.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    files: () => ls.getProgram()!.getSourceFiles().map((f) => f.fileName),
  };
}

const SOURCE = `import { createSentryClient } from "sentry-rbac";
const sentry = createSentryClient({ org: "acme" });
for await (const teamItem of sentry.org.teams.list()) console.log(teamItem.slug);
const oneTeam = await sentry.org.teams.get("payments");
const member = await sentry.org.members.get("me");
const [scimUser] = await sentry.scim.users.list().toArray();
const link = await sentry.org.projects.teams("api").toArray();
console.log(oneTeam.avatar, member.user, scimUser, link);
`;

describe("the built declarations, as an editor shows them", () => {
  it("hovers name the models, not anonymous objects or components[...] lookups", () => {
    const ls = service(SOURCE);
    expect(ls.errors()).toEqual([]);
    expect(ls.hover("teamItem of")).toBe("const teamItem: OrganizationTeam");
    expect(ls.hover("oneTeam =")).toBe("const oneTeam: Team");
    expect(ls.hover("member =")).toBe("const member: MemberDetails");
    expect(ls.hover("scimUser]")).toBe("const scimUser: ScimUser");
    expect(ls.hover("link =")).toBe("const link: ProjectTeam[]");
    // Nested shapes are named too.
    expect(ls.hover("avatar,")).toBe("(property) Team.avatar: Avatar");
    expect(ls.hover("get(\"payments\")")).toMatch(/get\(slug: string\): Promise<Team>/);
  });

  it("the core entry loads neither the API document nor openapi-fetch; sentry-rbac/raw types raw per path", () => {
    const core = service(SOURCE).files();
    expect(core.some((f) => f.endsWith("dist/models.d.cts"))).toBe(true);
    expect(core.filter((f) => /openapi\.d\.cts$|openapi-fetch/.test(f))).toEqual([]);

    const raw = service(`import { createSentryClient } from "sentry-rbac";
import type {} from "sentry-rbac/raw";
const sentry = createSentryClient({ org: "acme" });
const { data: rawTeams } = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
  params: { path: { organization_id_or_slug: "acme" } },
});
const firstSlug: string | undefined = rawTeams?.[0]?.slug;
// @ts-expect-error no such path
await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teamz/", { params: { path: { organization_id_or_slug: "acme" } } });
console.log(firstSlug);
`);
    expect(raw.errors()).toEqual([]);
    // openapi-fetch maps response types (readOnly/writeOnly handling), so its hovers show the shape, typed per path.
    expect(raw.hover("rawTeams }")).toMatch(/^const rawTeams: \{[\s\S]*slug: string;[\s\S]*\}\[\] \| undefined$/);
    expect(raw.files().some((f) => f.endsWith("dist/openapi.d.cts"))).toBe(true);
  });

  it("the d.ts text says Promise<Team>, and no core declaration indexes the generated components/operations", () => {
    const dist = join(root, "dist");
    const chunks = readdirSync(dist).filter((f) => /^index-.*\.d\.c?ts$/.test(f));
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) {
      const text = readFileSync(join(dist, chunk), "utf8");
      expect(text).toContain("get(slug: string): Promise<Team>;");
      expect(text).toMatch(/list\(options\?: TeamListOptions & ListOptions\): Paginator<OrganizationTeam>;/);
      expect(text).toMatch(/get\(id: string \| number\): Promise<ScimUser>;/);
      expect(text).not.toMatch(/components\["schemas"\]|operations\["/);
    }
    const models = readFileSync(join(dist, "models.d.cts"), "utf8");
    for (const name of ["Team", "Member", "MemberDetails", "TeamMember", "ProjectTeam", "ScimUser", "ScimGroup", "ApiToken", "AuditLogEntry", "Avatar"]) {
      expect(models, name).toMatch(new RegExp(`\\binterface ${name}\\b`));
    }
  });
});
