import { describe, expect, it } from "vitest";
import { CliError, cliWords, formatError, maskSecrets, printable, printError, stripControl } from "../../src/cli/errors.js";
import { createApiError } from "../../src/http/errors/api-error.js";
import { demoCli, runWith } from "./helpers.js";

const TOKEN = `sntryu_${"ab12".repeat(16)}`;
const PLAIN_SECRET = "s3cret-value-without-prefix";

describe("formatError", () => {
  it("prints a 403 with its hint and the scopes that would have worked", () => {
    const error = createApiError({
      status: 403,
      method: "POST",
      url: "https://sentry.io/api/0/organizations/acme/teams/",
      body: { detail: "You do not have permission to perform this action." },
    });
    const lines = formatError(error);
    expect(lines[0]).toBe("error: 403 POST /api/0/organizations/acme/teams/: You do not have permission to perform this action.");
    expect(lines[1]).toMatch(/^hint: /);
    expect(lines).toContain("required scopes (any one): org:admin, org:write, team:write");
  });

  it("prints a CliError's hint on its own line", () => {
    expect(formatError(new CliError("no auth token configured", { exitCode: 3, hint: "Set SENTRY_AUTH_TOKEN." }))).toEqual([
      "error: no auth token configured",
      "hint: Set SENTRY_AUTH_TOKEN.",
    ]);
  });

  it("never prints a token, whether it looks like one or is only known as a secret", () => {
    const text = formatError(new Error(`failed with ${TOKEN} and ${PLAIN_SECRET}`), [PLAIN_SECRET]).join("\n");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PLAIN_SECRET);
    expect(text).toBe("error: failed with [REDACTED] and [REDACTED]");
  });

  it("prints non-Error values", () => {
    expect(formatError("boom")).toEqual(["error: boom"]);
  });
});

describe("maskSecrets", () => {
  it("keeps ordinary prose about tokens readable", () => {
    expect(maskSecrets("there is no --token flag; token scopes")).toBe("there is no --token flag; token scopes");
  });

  it("ignores very short secrets that would mask innocent text", () => {
    expect(maskSecrets("a team", ["a"])).toBe("a team");
  });
});

describe("printError", () => {
  it("writes all lines to the stream", () => {
    let text = "";
    printError(
      {
        write: (chunk) => {
          text += chunk;
        },
      },
      new CliError("x", { exitCode: 1, hint: "y" }),
    );
    expect(text).toBe("error: x\nhint: y\n");
  });
});

describe("text from a server cannot drive the terminal", () => {
  const OSC52 = "\u001b]52;c;ZXZpbA==\u0007";
  const CLEAR = "\u001b[2J\u001b[H";

  it("replaces escape sequences in an API error's detail on stderr (OSC 52 clipboard write, screen clear)", () => {
    const error = createApiError({
      status: 400,
      method: "POST",
      url: "https://sentry.io/api/0/organizations/acme/teams/",
      body: { detail: `slug taken${OSC52}${CLEAR}\rfake line \u009b31m` },
    });
    const text = formatError(error).join("\n");
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain("slug taken\uFFFD]52;c;ZXZpbA==\uFFFD");
  });

  it("keeps newlines, tabs and CSV's CRLF but not a lone carriage return or bidi overrides", () => {
    expect(stripControl("a\tb\r\nc\nd\re\u202Ef")).toBe("a\tb\r\nc\nd\uFFFDe\uFFFDf");
  });

  it("masks a secret split by a control character (stripped before masking)", () => {
    expect(printable(`leak ${PLAIN_SECRET.slice(0, 5)}\u0000${PLAIN_SECRET.slice(5)}`, [PLAIN_SECRET])).not.toContain(PLAIN_SECRET);
  });
});

describe("masking a secret with stray whitespace", () => {
  it("masks the trimmed value the SDK sends (an env value ending in a newline or spaces)", () => {
    expect(maskSecrets(`echoed ${PLAIN_SECRET} back`, [`  ${PLAIN_SECRET}\n`])).toBe("echoed [REDACTED] back");
  });

  it("a command's output masks a token set with trailing whitespace", async () => {
    const { options } = demoCli();
    // Not shaped like a Sentry token, so only the configured-secret mask can catch it.
    const secret = "self-hosted-token-value-0001";
    const env = { ...options().env, SENTRY_AUTH_TOKEN: `${secret}\n` };
    // A hostile or buggy server echoing the token it was sent inside a team name.
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      const sent = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      return Response.json([
        { id: "1", slug: "echo", name: `${sent}\u001b]52;c;eA==\u0007`, memberCount: 0, projects: [], isMember: false, dateCreated: "2026-01-01T00:00:00Z" },
      ]);
    };
    const run = await runWith(["teams", "list"], { env, fetch });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("echo");
    expect(run.stdout).not.toContain(secret);
    expect(run.stdout).toContain("[REDACTED]");
    expect(run.stdout).not.toContain("\u001b");
  });
});

describe("the CLI speaks flags and commands, not SDK options", () => {
  it("rewrites SDK calls in FIX texts and messages", () => {
    expect(cliWords("remove it (sentry.org.members.remove(36)) or resend it")).toBe("remove it (sentry-rbac members remove 36) or resend it");
    expect(cliWords("the contract runs until 2027-01-01; pass force: true to offboard early")).toBe(
      "the contract runs until 2027-01-01; pass --force to offboard early",
    );
    expect(cliWords('assign its projects (sentry.org.projects.addTeam(project, "ops")) or delete the team')).toContain(
      "sentry-rbac projects add-team PROJECT ops",
    );
  });

  it("a bad --url names the flag and variable; no org names --org and SENTRY_ORG, never withOrg(slug)", async () => {
    const { options } = demoCli();
    const badUrl = await runWith(["--url", "http://sentry.example.com", "teams", "list"], options());
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^error: the Sentry URL http:\/\/ is allowed only for loopback hosts/);
    expect(badUrl.stderr).toContain("--url, SENTRY_URL");
    expect(badUrl.stderr).not.toContain("baseUrl");
    const noOrg = await runWith(["access", "review"], { ...options(), env: { ...options().env, SENTRY_ORG: "" } });
    expect(noOrg.code).toBe(2);
    expect(noOrg.stderr).not.toMatch(/withOrg|Invalid option/);
    expect(noOrg.stderr).toContain("--org");
  });
});
