/**
 * `sentry-rbac/testing`: an in-memory Sentry organization (teams, members, projects, SCIM, tokens,
 * audit log) served as msw handlers, an in-process `fetch`, or a real node:http server.
 *
 * Deliberately left out: the internal model classes and route tables (they may change freely).
 *
 * @module sentry-rbac/testing
 */
export { createEmulator } from "./emulator.js";
export { demoFixture } from "./fixtures/demo.js";
export { emptyFixture } from "./fixtures/empty.js";
export { ALL_SCOPES } from "./roles.js";

export type { LiveAudit, LiveAuditOptions } from "./live-audit.js";
export type {
  AuditSnapshot,
  Emulator,
  EmulatorOptions,
  EmulatorState,
  FaultKind,
  FaultMatcher,
  FaultSpec,
  FaultTiming,
  Fixture,
  FixtureMember,
  FixtureName,
  FixtureToken,
  IssueTokenOptions,
  ListenOptions,
  MemberFlags,
  MemberSnapshot,
  OrgRole,
  OrgSnapshot,
  ProjectSnapshot,
  RateLimitOptions,
  RateLimitWindow,
  RequestLogEntry,
  RunningEmulator,
  TeamRole,
  TeamSnapshot,
  TokenKind,
  TokenSnapshot,
} from "./types.js";
