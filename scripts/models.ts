/**
 * Named model types for the SDK's resources. Two steps of `npm run generate`:
 *
 * 1. `nameModels(doc)`, on the hoisted document: the schema each resource method returns (the team of `getTeam`'s
 *    200, the item of `listOrganizationMembers`' 200, a request body...) becomes `components.schemas.<Model>` under
 *    the name the SDK uses (`Team`, `Member`, `ScimUser`), and every occurrence a `$ref` to it.
 * 2. `splitModels(source)`, on openapi-typescript's output: those schemas, and every schema they reach, move to
 *    `models.ts` as exported interfaces (type aliases where the shape is not an object), and `openapi.ts` refers to
 *    them. The resource declarations import only `models.ts`, so a consumer's `tsc` parses a few hundred lines for
 *    them, not the whole API document behind `sentry.raw`; editors and the API docs show `Promise<Team>`.
 */
import ts from "typescript";
import type { OpenApiDocument } from "./spec-source.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Where a model's schema lives: an operation's response (optionally its array item) or request body, or a schema. */
export type ModelSource = { operation: string; status: number; item?: boolean } | { operation: string; body: true } | { schema: string };

/**
 * The SDK's public models. A name mapped to a shape another name already took becomes an alias of that one (the
 * same team shape answers `getTeam` and every team list item).
 */
export const MODELS: Readonly<Record<string, ModelSource & { doc: string }>> = {
  Team: { operation: "getTeam", status: 200, doc: "A team as `GET /teams/{org}/{team}/` (and create/update) return it." },
  OrganizationTeam: {
    operation: "listOrganizationTeams",
    status: 200,
    item: true,
    doc: "A team as the organization's team list returns it (with `projects` unless `detailed: false`).",
  },
  TeamMember: { operation: "listTeamMembers", status: 200, item: true, doc: "A member of one team, as the team's member list returns it." },
  Member: {
    operation: "listOrganizationMembers",
    status: 200,
    item: true,
    doc: "An organization member (or pending invite) as the member list and invite return it.",
  },
  MemberDetails: { operation: "getOrganizationMember", status: 200, doc: "A member with `teamRoles`, `teams` and the role lists, as get/update return it." },
  InvitedMember: { operation: "addOrganizationMember", status: 201, doc: "The member created by an invite (pending, `user: null`)." },
  Project: { operation: "listOrganizationProjects", status: 200, item: true, doc: "A project as the organization's project list returns it." },
  TeamProject: { operation: "listTeamProjects", status: 200, item: true, doc: "A project of one team, as the team's project list returns it." },
  ProjectTeam: { operation: "listProjectTeams", status: 200, item: true, doc: "A team that has access to a project." },
  MemberTeam: { operation: "addOrganizationMemberTeam", status: 201, doc: "The team a member joined or left (`addToTeam` / `removeFromTeam`)." },
  MemberTeamRole: {
    operation: "updateOrganizationMemberTeam",
    status: 200,
    doc: "A member's team role as the spec describes the answer to setting it (see TeamRoleChange).",
  },
  ProjectWithTeams: { operation: "addProjectTeam", status: 201, doc: "A project with its teams, as linking or unlinking a team returns it." },
  ScimUser: {
    operation: "getOrganizationScimV2User",
    status: 200,
    doc: "A SCIM User: `id` is the member id, `userName` the email, `sentryOrgRole` the org role.",
  },
  ScimUserInput: {
    operation: "provisionOrganizationScimV2User",
    body: true,
    doc: "`scim.users.provision` input: the email and, optionally, the org role (default: the organization's default role).",
  },
  ScimGroup: {
    operation: "getOrganizationScimV2Group",
    status: 200,
    doc: "A SCIM Group: `id` is the team id, `displayName` the team name, `members` `{ value: memberId, display: email }`.",
  },
  ScimGroupPatch: {
    operation: "updateOrganizationScimV2Group",
    body: true,
    doc: "The body of a SCIM group PATCH (`scim.groups.rename`, `addMembers`, `removeMembers` send it).",
  },
  ApiIndex: { schema: "ApiIndex", doc: "What Sentry's API root says about the caller: the token's own scopes (null without a token) and its user." },
  ApiToken: { schema: "ApiToken", doc: "A personal API token without its value (`tokenLastCharacters` holds its last four characters)." },
  ApiTokenWithValue: { schema: "ApiTokenWithValue", doc: "A personal API token as created: the only time `token` (the value) is returned." },
  OrgAuthToken: { schema: "OrgAuthToken", doc: 'An org auth token without its value (`scopes` is always `["org:ci"]`).' },
  OrgAuthTokenWithValue: { schema: "OrgAuthTokenWithValue", doc: "An org auth token as created: the only time `token` (the value) is returned." },
  AuditLogEntry: {
    schema: "AuditLogEntry",
    doc: "One audit-log row: `event` is the api name, `actor` a user or `{ name }` for API keys, SCIM and the system.",
  },
  Scope: { schema: "Scope", doc: "A token scope Sentry knows." },
};

/**
 * Names for the shapes inside the models, replacing the hoisting's names (taken from the first operation that used
 * the shape, `ListOrganizations200ItemAvatar`). A name here that the document no longer produces fails the
 * generator, so a new spec release gets looked at rather than silently renamed.
 */
export const NESTED_MODELS: Readonly<Record<string, string>> = {
  ListOrganizations200Item: "Organization",
  ListOrganizations200ItemOnboardingTasksItem: "OnboardingTask",
  ListOrganizations200ItemAvatar: "Avatar",
  ListOrganizations200ItemLinks: "OrganizationLinks",
  UpdateOrganization200OrgRoleListItem: "OrgRoleListItem",
  UpdateOrganization200TeamRoleListItem: "TeamRoleListItem",
  UpdateOrganization200TeamsItemExternalTeamsItem: "ExternalActor",
  UpdateOrganization200TeamsItemProjectsItem: "ProjectSummary",
  UpdateOrganization200ProjectsItemTeam: "ProjectPrimaryTeam",
  UpdateOrganization200ProjectsItemTeamsItem: "TeamRef",
  ListOrganizationDashboards200ItemCreatedBy: "User",
  ListOrganizationDashboards200ItemCreatedByIdentitiesItem: "UserIdentity",
  ListOrganizationDashboards200ItemCreatedByEmailsItem: "UserEmail",
  CreateOrganizationDashboard201CreatedBy: "MemberUser",
  ListOrganizationMembers200ItemFlags: "MemberFlags",
  GetOrganizationMember200TeamRolesItem: "TeamRoleEntry",
  ListOrganizationScimV2Users200ResourcesItemName: "ScimUserName",
  ListOrganizationScimV2Users200ResourcesItemEmailsItem: "ScimUserEmail",
};

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
const SCHEMA_REF = "#/components/schemas/";
const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function findOperation(doc: OpenApiDocument, id: string): JsonObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (isObject(op) && op.operationId === id) return op;
    }
  }
  throw new Error(`models: no operation ${id} in the document`);
}

/** The media object holding `source`'s schema (a response is followed through its `$ref`). */
function mediaOf(doc: OpenApiDocument, source: Exclude<ModelSource, { schema: string }>): JsonObject {
  const op = findOperation(doc, source.operation);
  let owner = "body" in source ? op.requestBody : isObject(op.responses) ? op.responses[String(source.status)] : undefined;
  if (isObject(owner) && typeof owner.$ref === "string") {
    const responses = (doc.components?.responses ?? {}) as JsonObject;
    owner = responses[owner.$ref.slice("#/components/responses/".length)];
  }
  const media = isObject(owner) && isObject(owner.content) ? owner.content["application/json"] : undefined;
  if (!isObject(media) || media.schema === undefined) throw new Error(`models: ${JSON.stringify(source)} has no JSON schema`);
  return media;
}

/** An object schema's field names and which are required, as one comparable string. */
function fieldsOf(schema: Json | undefined): string {
  if (!isObject(schema) || !isObject(schema.properties)) return "";
  const required = Array.isArray(schema.required) ? [...schema.required].map(String).sort() : [];
  return `${Object.keys(schema.properties).sort().join(",")}|${required.join(",")}`;
}

/** Replaces every `$ref` to schema `from` by one to `to`, in place. */
function renameRefs(value: Json, from: string, to: string): void {
  if (Array.isArray(value)) value.forEach((v) => renameRefs(v, from, to));
  else if (isObject(value)) {
    for (const [key, sub] of Object.entries(value)) {
      if (key === "$ref" && sub === SCHEMA_REF + from) value[key] = SCHEMA_REF + to;
      else renameRefs(sub, from, to);
    }
  }
}

/**
 * Returns a copy of the (hoisted) document whose model schemas live under their model names, plus the alias list
 * (a model whose shape an earlier model took: `OrganizationTeam` → `Team` when both are the same shape).
 */
export function nameModels(
  doc: OpenApiDocument,
  models: Readonly<Record<string, ModelSource>> = MODELS,
  nested: Readonly<Record<string, string>> = NESTED_MODELS,
): { doc: OpenApiDocument; aliases: Record<string, string> } {
  const copy = structuredClone<OpenApiDocument>(doc);
  const components = (copy.components ??= {});
  const schemas = ((components as { schemas?: JsonObject }).schemas ??= {});
  const aliases: Record<string, string> = {};
  const owner = new Map<string, string>();
  for (const [name, source] of Object.entries(models)) {
    if ("schema" in source) {
      if (!(source.schema in schemas)) throw new Error(`models: no schema ${source.schema}`);
      owner.set(source.schema, name);
      continue;
    }
    const media = mediaOf(copy, source);
    let holder: JsonObject = media;
    let key = "schema";
    if ("status" in source && source.item) {
      let list = media.schema;
      if (isObject(list) && typeof list.$ref === "string") list = schemas[list.$ref.slice(SCHEMA_REF.length)];
      if (!isObject(list) || list.type !== "array" || list.items === undefined) throw new Error(`models: ${name} is not an array item`);
      holder = list;
      key = "items";
    }
    const schema = holder[key];
    const ref = isObject(schema) && typeof schema.$ref === "string" && schema.$ref.startsWith(SCHEMA_REF) ? schema.$ref.slice(SCHEMA_REF.length) : undefined;
    if (name in schemas && !owner.has(name) && ref !== name) {
      // The supplement already names this shape (it describes what Sentry's serializer sends): the operation
      // answers with it, provided both list the same fields.
      const own = ref === undefined ? schema : schemas[ref];
      if (fieldsOf(own) !== fieldsOf(schemas[name]))
        throw new Error(`models: ${name} in the supplement and ${source.operation}'s schema list different fields`);
      holder[key] = { $ref: SCHEMA_REF + name };
      owner.set(name, name);
    } else if (ref !== undefined && owner.has(ref)) {
      aliases[name] = owner.get(ref)!;
    } else if (ref !== undefined) {
      if (name in schemas) throw new Error(`models: ${name} is already a schema name`);
      schemas[name] = schemas[ref]!;
      delete schemas[ref];
      renameRefs(copy as unknown as Json, ref, name);
      owner.set(name, name);
    } else {
      if (name in schemas) throw new Error(`models: ${name} is already a schema name`);
      schemas[name] = schema as Json;
      holder[key] = { $ref: SCHEMA_REF + name };
      owner.set(name, name);
    }
  }
  for (const [from, to] of Object.entries(nested)) {
    if (!(from in schemas)) throw new Error(`models: the document no longer has a shape named ${from} (NESTED_MODELS)`);
    if (to in schemas) throw new Error(`models: ${to} is already a schema name`);
    schemas[to] = schemas[from]!;
    delete schemas[from];
    renameRefs(copy as unknown as Json, from, to);
  }
  return { doc: copy, aliases };
}

const REF_TEXT = /components\["schemas"\]\["([^"]+)"\]/g;

function schemasLiteral(file: ts.SourceFile): ts.TypeLiteralNode {
  for (const statement of file.statements) {
    if (!ts.isInterfaceDeclaration(statement) || statement.name.text !== "components") continue;
    for (const member of statement.members) {
      if (ts.isPropertySignature(member) && member.name.getText(file) === "schemas" && member.type && ts.isTypeLiteralNode(member.type)) return member.type;
    }
  }
  throw new Error("models: openapi-typescript output has no components.schemas");
}

const nameOf = (member: ts.TypeElement, file: ts.SourceFile): string => {
  const text = member.name!.getText(file);
  return text.startsWith('"') ? (JSON.parse(text) as string) : text;
};

/** Moves each line of a nested declaration left by `by` spaces. */
const dedent = (text: string, by: number): string => text.replace(new RegExp(`\\n {${by}}`, "g"), "\n");

/**
 * Splits openapi-typescript's output: the model schemas (by `MODELS` name, or the schema a source named) and the
 * schemas they reach become `models` text; `openapi` text keeps everything else and refers to the moved ones.
 */
export function splitModels(
  source: string,
  roots: readonly string[],
  aliases: Readonly<Record<string, string>>,
  header: string,
  docs: Readonly<Record<string, string>> = {},
): { openapi: string; models: string } {
  const file = ts.createSourceFile("openapi.ts", source, ts.ScriptTarget.Latest, true);
  const literal = schemasLiteral(file);
  const members = new Map<string, ts.PropertySignature>();
  for (const member of literal.members) if (ts.isPropertySignature(member) && member.type) members.set(nameOf(member, file), member);

  const reached = new Set<string>();
  const visit = (name: string): void => {
    if (reached.has(name)) return;
    const member = members.get(name);
    if (!member) throw new Error(`models: no schema ${name} in the generated types`);
    reached.add(name);
    for (const match of member.type!.getText(file).matchAll(REF_TEXT)) visit(match[1]!);
  };
  roots.forEach(visit);

  const out: string[] = [header, "// The SDK's resource models and the shapes they contain; openapi.ts refers to them.", ""];
  const edits: Array<{ start: number; end: number; text: string }> = [];
  // A list shape (`Avatar[]`) gets no name of its own here: models spell it out where it is used.
  const lists = new Map<string, string>();
  for (const name of reached) {
    const type = members.get(name)!.type!;
    if (ts.isArrayTypeNode(type)) lists.set(name, type.getText(file));
  }
  const unref = (code: string): string => {
    let previous;
    do {
      previous = code;
      code = code.replace(REF_TEXT, (_match, name: string) => lists.get(name) ?? name);
    } while (code !== previous);
    return code;
  };
  const text = (node: ts.Node, full = false): string => unref(dedent(full ? node.getFullText(file) : node.getText(file), 8));
  const partsOf = (type: ts.TypeNode): readonly ts.TypeNode[] => (ts.isIntersectionTypeNode(type) ? type.types : [type]);
  // A schema reference in an intersection becomes `extends` when it names an interface (an object shape).
  const refName = (node: ts.TypeNode): string | undefined => /^components\["schemas"\]\["([^"]+)"\]$/.exec(node.getText(file))?.[1];
  const interfaces = new Set<string>();
  for (const name of reached) {
    const parts = partsOf(members.get(name)!.type!);
    if (parts.some((part) => ts.isTypeLiteralNode(part)) && parts.every((part) => ts.isTypeLiteralNode(part) || refName(part) !== undefined))
      interfaces.add(name);
  }
  for (const name of [...interfaces]) {
    // Only references to interfaces (possibly several levels down) can be extended.
    const bases = partsOf(members.get(name)!.type!)
      .map(refName)
      .filter((n): n is string => n !== undefined);
    if (bases.some((base) => !interfaces.has(base))) interfaces.delete(name);
  }
  for (const [name, member] of members) {
    if (!reached.has(name) || lists.has(name)) continue;
    const type = member.type!;
    const comment =
      docs[name] === undefined
        ? dedent(
            `\n${member
              .getFullText(file)
              .slice(0, member.getStart(file) - member.getFullStart())
              .trim()}`,
            8,
          ).trim()
        : `/** ${docs[name]} */`;
    let declaration: string;
    if (interfaces.has(name)) {
      const parts = partsOf(type);
      const bases = parts.map(refName).filter((n): n is string => n !== undefined);
      const elements = parts.flatMap((part) => (ts.isTypeLiteralNode(part) ? part.members.map((m) => text(m, true).replace(/^\n/, "")) : []));
      const heritage = bases.length > 0 ? ` extends ${bases.join(", ")}` : "";
      declaration = `export interface ${name}${heritage} {\n${elements.join("\n")}${elements.length > 0 ? "\n" : ""}}`;
    } else {
      declaration = `export type ${name} = ${text(type)};`;
    }
    out.push(comment ? `${comment}\n${declaration}` : declaration, "");
    edits.push({ start: type.getStart(file), end: type.getEnd(), text: `models.${name}` });
  }
  for (const [alias, target] of Object.entries(aliases)) {
    // An interface of its own name (not `type X = Y`), so editors and the API docs say `OrganizationTeam`.
    if (!interfaces.has(target)) throw new Error(`models: ${alias} would alias ${target}, which is not an object shape`);
    out.push(`/** ${docs[alias] ? `${docs[alias]} ` : ""}The same shape as {@link ${target}}. */`, `export interface ${alias} extends ${target} {}`, "");
  }

  let openapi = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) openapi = openapi.slice(0, edit.start) + edit.text + openapi.slice(edit.end);
  openapi = `import type * as models from "./models.js";\n${openapi}`;
  return { openapi, models: out.join("\n") };
}
