// The audit log, two ways: a bounded export to a file (export/) and a stream into a SIEM that follows the log
// exactly once (stream/).
export * from "./export/index.js";
export * from "./stream/index.js";
