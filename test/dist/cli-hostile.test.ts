/**
 * The BUILT binary against a hostile (or broken) server that puts terminal escape sequences in what it sends and
 * echoes the token it received: nothing from the server may drive the terminal (stdout or stderr), and the token
 * is masked although the environment value carried stray whitespace the SDK trimmed before sending it.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
// Not shaped like a Sentry token, so only the configured-secret mask can catch it.
const TOKEN = "self-hosted-token-value-0042";
const OSC52 = "\u001b]52;c;cm0gLXJmIH4=\u0007";
const CLEAR = "\u001b[2J\u001b[H";
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const sent = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    res.setHeader("content-type", "application/json");
    if (req.url?.startsWith("/api/0/organizations/acme/teams/") && req.method === "GET") {
      res.end(JSON.stringify([{ id: "1", slug: "echo", name: `${sent}${OSC52}`, memberCount: 0, projects: [], dateCreated: "2026-01-01T00:00:00Z" }]));
      return;
    }
    res.statusCode = 400;
    res.end(JSON.stringify({ detail: `rejected ${sent}${OSC52}${CLEAR}\rfake prompt$ ` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function bin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? "", SENTRY_AUTH_TOKEN: `  ${TOKEN}\n`, SENTRY_ORG: "acme", SENTRY_URL: url, HOME: "/nonexistent" };
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("the built binary and a hostile server", () => {
  it("an error message on stderr carries no escape sequence and no token", async () => {
    const run = await bin(["teams", "create", "x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: 400 POST \/api\/0\/organizations\/acme\/teams\/: rejected /);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it("a table, JSON and CSV from the server carry no escape sequence and no token (whitespace-padded env value)", async () => {
    for (const format of [[], ["--json"], ["--csv"], ["--ndjson"]]) {
      const run = await bin(["teams", "list", ...format]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("echo");
      expect(run.stdout.replace(/\r\n/g, "\n")).not.toMatch(CONTROL);
      expect(run.stdout).not.toContain(TOKEN);
    }
  });
});
