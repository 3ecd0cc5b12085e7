/**
 * JSON Schema subsets of the published specifications, written for these tests: the attributes OCSF 1.x marks
 * "required" (base event: activity_id, category_uid, class_uid, metadata{product, version}, severity_id, time,
 * type_uid; per IAM class: Account Change 3001 `user`, Authentication 3002 `user` + at least one of service /
 * dst_endpoint, Entity Management 3004 `entity`, User Access Management 3005 `user`, Group Management 3006 `group` +
 * at least one of privileges / user; the user object needs one of account / name / uid; product needs name), from
 * ocsf/ocsf-schema events/iam/*.json and objects/{metadata,product,user}.json; and ECS 8.x (`@timestamp`,
 * `ecs.version`, event.kind "event", event.category from the allowed list, event.type allowed for the categories).
 */
const user = {
  type: "object",
  anyOf: [{ required: ["name"] }, { required: ["uid"] }, { required: ["account"] }],
  properties: { name: { type: "string" }, uid: { type: "string" } },
};

const base = {
  type: "object",
  required: ["activity_id", "category_uid", "class_uid", "metadata", "severity_id", "time", "type_uid"],
  properties: {
    activity_id: { type: "integer", minimum: 0 },
    category_uid: { const: 3 },
    severity_id: { type: "integer", minimum: 0, maximum: 99 },
    time: { type: "integer" },
    type_uid: { type: "integer" },
    metadata: {
      type: "object",
      required: ["product", "version"],
      properties: { version: { type: "string", pattern: "^1\\.\\d+\\.\\d+" }, product: { type: "object", required: ["name"] }, uid: { type: "string" } },
    },
  },
};

const classes: Record<number, { activities: number[]; schema: Record<string, unknown> }> = {
  3001: { activities: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99], schema: { required: ["user"], properties: { user } } },
  3002: {
    activities: [0, 1, 2, 3, 4, 5, 6, 99],
    schema: { required: ["user"], anyOf: [{ required: ["service"] }, { required: ["dst_endpoint"] }], properties: { user } },
  },
  3004: {
    activities: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 99],
    schema: { required: ["entity"], properties: { entity: { type: "object", anyOf: [{ required: ["name"] }, { required: ["uid"] }] } } },
  },
  3005: { activities: [0, 1, 2, 3, 4, 99], schema: { required: ["user"], properties: { user, privileges: { type: "array", items: { type: "string" } } } } },
  3006: {
    activities: [0, 1, 2, 3, 4, 5, 6, 99],
    schema: {
      required: ["group"],
      anyOf: [{ required: ["privileges"] }, { required: ["user"] }],
      properties: { group: { type: "object", anyOf: [{ required: ["name"] }, { required: ["uid"] }] }, user },
    },
  },
};

/** One schema per OCSF class: the base event plus the class's required attributes, activity and type_uid pinned. */
export const ocsfSchemas: Record<number, Record<string, unknown>> = Object.fromEntries(
  Object.entries(classes).map(([uid, { activities, schema }]) => [
    uid,
    {
      allOf: [
        base,
        schema,
        {
          properties: {
            class_uid: { const: Number(uid) },
            activity_id: { enum: activities },
            type_uid: { enum: activities.map((a) => Number(uid) * 100 + a) },
          },
        },
      ],
    },
  ]),
);

const IAM_TYPES = ["admin", "change", "creation", "deletion", "group", "info", "user"];
const CONFIGURATION_TYPES = ["access", "change", "creation", "deletion", "info"];

export const ecsSchema = {
  type: "object",
  required: ["@timestamp", "ecs", "event"],
  properties: {
    "@timestamp": { type: "string", format: "date-time" },
    ecs: { type: "object", required: ["version"], properties: { version: { type: "string", pattern: "^8\\." } } },
    event: {
      type: "object",
      required: ["kind", "category", "type", "id", "action"],
      properties: {
        kind: { const: "event" },
        category: { type: "array", minItems: 1, items: { enum: ["iam", "configuration"] }, contains: { const: "iam" } },
        type: { type: "array", minItems: 1, items: { enum: [...new Set([...IAM_TYPES, ...CONFIGURATION_TYPES])] } },
        id: { type: "string" },
        action: { type: "string" },
      },
      // Types allowed for configuration only are not allowed when iam is the only category, and the other way round.
      if: { properties: { category: { maxItems: 1 } } },
      then: { properties: { type: { items: { enum: IAM_TYPES } } } },
      else: { properties: { type: { items: { enum: CONFIGURATION_TYPES.filter((t) => IAM_TYPES.includes(t)) } } } },
    },
    user: { type: "object", properties: { name: { type: "string" }, id: { type: "string" }, target: { type: "object" } } },
    source: { type: "object", properties: { ip: { type: "string" } } },
  },
};

/**
 * OCSF 1.1 Detection Finding (class 2004, category Findings 2), from ocsf/ocsf-schema events/findings/finding.json
 * and detection_finding.json and objects/{finding_info,related_event}.json: the base event's required attributes
 * (category 2 here), `finding_info` required with its `uid` required (and `title`, required in 1.1), activities
 * 0 Unknown, 1 Create, 2 Update, 3 Close, 99 Other; a related event needs its `uid`; `status_id` 0-6 or 99.
 */
export const ocsfDetectionFindingSchema = {
  allOf: [
    { ...base, properties: { ...base.properties, category_uid: { const: 2 } } },
    {
      required: ["finding_info"],
      properties: {
        class_uid: { const: 2004 },
        activity_id: { enum: [0, 1, 2, 3, 99] },
        type_uid: { enum: [200400, 200401, 200402, 200403, 200499] },
        status_id: { enum: [0, 1, 2, 3, 4, 5, 6, 99] },
        finding_info: {
          type: "object",
          required: ["uid", "title"],
          properties: {
            uid: { type: "string" },
            title: { type: "string" },
            related_events: { type: "array", items: { type: "object", required: ["uid"], properties: { uid: { type: "string" } } } },
          },
        },
      },
    },
  ],
};

/** ECS 8.x alert: `event.kind: "alert"` (a signal produced by a detection rule), with `rule.*` naming the rule. */
export const ecsAlertSchema = {
  type: "object",
  required: ["@timestamp", "ecs", "event", "rule"],
  properties: {
    "@timestamp": { type: "string", format: "date-time" },
    ecs: { type: "object", required: ["version"], properties: { version: { type: "string", pattern: "^8\\." } } },
    event: {
      type: "object",
      required: ["kind", "id", "category", "type"],
      properties: {
        kind: { const: "alert" },
        id: { type: "string" },
        severity: { type: "integer" },
        category: { type: "array", minItems: 1, items: { enum: ["iam", "configuration"] } },
        type: { type: "array", minItems: 1, items: { enum: ["admin", "change", "creation", "deletion", "group", "info", "user"] } },
      },
    },
    rule: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
  },
};
