/**
 * A newcomer's first steps with the BUILT binary, as the README tells them: `--help`, start `sentry-rbac emulator`
 * in the background and export the lines it prints, `whoami`, a failing 404 that names what is missing, a JSON
 * list piped into a parser, and a member removed by email with the confirmation naming the person. Then the
 * habits a power user brings: completion, --verbose, a .sentryclirc, connection failures named at once.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
const work = mkdtempSync(join(tmpdir(), "sentry-rbac-newcomer-"));
const printed: string[] = [];
let emulator: ChildProcess;
let env: Record<string, string> = {};

interface Run { code: number; stdout: string; stderr: string }

function sh(command: string, extra: Record<string, string> = {}, cwd = work): Promise<Run> {
  const base = { PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, HOME: join(work, "home"), NO_COLOR: "1", ...env, ...extra };
  return new Promise((resolve) => {
    execFile("sh", ["-c", command], { env: base, cwd, timeout: 90_000 }, (error, stdout, stderr) => {
      printed.push(stdout, stderr);
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(main)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  // `sentry-rbac` on PATH, as `npm install -g` or `npx` would put it.
  rmSync(join(work, "bin"), { recursive: true, force: true });
  await sh(`mkdir -p bin home && printf '#!/bin/sh\\nexec "${process.execPath}" "${main}" "$@"\\n' > bin/sentry-rbac && chmod +x bin/sentry-rbac`);
  emulator = spawn(process.execPath, [main, "emulator", "--port", "0"], { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
  env = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = "";
    emulator.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const vars = Object.fromEntries([...out.matchAll(/^export (SENTRY_[A-Z_]+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
      if (vars.SENTRY_AUTH_TOKEN !== undefined && vars.SENTRY_SCIM_TOKEN !== undefined) resolve(vars as Record<string, string>);
    });
    emulator.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
}, 60_000);

afterAll(() => {
  emulator.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
});

describe("a newcomer following the README", () => {
  it("the README names the commands used here", () => {
    for (const command of ["sentry-rbac emulator", "sentry-rbac whoami", "teams list", "--json", "members remove", "npm pack"]) expect(readme).toContain(command);
  });

  it("whoami, a 404 that names the subject, a JSON list piped to a parser, a member removed by email", async () => {
    const me = await sh("sentry-rbac whoami");
    expect(me.code).toBe(0);
    expect(me.stdout).toMatch(/^USER\s+EMAIL\s+TOKEN\s+ORG\s+ORG ROLE\s+SCOPES\n.*owner.*org:admin/s);

    const typo = await sh("sentry-rbac teams get nosuchteam");
    expect(typo.code).toBe(4);
    expect(typo.stderr).toMatch(/^error: 404 GET \/api\/0\/teams\/acme\/nosuchteam\/: team 'nosuchteam' not found in acme\n/);
    expect(typo.stderr).not.toContain("{");
    const wrongOrg = await sh("sentry-rbac --org acmee teams list --json");
    expect(wrongOrg.code).toBe(4);
    expect(wrongOrg.stdout).toBe("");
    expect(wrongOrg.stderr).toContain("organization 'acmee' not found, or your token cannot see it");

    const piped = await sh(`sentry-rbac teams list --json | "${process.execPath}" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).map(t=>t.slug).join(",")))'`);
    expect(piped.code).toBe(0);
    expect(piped.stdout.trim().split(",")).toContain("payments");

    const members = JSON.parse((await sh("sentry-rbac members list --json --query role:member")).stdout) as Array<{ email: string; name: string; orgRole: string; pending: boolean }>;
    const ada = members.find((m) => m.orgRole === "member" && !m.pending && m.name !== m.email);
    if (ada === undefined) throw new Error("the demo fixture has no joined member with a name");
    const question = `Remove ${ada.name} <${ada.email}> (member) from acme?`;
    const refused = await sh(`sentry-rbac members remove ${ada.email} </dev/null`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(question);
    const removed = await sh(`sentry-rbac members remove ${ada.email} --yes`);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toBe(`Removed ${ada.name} <${ada.email}> (member) from acme.\n`);
    expect((await sh(`sentry-rbac members get ${ada.email}`)).code).toBe(4);
  });

  it("the confirmation on a real terminal asks with the person's name (script(1) gives it a TTY)", async () => {
    const members = JSON.parse((await sh("sentry-rbac members list --json --query role:member")).stdout) as Array<{ email: string; name: string; orgRole: string; pending: boolean }>;
    const bo = members.find((m) => m.orgRole === "member" && !m.pending && m.name !== m.email);
    if (bo === undefined) throw new Error("no second member");
    const tty = await sh(`printf 'n\\n' | script -qec "sentry-rbac members remove ${bo.email}" /dev/null`);
    expect(tty.stdout).toContain(`Remove ${bo.name} <${bo.email}> (member) from acme? [y/N]`);
    expect(tty.stdout).toContain("aborted: nothing was changed");
    expect((await sh(`sentry-rbac members get ${bo.email}`)).code).toBe(0);
  });
});

describe("scripts can trust the output", () => {
  it("remove-team says already absent, and a misspelt team is not found even with --if-present", async () => {
    expect((await sh("sentry-rbac projects remove-team web-frontend identity --yes")).code).toBe(0);
    const again = await sh("sentry-rbac projects remove-team web-frontend identity --yes --if-present");
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already absent");
    const typo = await sh("sentry-rbac projects remove-team web-frontend identty --yes --if-present");
    expect(typo.code).toBe(4);
    expect(typo.stderr).toContain("team 'identty' not found in acme");
  });

  it("the retired admin role is explained, and an unknown audit event gets a did-you-mean", async () => {
    const members = JSON.parse((await sh("sentry-rbac members list --json --query role:member")).stdout) as Array<{ id: string; pending: boolean }>;
    const target = members.find((m) => !m.pending);
    const admin = await sh(`sentry-rbac members update ${target?.id ?? "0"} --org-role admin`);
    expect(admin.code).toBe(2);
    expect(admin.stderr).toMatch(/hint: .*retired the `admin` org role: use `manager`/);
    expect(admin.stderr).not.toContain("user auth token");
    const event = await sh("sentry-rbac audit list --event member.invte");
    expect(event.code).toBe(0);
    expect(event.stderr).toContain("did you mean member.invite");
  });
});

describe("habits from sentry-cli and friends", () => {
  it("completion for bash completes subcommands in a real bash", async () => {
    const run = await sh(`bash -c 'source <(sentry-rbac completion bash); COMP_WORDS=(sentry-rbac members rem); COMP_CWORD=2; _sentry_rbac; echo "\${COMPREPLY[*]}"'`);
    expect(run.stdout.trim()).toBe("remove remove-from-team");
  });

  it("reads ~/.sentryclirc below the environment, and --verbose logs requests without the token", async () => {
    writeFileSync(join(work, "home/.sentryclirc"), `[auth]\ntoken = ${env.SENTRY_AUTH_TOKEN ?? ""}\n\n[defaults]\norg = acme\nurl = ${env.SENTRY_URL ?? ""}\n`);
    const fromFile = await sh("sentry-rbac --verbose teams list --json", { SENTRY_AUTH_TOKEN: "", SENTRY_ORG: "", SENTRY_URL: "" });
    expect(fromFile.code).toBe(0);
    JSON.parse(fromFile.stdout);
    expect(fromFile.stderr).toMatch(/^> GET \/api\/0\/organizations\/acme\/teams\/\?per_page=100 200 \d+ ms \[rate-limit remaining=\d+/m);
    const envWins = await sh("sentry-rbac teams list", { SENTRY_ORG: "acmee" });
    expect(envWins.code).toBe(4);
    rmSync(join(work, "home/.sentryclirc"));
  });

  it("connection failures name the cause and the URL; an unknown host fails at once (one attempt)", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const refused = await sh(`sentry-rbac --url http://127.0.0.1:${port} teams list`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`http://127.0.0.1:${port}/api/0/organizations/acme/teams/?per_page=100 failed: connection refused (ECONNREFUSED)`);
    expect(refused.stderr).toMatch(/hint: Check that Sentry answers at http:\/\/127\.0\.0\.1:\d+/);
    const dns = await sh("sentry-rbac --verbose --url https://sentry.invalid teams list");
    expect(dns.code).toBe(1);
    expect(dns.stderr).toContain("DNS lookup failed");
    expect(dns.stderr.match(/^> GET /gm)).toHaveLength(1);
  });

  it("never printed a token in any of the above", () => {
    expect(printed.length).toBeGreaterThan(20);
    for (const secret of [env.SENTRY_AUTH_TOKEN, env.SENTRY_SCIM_TOKEN]) {
      expect(secret?.length).toBeGreaterThan(10);
      expect(printed.filter((text) => text.includes(secret ?? ""))).toEqual([]);
    }
  });
});
