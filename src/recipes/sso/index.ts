// SSO setup helpers: the SP URLs to give the IdP, and a check of the metadata the IdP gives back.
export { SAML_ATTRIBUTES, samlServiceProviderUrls } from "./urls.js";
export type { SamlServiceProviderUrlOptions, SamlServiceProviderUrls } from "./urls.js";
export { checkIdpMetadata } from "./idp-metadata.js";
export type { CheckIdpMetadataOptions, IdpCertificate, IdpMetadataFinding, IdpMetadataReport } from "./idp-metadata.js";
