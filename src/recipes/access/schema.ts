/**
 * The JSON Schema of the access file (version 1), shipped in the package and printed by `sentry-rbac schema`, so
 * editors can complete and check the file. `parseAccessConfig` enforces the same rules with line and column.
 */

const ORG_ROLE = {
  enum: ["member", "admin", "manager", "owner", "billing"],
  description: "Sentry org role (`admin` is retired: kept where it exists, never assigned).",
} as const;
const TEAM_ROLE = { enum: ["contributor", "admin"] } as const;
const UNTIL = {
  type: "string",
  description: "Time-bound access: a date (access lasts through that UTC day) or an ISO 8601 date-time.",
  pattern: "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$",
} as const;
const REASON = { type: "string", maxLength: 500 } as const;
const SLUG = "^[a-z0-9_-]{1,50}$";

/**
 * JSON Schema (draft 2020-12) of the access-as-code file.
 * @example
 * import { accessConfigSchema } from "sentry-rbac/recipes";
 * writeFileSync("access.schema.json", JSON.stringify(accessConfigSchema, null, 2));
 */
export const accessConfigSchema = Object.freeze({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://sentry-rbac.dev/schemas/access-config-v1.json",
  title: "sentry-rbac access file",
  type: "object",
  additionalProperties: false,
  required: ["version", "organization"],
  properties: {
    version: { const: 1 },
    organization: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,49}$" },
    policy: {
      type: "object",
      additionalProperties: false,
      properties: {
        members: { enum: ["additive", "authoritative"], default: "additive" },
        teams: { enum: ["additive", "authoritative"], default: "additive" },
        minOwners: { type: "integer", minimum: 1, default: 2 },
        requiredOwners: { type: "array", items: { type: "string", format: "email" }, uniqueItems: true },
        maxRemovals: {
          description: 'A count (10) or a share of the live members or teams ("25%").',
          oneOf: [
            { type: "integer", minimum: 0 },
            { type: "string", pattern: "^\\d{1,3}(\\.\\d+)?%$" },
          ],
          default: "25%",
        },
        ignore: {
          type: "object",
          additionalProperties: false,
          properties: {
            members: { type: "array", items: { type: "string" } },
            teams: { type: "array", items: { type: "string" } },
          },
        },
      },
    },
    teams: {
      type: "object",
      propertyNames: { pattern: SLUG },
      additionalProperties: {
        type: ["object", "null"],
        additionalProperties: false,
        properties: {
          name: { type: "string", minLength: 1, maxLength: 64 },
          projects: { type: "array", items: { type: "string", pattern: SLUG }, uniqueItems: true },
        },
      },
    },
    members: {
      type: "object",
      propertyNames: { format: "email" },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["role"],
        properties: {
          role: ORG_ROLE,
          until: UNTIL,
          reason: REASON,
          elevated: {
            type: "object",
            additionalProperties: false,
            required: ["role", "until"],
            properties: { role: ORG_ROLE, until: UNTIL, reason: REASON, breakGlass: UNTIL },
          },
          teams: {
            type: "object",
            propertyNames: { pattern: SLUG },
            additionalProperties: {
              oneOf: [
                { type: "null" },
                TEAM_ROLE,
                {
                  type: "object",
                  additionalProperties: false,
                  properties: { role: TEAM_ROLE, until: UNTIL, reason: REASON, breakGlass: UNTIL },
                },
              ],
            },
          },
        },
      },
    },
  },
} as const);
