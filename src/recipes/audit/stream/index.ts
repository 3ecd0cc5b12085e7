/**
 * The audit stream: follow Sentry's audit log into a SIEM, exactly once, with privilege-change detections.
 * Files: tail.ts (entry), follow.ts + window.ts (reading and exactness), checkpoint.ts + redis.ts (state, leases),
 * settings.ts (options shared by tail and fleet), fleet.ts (several workers), sink.ts + sink-http.ts (destinations), formats.ts (OCSF, ECS), rules.ts + detect.ts.
 */
export { tailAuditLog, type TailAuditLogOptions, type AuditTailProgress, type AuditTailReport } from "./tail.js";
export { followAuditFleet, type AuditFleetOptions, type AuditFleetReport } from "./fleet.js";
export { detectAuditAlerts, createAuditDetector, type AuditAlert, type AuditDetector, type AuditDetectorState } from "./detect.js";
export {
  DEFAULT_AUDIT_RULES,
  parseAuditRules,
  resolveAuditRules,
  type AuditCondition,
  type AuditRule,
  type AuditRuleSet,
  type AuditScalar,
  type AuditSeverity,
  type AuditThreshold,
} from "./rules.js";
export {
  alertToEcs,
  alertToOcsf,
  toEcs,
  toOcsf,
  type AuditFormatOptions,
  type AuditStreamFormat,
  type EcsAlert,
  type EcsEvent,
  type OcsfDetectionFinding,
  type OcsfEvent,
  type OcsfUser,
} from "./formats.js";
export { fileSink, streamSink, type AuditSink, type AuditSinkSpec } from "./sink.js";
export { AuditSinkError, isAuditSinkError, httpSink, type HttpSinkOptions } from "./sink-http.js";
export {
  AuditCheckpointBusyError,
  isAuditCheckpointBusyError,
  fileCheckpoint,
  lockFileCheckpoint,
  memoryCheckpoint,
  type AuditCheckpoint,
  type AuditCheckpointStore,
} from "./checkpoint.js";
export {
  AuditLeaseLostError,
  AuditRedisUnavailableError,
  isAuditLeaseLostError,
  isAuditRedisUnavailableError,
  connectAuditRedis,
  redisCheckpoint,
  redisLease,
  type AuditLease,
  type AuditRedis,
} from "./redis.js";
