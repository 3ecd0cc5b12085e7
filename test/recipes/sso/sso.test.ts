import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { SAML_ATTRIBUTES, checkIdpMetadata, samlServiceProviderUrls, type IdpMetadataReport } from "../../../src/recipes/sso/index.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/idp/${name}`, import.meta.url), "utf8");
const pemBody = (name: string) =>
  fixture(name)
    .split("\n")
    .filter((line) => line && !line.startsWith("-----"))
    .join("");
const SIGNING = new X509Certificate(fixture("test-only-signing-2026.pem"));
const ROLLOVER = new X509Certificate(fixture("test-only-rollover-2026.pem"));
const MID_2026 = new Date("2026-06-01T00:00:00Z");
const codes = (report: IdpMetadataReport) => report.findings.map((f) => `${f.level}:${f.code}`);

/** A minimal IdP metadata document; each part can be replaced to break one thing. */
function metadata(parts: { entityId?: string | null; keys?: string; sso?: string; root?: (inner: string) => string } = {}): string {
  const entityAttr = parts.entityId === null ? "" : ` entityID="${parts.entityId ?? "https://idp.example.test/metadata"}"`;
  const keys = parts.keys ?? keyDescriptor(pemBody("test-only-signing-2026.pem"), "signing");
  const sso = parts.sso ?? '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>';
  const inner =
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"${entityAttr}>` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}${sso}</md:IDPSSODescriptor></md:EntityDescriptor>`;
  return parts.root ? parts.root(inner) : inner;
}

function keyDescriptor(base64: string, use?: string): string {
  const useAttr = use ? ` use="${use}"` : "";
  return (
    `<md:KeyDescriptor${useAttr}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>` +
    `<ds:X509Certificate>${base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
  );
}

describe("samlServiceProviderUrls", () => {
  it("builds sentry.io URLs with the metadata URL as the entity ID", () => {
    expect(samlServiceProviderUrls("acme")).toEqual({
      acsUrl: "https://sentry.io/saml/acs/acme/",
      metadataUrl: "https://sentry.io/saml/metadata/acme/",
      slsUrl: "https://sentry.io/saml/sls/acme/",
      entityId: "https://sentry.io/saml/metadata/acme/",
    });
  });

  it("keeps SP URLs on sentry.io for either data region", () => {
    expect(samlServiceProviderUrls("acme", { region: "de" }).acsUrl).toBe("https://sentry.io/saml/acs/acme/");
    expect(samlServiceProviderUrls("acme", { region: "us" }).entityId).toBe("https://sentry.io/saml/metadata/acme/");
  });

  it.each([
    ["https://sentry.example.com", "https://sentry.example.com/saml/acs/acme/"],
    ["https://sentry.example.com/", "https://sentry.example.com/saml/acs/acme/"],
    ["https://example.com/sentry", "https://example.com/sentry/saml/acs/acme/"],
    ["https://example.com/sentry//", "https://example.com/sentry/saml/acs/acme/"],
    ["https://sentry.example.com:8443", "https://sentry.example.com:8443/saml/acs/acme/"],
    ["http://localhost:9000", "http://localhost:9000/saml/acs/acme/"],
  ])("uses a self-hosted base URL %s", (baseUrl, acsUrl) => {
    const urls = samlServiceProviderUrls("acme", { baseUrl, region: "us" });
    expect(urls.acsUrl).toBe(acsUrl);
    expect(urls.slsUrl).toBe(acsUrl.replace("/acs/", "/sls/"));
    expect(urls.entityId).toBe(acsUrl.replace("/acs/", "/metadata/"));
  });

  it.each([
    ["org", "Acme", undefined],
    ["org", "12345", undefined],
    ["org", "acme/../admin", undefined],
    ["org", "", undefined],
    ["org", "a".repeat(51), undefined],
    ["baseUrl", "acme", "sentry.example.com"],
    ["baseUrl", "acme", "ftp://sentry.example.com"],
    ["baseUrl", "acme", "https://sentry.example.com/?next=/evil"],
    ["baseUrl", "acme", "https://user:pw@sentry.example.com"],
  ])("refuses a bad %s (%s, %s)", (field, org, baseUrl) => {
    let caught: unknown;
    try {
      samlServiceProviderUrls(org, baseUrl === undefined ? {} : { baseUrl });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as { field?: string }).field).toBe(field);
  });

  it("names the required SAML attributes", () => {
    expect(SAML_ATTRIBUTES.filter((a) => a.required).map((a) => a.key)).toEqual(["identifier", "user_email"]);
  });
});

describe("checkIdpMetadata on IdP-shaped documents", () => {
  it("accepts Okta-style metadata with md: and ds: prefixes", () => {
    const report = checkIdpMetadata(fixture("okta.xml"), { now: MID_2026 });
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.entityId).toBe("http://www.okta.com/exk1test0000example");
    expect(report.ssoUrls).toEqual([
      { binding: "HTTP-POST", location: "https://example.okta.com/app/example_sentry_1/exk1test0000example/sso/saml" },
      { binding: "HTTP-Redirect", location: "https://example.okta.com/app/example_sentry_1/exk1test0000example/sso/saml" },
    ]);
    expect(report.certificates).toEqual([
      {
        subject: "CN=test-idp-signing-2026 (test only), O=sentry-rbac tests",
        issuer: "CN=test-idp-signing-2026 (test only), O=sentry-rbac tests",
        validFrom: "2026-01-01T00:00:00.000Z",
        validTo: "2027-01-01T00:00:00.000Z",
        daysLeft: 214,
        fingerprint256: SIGNING.fingerprint256,
        use: "signing",
      },
    ]);
  });

  it("reads Azure-style metadata in the default namespace, ignoring the metadata signature and WS-Fed keys", () => {
    const report = checkIdpMetadata(fixture("azure.xml"), { now: MID_2026 });
    expect(report.ok).toBe(true);
    expect(report.entityId).toBe("https://sts.windows.net/00000000-0000-4000-8000-000000000000/");
    expect(report.certificates.map((c) => c.fingerprint256)).toEqual([SIGNING.fingerprint256]);
    expect(report.certificates.map((c) => c.fingerprint256)).not.toContain(ROLLOVER.fingerprint256);
    expect(report.ssoUrls.map((s) => s.binding)).toEqual(["HTTP-Redirect", "HTTP-POST"]);
  });

  it("unwraps a Google-style EntitiesDescriptor holding one EntityDescriptor", () => {
    const report = checkIdpMetadata(fixture("google.xml"), { now: MID_2026 });
    expect(report.ok).toBe(true);
    expect(report.entityId).toBe("https://accounts.google.com/o/saml2?idpid=C00test00");
    expect(codes(report)).toEqual(["info:entities-descriptor-unwrapped"]);
    expect(report.certificates).toHaveLength(1);
  });

  it("resolves namespaces, not prefixes: any prefix bound to the metadata namespace works", () => {
    const xml = metadata().replaceAll("md:", "meta:").replaceAll("xmlns:md=", "xmlns:meta=").replaceAll("ds:", "sig:").replaceAll("xmlns:ds=", "xmlns:sig=");
    expect(xml).not.toMatch(/\bmd:|\bds:/);
    const report = checkIdpMetadata(xml, { now: MID_2026 });
    expect(report.ok).toBe(true);
    expect(report.certificates).toHaveLength(1);
  });

  it("rejects the right names in the wrong namespace", () => {
    const xml = '<EntityDescriptor entityID="x"><IDPSSODescriptor/></EntityDescriptor>';
    expect(codes(checkIdpMetadata(xml, { now: MID_2026 }))).toEqual(["error:not-saml-metadata"]);
  });

  it("decodes XML character entities in attribute values", () => {
    const sso = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.test/sso?a=1&amp;b=2"/>';
    expect(checkIdpMetadata(metadata({ sso }), { now: MID_2026 }).ssoUrls[0]?.location).toBe("https://idp.example.test/sso?a=1&b=2");
  });
});

describe("checkIdpMetadata certificate checks", () => {
  it("warns when the signing certificate expires within 30 days", () => {
    const report = checkIdpMetadata(fixture("okta.xml"), { now: new Date("2026-12-15T00:00:00Z") });
    expect(report.ok).toBe(true);
    expect(codes(report)).toEqual(["warning:certificate-expiring"]);
    expect(report.certificates[0]?.daysLeft).toBe(17);
    expect(report.findings[0]?.fix).toMatch(/next signing certificate/);
  });

  it("does not warn 31 days out", () => {
    expect(checkIdpMetadata(fixture("okta.xml"), { now: new Date("2026-12-01T00:00:00Z") }).findings).toEqual([]);
  });

  it("fails an expired signing certificate", () => {
    const report = checkIdpMetadata(fixture("okta.xml"), { now: new Date("2027-02-01T00:00:00Z") });
    expect(report.ok).toBe(false);
    expect(codes(report)).toEqual(["error:certificate-expired"]);
    expect(report.certificates[0]?.daysLeft).toBe(-31);
  });

  it("fails a signing certificate that is not valid yet", () => {
    const report = checkIdpMetadata(fixture("okta.xml"), { now: new Date("2025-12-01T00:00:00Z") });
    expect(codes(report)).toEqual(["error:certificate-not-yet-valid"]);
  });

  it("only warns about an expired certificate while a valid one is published beside it (rollover)", () => {
    const keys = keyDescriptor(pemBody("test-only-signing-2026.pem"), "signing") + keyDescriptor(pemBody("test-only-rollover-2026.pem"), "signing");
    const report = checkIdpMetadata(metadata({ keys }), { now: new Date("2027-02-01T00:00:00Z") });
    expect(report.ok).toBe(true);
    expect(codes(report)).toEqual(["warning:certificate-expired"]);
  });

  it("counts a KeyDescriptor without use as signing, and fails when only an encryption key is present", () => {
    expect(checkIdpMetadata(metadata({ keys: keyDescriptor(pemBody("test-only-signing-2026.pem")) }), { now: MID_2026 }).ok).toBe(true);
    const report = checkIdpMetadata(metadata({ keys: keyDescriptor(pemBody("test-only-signing-2026.pem"), "encryption") }), { now: MID_2026 });
    expect(codes(report)).toEqual(["error:signing-certificate-missing"]);
    expect(report.certificates[0]?.use).toBe("encryption");
  });

  it("fails metadata without any certificate", () => {
    expect(codes(checkIdpMetadata(metadata({ keys: "" }), { now: MID_2026 }))).toEqual(["error:signing-certificate-missing"]);
  });

  it("reports a certificate that is not DER without crashing", () => {
    const report = checkIdpMetadata(metadata({ keys: keyDescriptor("bm90IGEgY2VydGlmaWNhdGU=", "signing") }), { now: MID_2026 });
    expect(codes(report)).toEqual(["error:certificate-invalid", "error:signing-certificate-missing"]);
  });

  it("lists a certificate published twice once", () => {
    const key = keyDescriptor(pemBody("test-only-signing-2026.pem"), "signing");
    expect(checkIdpMetadata(metadata({ keys: key + key }), { now: MID_2026 }).certificates).toHaveLength(1);
  });
});

describe("checkIdpMetadata structure checks", () => {
  it("fails a missing entityID", () => {
    expect(codes(checkIdpMetadata(metadata({ entityId: null }), { now: MID_2026 }))).toEqual(["error:entity-id-missing"]);
  });

  it("fails without an SSO URL, and with only unsupported bindings", () => {
    expect(codes(checkIdpMetadata(metadata({ sso: "" }), { now: MID_2026 }))).toEqual(["error:sso-url-missing"]);
    const soap = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.example.test/soap"/>';
    const report = checkIdpMetadata(metadata({ sso: soap }), { now: MID_2026 });
    expect(codes(report)).toEqual(["error:sso-binding-unsupported"]);
    expect(report.ssoUrls).toEqual([{ binding: "SOAP", location: "https://idp.example.test/soap" }]);
  });

  it("warns about an http SSO URL and fails a relative one", () => {
    const http = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="http://idp.example.test/sso"/>';
    expect(codes(checkIdpMetadata(metadata({ sso: http }), { now: MID_2026 }))).toEqual(["warning:sso-url-not-https"]);
    const relative = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="/sso"/>';
    expect(codes(checkIdpMetadata(metadata({ sso: relative }), { now: MID_2026 }))).toEqual(["error:sso-url-invalid"]);
  });

  it("recognises service-provider metadata pasted by mistake", () => {
    const sp =
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sentry.io/saml/metadata/acme/">' +
      '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>';
    expect(codes(checkIdpMetadata(sp, { now: MID_2026 }))).toEqual(["error:sp-metadata-given"]);
  });

  it("fails an EntitiesDescriptor with several entities", () => {
    const two = metadata({
      root: (inner) => `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${inner}${inner}</md:EntitiesDescriptor>`,
    });
    expect(codes(checkIdpMetadata(two, { now: MID_2026 }))).toEqual(["error:entities-descriptor-ambiguous"]);
  });

  it("warns when metadata validUntil has passed", () => {
    const report = checkIdpMetadata(fixture("google.xml"), { now: new Date("2031-06-01T00:00:00Z") });
    expect(codes(report)).toContain("warning:metadata-expired");
  });

  it("uses the current time when no now is given", () => {
    const report = checkIdpMetadata(fixture("okta.xml"));
    const expected = Math.floor((Date.parse("2027-01-01T00:00:00Z") - Date.now()) / 86_400_000);
    expect(Math.abs((report.certificates[0]?.daysLeft ?? Number.NaN) - expected)).toBeLessThanOrEqual(1);
  });
});

describe("checkIdpMetadata on hostile or broken input", () => {
  it.each([
    ["unclosed tags", '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor>'],
    ["mismatched tags", "<a><b></a></b>"],
    ["plain text", "this is not xml"],
    ["an empty string", ""],
  ])("turns %s into an error finding", (_label, xml) => {
    const report = checkIdpMetadata(xml, { now: MID_2026 });
    expect(report.ok).toBe(false);
    expect(codes(report)).toEqual(["error:xml-malformed"]);
  });

  it("refuses an external entity (XXE) without reading it", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + metadata({ entityId: "&xxe;" });
    const report = checkIdpMetadata(xxe, { now: MID_2026 });
    expect(codes(report)).toEqual(["error:xml-doctype-refused"]);
    expect(report.entityId).toBeUndefined();
  });

  it("refuses a billion-laughs document", () => {
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${levels}]><lolz>&lol10;</lolz>`;
    expect(codes(checkIdpMetadata(bomb, { now: MID_2026 }))).toEqual(["error:xml-doctype-refused"]);
  });

  it("refuses a DOCTYPE smuggled inside the root element", () => {
    const xml = metadata({ sso: '<!DOCTYPE x [<!ENTITY a "b">]><md:SingleSignOnService Binding="x" Location="&a;"/>' });
    expect(codes(checkIdpMetadata(xml, { now: MID_2026 }))).toEqual(["error:xml-doctype-refused"]);
  });

  it("turns deep nesting into a finding instead of exhausting the stack", () => {
    const deep = `${"<a>".repeat(100_000)}${"</a>".repeat(100_000)}`;
    expect(codes(checkIdpMetadata(deep, { now: MID_2026 }))).toEqual(["error:xml-malformed"]);
  });

  it("refuses input over the size limit before parsing", () => {
    const big = metadata() + " ".repeat(2_000);
    expect(codes(checkIdpMetadata(big, { now: MID_2026, maxLength: 1_000 }))).toEqual(["error:input-too-large"]);
  });

  it("checks a large but legitimate document (long comment and attribute values)", () => {
    const padded = metadata({ root: (inner) => `<!--${"x".repeat(500_000)}-->${inner}` }).replace(
      'protocolSupportEnumeration="',
      `protocolSupportEnumeration="${"urn:example:p ".repeat(20_000)}`,
    );
    expect(checkIdpMetadata(padded, { now: MID_2026 }).ok).toBe(true);
  });

  it("never throws for a non-string argument", () => {
    expect(checkIdpMetadata(undefined as unknown as string).ok).toBe(false);
  });
});
