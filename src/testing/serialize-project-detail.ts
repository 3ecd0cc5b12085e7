/**
 * `DetailedProjectSerializer` for `GET /projects/{org}/{project}/`: the project with teams plus the
 * settings and organization blocks the spec requires, filled with Sentry's defaults.
 */
import type { Member, Org, Project } from "./model.js";
import { iso } from "./model.js";
import { serializeProjectWithTeams } from "./serialize-project.js";

export function serializeOrganization(org: Org, origin: string): Record<string, unknown> {
  return {
    id: String(org.id),
    slug: org.slug,
    name: org.name,
    status: { id: "active", name: "active" },
    dateCreated: iso(org.dateCreated),
    isEarlyAdopter: false,
    require2FA: false,
    avatar: { avatarType: "letter_avatar", avatarUuid: null },
    links: { organizationUrl: `${origin}/organizations/${org.slug}/`, regionUrl: origin },
    hasAuthProvider: org.authProvider !== null,
    allowMemberInvite: true,
    allowMemberProjectCreation: true,
    allowSuperuserAccess: false,
    features: ["team-roles", "invite-members", "sso-saml2"],
  };
}

export function serializeProjectDetail(org: Org, project: Project, member: Member | undefined, origin: string): Record<string, unknown> {
  return {
    ...serializeProjectWithTeams(org, project, member),
    latestRelease: null,
    options: {},
    digestsMinDelay: 300,
    digestsMaxDelay: 1800,
    subjectPrefix: "",
    allowedDomains: ["*"],
    resolveAge: 0,
    dataScrubber: true,
    dataScrubberDefaults: true,
    safeFields: [],
    storeCrashReports: null,
    sensitiveFields: [],
    subjectTemplate: "$shortID - $title",
    securityToken: project.slug.replace(/-/g, "").padEnd(32, "0").slice(0, 32),
    securityTokenHeader: null,
    verifySSL: false,
    scrubIPAddresses: false,
    scrapeJavaScript: true,
    enableAutoReleaseCreation: false,
    highlightTags: [],
    highlightContext: {},
    highlightPreset: { tags: [], context: {} },
    groupingConfig: "newstyle:2023-01-11",
    derivedGroupingEnhancements: "",
    groupingEnhancements: "",
    secondaryGroupingExpiry: 0,
    secondaryGroupingConfig: null,
    fingerprintingRules: "",
    organization: serializeOrganization(org, origin),
    platforms: project.platform ? [project.platform] : [],
    processingIssues: 0,
    defaultEnvironment: null,
    relayPiiConfig: null,
    builtinSymbolSources: [],
    dynamicSamplingBiases: null,
    symbolSources: "[]",
    isDynamicallySampled: false,
    tempestFetchScreenshots: false,
    autofixAutomationTuning: "off",
    seerScannerAutomation: false,
    seerNightshiftTweaks: null,
    scmSourceContextEnabled: false,
    debugFilesRole: null,
  };
}
