// Audit export: a window of the audit log to CSV or JSON, resumable by cursor (export.ts), its rows (format.ts) and
// its destinations, with a durable position for resume (sink.ts).
export { AUDIT_EXPORT_COLUMNS, AuditExportError, csvField, exportAuditLog, isAuditExportError } from "./export.js";
export type { AuditExportFormat, AuditExportProgress, AuditExportReport, AuditExportRow, ExportAuditLogOptions } from "./export.js";
