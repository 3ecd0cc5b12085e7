/**
 * Parses every error body shape Sentry sends (facts §7) into a detail line and field errors:
 * `{"detail": "..."}`, `{"detail": {code, message, extra}}`, DRF field maps, `non_field_errors`, bare arrays,
 * the bare JSON string of a 429, the SCIM error envelope, `{"error": "..."}`, and non-JSON text from proxies.
 */

/** The parts of an error body the error classes use. */
export interface ParsedErrorBody {
  detail: string;
  fieldErrors: Record<string, string[]> | undefined;
  /** Every message found, joined; used to recognise invite conflicts sent as 400. */
  allMessages: string;
  errorId: string | undefined;
  scimType: string | undefined;
  code: string | undefined;
}

const MAX_TEXT = 300;

function messagesOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(messagesOf);
  return [];
}

function collectFieldErrors(body: Record<string, unknown>, prefix: string, out: Record<string, string[]>): void {
  for (const [key, value] of Object.entries(body)) {
    if (prefix === "" && (key === "detail" || key === "schemas" || key === "status" || key === "scimType" || key === "errorId" || key === "error")) continue;
    const field = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      collectFieldErrors(value as Record<string, unknown>, field, out);
    } else if (Array.isArray(value) && value.some((v) => v && typeof v === "object")) {
      value.forEach((item, index) => {
        if (item && typeof item === "object") collectFieldErrors(item as Record<string, unknown>, `${field}.${index}`, out);
      });
    } else {
      const messages = messagesOf(value);
      if (messages.length) out[field] = messages;
    }
  }
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" ? value : undefined;
}

/**
 * Parses a decoded (JSON or text) error body.
 * @example parseErrorBody({ email: ["The user a@b.c is already a member"] }, 400).fieldErrors // { email: [...] }
 */
export function parseErrorBody(body: unknown, status: number): ParsedErrorBody {
  const empty = { fieldErrors: undefined, errorId: undefined, scimType: undefined, code: undefined };
  if (body === undefined || body === null || body === "") {
    return { ...empty, detail: `HTTP ${status}`, allMessages: "" };
  }
  if (typeof body === "string") {
    const text = body.trim().startsWith("<") ? `HTTP ${status} (non-JSON response)` : body.slice(0, MAX_TEXT);
    return { ...empty, detail: text, allMessages: body.slice(0, MAX_TEXT) };
  }
  if (Array.isArray(body)) {
    const messages = messagesOf(body);
    return { ...empty, detail: messages.join("; ") || `HTTP ${status}`, allMessages: messages.join("\n") };
  }
  if (typeof body !== "object") return { ...empty, detail: String(body), allMessages: String(body) };

  const record = body as Record<string, unknown>;
  const fieldErrors: Record<string, string[]> = {};
  collectFieldErrors(record, "", fieldErrors);
  const hasFields = Object.keys(fieldErrors).length > 0;
  const allMessages = messagesOf(record).join("\n");
  const errorId = stringField(record, "errorId");
  const scimType = stringField(record, "scimType");

  let detail: string | undefined;
  let code: string | undefined;
  const rawDetail = record.detail;
  if (typeof rawDetail === "string") {
    detail = rawDetail;
  } else if (rawDetail && typeof rawDetail === "object" && !Array.isArray(rawDetail)) {
    const nested = rawDetail as Record<string, unknown>;
    code = stringField(nested, "code");
    detail = stringField(nested, "message") ?? code;
  } else if (Array.isArray(rawDetail)) {
    detail = messagesOf(rawDetail).join("; ");
  }
  detail ??= stringField(record, "error");
  if (detail === undefined && hasFields) {
    detail = Object.entries(fieldErrors)
      .map(([field, messages]) => (field === "non_field_errors" ? messages.join("; ") : `${field}: ${messages.join("; ")}`))
      .join("; ");
  }
  if (detail === undefined && scimType) detail = `SCIM error: ${scimType}`;
  return {
    detail: detail || `HTTP ${status}`,
    fieldErrors: hasFields ? fieldErrors : undefined,
    allMessages,
    errorId,
    scimType,
    code,
  };
}
