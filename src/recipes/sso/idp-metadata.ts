// Checks an IdP's SAML2 metadata before it is pasted into Sentry: the mistakes that make SSO fail at login.
import type { X509Certificate } from "node:crypto";
import { nodeCrypto } from "../../http/send/index.js";
import { childrenNamed, isElement, parseUntrustedXml, type XmlElement } from "./idp-xml.js";

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
const BINDING_PREFIX = "urn:oasis:names:tc:SAML:2.0:bindings:";
const SUPPORTED_BINDINGS = new Set(["HTTP-Redirect", "HTTP-POST"]);
const DAY_MS = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;
const DEFAULT_MAX_LENGTH = 2 * 1024 * 1024;

/** One problem (or note) about the metadata, with what to do about it. */
export interface IdpMetadataFinding {
  level: "error" | "warning" | "info";
  code: string;
  message: string;
  fix: string;
}

/** A certificate found in the IdP descriptor's key descriptors. */
export interface IdpCertificate {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  /** ISO 8601. */
  validTo: string;
  /** Whole days from `now` to `validTo`; negative once expired. */
  daysLeft: number;
  fingerprint256: string;
  /** Absent when the KeyDescriptor names no use (then it serves both). */
  use?: "signing" | "encryption";
}

/** What `checkIdpMetadata` found. `ok` is true when no finding is an error. */
export interface IdpMetadataReport {
  ok: boolean;
  entityId?: string;
  ssoUrls: { binding: string; location: string }[];
  certificates: IdpCertificate[];
  findings: IdpMetadataFinding[];
}

/** Options for `checkIdpMetadata`. */
export interface CheckIdpMetadataOptions {
  /** The moment expiry is judged against; default the current time. */
  now?: Date;
  /** Longest document accepted, in characters; default 2 MiB. */
  maxLength?: number;
}

/**
 * Checks IdP metadata XML for what Sentry's SAML2 setup needs: one entity ID, an SSO URL with the
 * HTTP-Redirect or HTTP-POST binding, and a signing certificate that is valid and not expiring within 30 days.
 * Never throws on bad input: malformed XML, DTDs and entity declarations become error findings.
 * @example
 * const report = checkIdpMetadata(await readFile("okta-metadata.xml", "utf8"));
 * for (const f of report.findings) console.log(f.level, f.code, f.message, f.fix);
 */
export function checkIdpMetadata(xml: string, options: CheckIdpMetadataOptions = {}): IdpMetadataReport {
  const now = options.now ?? new Date();
  const report: IdpMetadataReport = { ok: false, ssoUrls: [], certificates: [], findings: [] };
  const add = (level: IdpMetadataFinding["level"], code: string, message: string, fix: string) => {
    report.findings.push({ level, code, message, fix });
  };
  const parsed = parseUntrustedXml(typeof xml === "string" ? xml : "", options.maxLength ?? DEFAULT_MAX_LENGTH);
  if ("refused" in parsed) {
    add("error", parsed.refused.code, parsed.refused.message, "Download the metadata XML again from the IdP's SAML app and pass the file unchanged.");
    return report;
  }
  const entity = selectEntity(parsed.root, add);
  if (entity) checkEntity(entity, now, report, add);
  report.ok = !report.findings.some((finding) => finding.level === "error");
  return report;
}

type Add = (level: IdpMetadataFinding["level"], code: string, message: string, fix: string) => void;

function selectEntity(root: XmlElement, add: Add): XmlElement | undefined {
  if (isElement(root, MD, "EntityDescriptor")) return root;
  if (isElement(root, MD, "EntitiesDescriptor")) {
    const entities = childrenNamed(root, MD, "EntityDescriptor");
    if (entities.length === 1) {
      add(
        "info",
        "entities-descriptor-unwrapped",
        "The EntitiesDescriptor wraps one EntityDescriptor; that one is checked.",
        "Nothing to do: Sentry reads the single entity.",
      );
      return entities[0];
    }
    add(
      "error",
      "entities-descriptor-ambiguous",
      `The EntitiesDescriptor holds ${entities.length} EntityDescriptor elements; Sentry needs exactly one IdP.`,
      "Export the metadata of the one SAML app configured for Sentry, not a federation bundle.",
    );
    return undefined;
  }
  add(
    "error",
    "not-saml-metadata",
    `The root element is ${root.localName} (${root.namespace ?? "no namespace"}), not a SAML 2.0 metadata EntityDescriptor.`,
    'Use the IdP\'s "SAML metadata" / "Federation Metadata XML" download, not a certificate or an assertion.',
  );
  return undefined;
}

function checkEntity(entity: XmlElement, now: Date, report: IdpMetadataReport, add: Add): void {
  const entityId = entity.attributes.entityID?.trim();
  if (entityId) report.entityId = entityId;
  else add("error", "entity-id-missing", "The EntityDescriptor has no entityID.", "Re-export the metadata; an IdP always publishes its entity ID.");

  const validUntil = entity.attributes.validUntil;
  if (validUntil !== undefined && Date.parse(validUntil) < now.getTime()) {
    add("warning", "metadata-expired", `The metadata says it is valid until ${validUntil}, which has passed.`, "Download fresh metadata from the IdP.");
  }

  const idp = childrenNamed(entity, MD, "IDPSSODescriptor")[0];
  if (!idp) {
    const isSp = childrenNamed(entity, MD, "SPSSODescriptor").length > 0;
    add(
      "error",
      isSp ? "sp-metadata-given" : "idp-descriptor-missing",
      isSp
        ? "This is service-provider metadata (perhaps Sentry's own), not the IdP's."
        : "The entity has no IDPSSODescriptor, so it does not describe an identity provider.",
      'Download the metadata from the IdP\'s SAML app for Sentry (Okta: "Identity Provider metadata"; Entra ID: "Federation Metadata XML").',
    );
    return;
  }
  if (!(idp.attributes.protocolSupportEnumeration ?? "").split(/\s+/).includes(SAML2_PROTOCOL)) {
    add(
      "warning",
      "saml2-protocol-missing",
      "The IDPSSODescriptor does not list the SAML 2.0 protocol in protocolSupportEnumeration.",
      "Make sure the IdP app is a SAML 2.0 app (not WS-Federation or SAML 1.1).",
    );
  }
  checkSsoServices(idp, report, add);
  checkCertificates(idp, now, report, add);
}

function checkSsoServices(idp: XmlElement, report: IdpMetadataReport, add: Add): void {
  for (const service of childrenNamed(idp, MD, "SingleSignOnService")) {
    const rawBinding = service.attributes.Binding ?? "";
    const binding = rawBinding.startsWith(BINDING_PREFIX) ? rawBinding.slice(BINDING_PREFIX.length) : rawBinding;
    const location = (service.attributes.Location ?? "").trim();
    report.ssoUrls.push({ binding, location });
    let url: URL | undefined;
    try {
      url = new URL(location);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      add(
        "error",
        "sso-url-invalid",
        `The SingleSignOnService Location ${JSON.stringify(location)} is not an absolute http(s) URL.`,
        "Re-export the metadata; the IdP's SSO URL must be absolute.",
      );
    } else if (url.protocol === "http:") {
      add("warning", "sso-url-not-https", `The SSO URL ${location} is not https.`, "Serve the IdP's SSO endpoint over https.");
    }
  }
  if (report.ssoUrls.length === 0) {
    add("error", "sso-url-missing", "The IDPSSODescriptor has no SingleSignOnService.", "Re-export the metadata from the IdP's SAML app.");
  } else if (!report.ssoUrls.some((service) => SUPPORTED_BINDINGS.has(service.binding))) {
    add(
      "error",
      "sso-binding-unsupported",
      `No SingleSignOnService uses the HTTP-Redirect or HTTP-POST binding (found: ${report.ssoUrls.map((s) => s.binding).join(", ")}).`,
      "Enable the HTTP-Redirect (or HTTP-POST) binding for the IdP's SSO endpoint.",
    );
  }
}

function certificatesOf(keyDescriptor: XmlElement): string[] {
  const texts: string[] = [];
  for (const keyInfo of childrenNamed(keyDescriptor, DS, "KeyInfo")) {
    for (const data of childrenNamed(keyInfo, DS, "X509Data")) {
      for (const cert of childrenNamed(data, DS, "X509Certificate")) texts.push(cert.text);
    }
  }
  return texts;
}

function describe(der: string, use: IdpCertificate["use"], now: Date): IdpCertificate | undefined {
  const base64 = der.split(/\s+/).join("");
  if (base64.length === 0) return undefined;
  let cert: X509Certificate;
  try {
    cert = new (nodeCrypto().X509Certificate)(Buffer.from(base64, "base64"));
  } catch {
    return undefined;
  }
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  const described: IdpCertificate = {
    subject: cert.subject.split("\n").join(", "),
    issuer: cert.issuer.split("\n").join(", "),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
    fingerprint256: cert.fingerprint256,
  };
  if (use) described.use = use;
  return described;
}

function checkCertificates(idp: XmlElement, now: Date, report: IdpMetadataReport, add: Add): void {
  const seen = new Set<string>();
  for (const keyDescriptor of childrenNamed(idp, MD, "KeyDescriptor")) {
    const rawUse = keyDescriptor.attributes.use;
    const use = rawUse === "signing" || rawUse === "encryption" ? rawUse : undefined;
    for (const text of certificatesOf(keyDescriptor)) {
      const cert = describe(text, use, now);
      if (!cert) {
        add(
          "error",
          "certificate-invalid",
          "An X509Certificate in a KeyDescriptor is not a readable DER certificate.",
          "Re-export the metadata; the certificate must be the base64 DER body without PEM headers.",
        );
        continue;
      }
      const key = `${cert.fingerprint256}/${cert.use ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report.certificates.push(cert);
    }
  }
  const signing = report.certificates.filter((cert) => cert.use !== "encryption");
  if (signing.length === 0) {
    add(
      "error",
      "signing-certificate-missing",
      "No signing certificate: Sentry cannot verify the IdP's SAML responses.",
      'Add the IdP\'s signing certificate (a KeyDescriptor with use="signing" or no use) and re-export the metadata.',
    );
    return;
  }
  const isCurrent = (cert: IdpCertificate) => Date.parse(cert.validFrom) <= now.getTime() && Date.parse(cert.validTo) > now.getTime();
  const usable = signing.filter(isCurrent);
  for (const cert of signing) {
    const name = `Signing certificate ${cert.subject} (SHA-256 ${cert.fingerprint256})`;
    if (Date.parse(cert.validTo) <= now.getTime()) {
      add(
        usable.length === 0 ? "error" : "warning",
        "certificate-expired",
        `${name} expired on ${cert.validTo}.`,
        usable.length === 0
          ? "Rotate the signing certificate in the IdP, then upload the new metadata to Sentry."
          : "Remove the expired certificate from the IdP app once the rollover is done.",
      );
    } else if (Date.parse(cert.validFrom) > now.getTime()) {
      add(
        usable.length === 0 ? "error" : "warning",
        "certificate-not-yet-valid",
        `${name} is not valid until ${cert.validFrom}.`,
        "Check the IdP's clock and certificate dates; activate the certificate only when it is valid.",
      );
    } else if (Date.parse(cert.validTo) - now.getTime() <= EXPIRY_WARNING_DAYS * DAY_MS) {
      add(
        "warning",
        "certificate-expiring",
        `${name} expires in ${cert.daysLeft} days (${cert.validTo}).`,
        "Create the next signing certificate in the IdP now and update Sentry's SAML settings before it expires.",
      );
    }
  }
}
