import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samlServiceProviderUrls } from "../../../src/recipes/sso/index.js";
import { runWith } from "../helpers.js";

const OKTA = readFileSync(new URL("../../fixtures/idp/okta.xml", import.meta.url), "utf8");
const files = { "okta.xml": OKTA };

describe("sentry-rbac sso urls", () => {
  it("prints the SP URLs and the attribute mapping as tables", async () => {
    const { code, stdout } = await runWith(["sso", "urls", "acme"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SETTING\s+VALUE\n/);
    expect(stdout).toMatch(/ACS URL \(Single sign-on URL\)\s+https:\/\/sentry\.io\/saml\/acs\/acme\//);
    expect(stdout).toMatch(/Entity ID \(Audience URI\)\s+https:\/\/sentry\.io\/saml\/metadata\/acme\//);
    expect(stdout).toMatch(/user_email\s+User Email\s+yes/);
  });

  it("prints exactly the recipe's result with --json, honouring --base-url", async () => {
    const { code, stdout } = await runWith(["sso", "urls", "acme", "--base-url", "https://sentry.example.com/sentry/", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(samlServiceProviderUrls("acme", { baseUrl: "https://sentry.example.com/sentry" }));
  });

  it("takes the organization from SENTRY_ORG and prints CSV rows", async () => {
    const { code, stdout } = await runWith(["sso", "urls", "--csv"], { env: { SENTRY_ORG: "globex" } });
    expect(code).toBe(0);
    expect(stdout.split("\r\n")[0]).toBe("label,url");
    expect(stdout).toContain("ACS URL (Single sign-on URL),https://sentry.io/saml/acs/globex/\r\n");
  });

  it("exits 2 for an invalid slug, a bad base URL, or no organization at all", async () => {
    const badSlug = await runWith(["sso", "urls", "Not A Slug"]);
    expect(badSlug.code).toBe(2);
    expect(badSlug.stderr).toContain("is not a Sentry organization slug");
    expect((await runWith(["sso", "urls", "acme", "--base-url", "ftp://x"])).code).toBe(2);
    const noOrg = await runWith(["sso", "urls"]);
    expect(noOrg.code).toBe(2);
    expect(noOrg.stderr).toContain("hint: Pass --org <slug> or set SENTRY_ORG.");
  });
});

describe("sentry-rbac sso check-metadata", () => {
  it("reports good metadata with exit 0", async () => {
    const { code, stdout, stderr } = await runWith(["sso", "check-metadata", "okta.xml", "--at", "2026-06-01"], { files });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("entity ID: http://www.okta.com/exk1test0000example");
    expect(stdout).toMatch(/SSO URL:\s+https:\/\/example\.okta\.com\/\S+ \(HTTP-Redirect\)/);
    expect(stdout).toContain("ok: usable for Sentry SAML2 (0 warning(s))");
  });

  it("keeps exit 0 for warnings, judged at --at", async () => {
    const { code, stdout } = await runWith(["sso", "check-metadata", "okta.xml", "--at", "2026-12-20", "--ndjson"], { files });
    expect(code).toBe(0);
    expect(
      stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).code),
    ).toEqual(["certificate-expiring"]);
  });

  it("exits 1 when the metadata has errors, printing the findings first", async () => {
    const { code, stdout, stderr } = await runWith(["sso", "check-metadata", "okta.xml", "--at", "2027-02-01", "--json"], { files });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; findings: { code: string }[] };
    expect(report.ok).toBe(false);
    expect(report.findings.map((finding) => finding.code)).toContain("certificate-expired");
    expect(stderr).toBe("error: the metadata has 1 error(s) and 0 warning(s)\n");
  });

  it("reads stdin for - and turns malformed or hostile XML into findings, not crashes", async () => {
    const hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>';
    const { code, stdout } = await runWith(["sso", "check-metadata", "-", "--csv"], { stdin: hostile });
    expect(code).toBe(1);
    expect(stdout).toContain("error,xml-doctype-refused,");
  });

  it("exits 2 for an unreadable file or a bad --at date", async () => {
    const missing = await runWith(["sso", "check-metadata", "missing.xml"], { files });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: cannot read missing.xml (ENOENT)");
    const badDate = await runWith(["sso", "check-metadata", "okta.xml", "--at", "soon"], { files });
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("expected an ISO 8601 date");
  });
});
