/**
 * Audit-log event names (Sentry's "api names", `sentry/audit_log/register.py`) as a known-values union. Sentry adds
 * events over time and sentry.io has private ones, so filters accept any other string as well.
 */

/** Every audit-log event name registered in Sentry's open-source code (facts §1e). */
export const AUDIT_LOG_EVENTS = Object.freeze([
  "member.invite", "member.add", "member.accept-invite", "member.edit", "member.remove", "member.join-team",
  "member.leave-team", "member.pending", "member.reinvite", "invite-request.create", "invite-request.remove",
  "invite.remove",
  "org.create", "org.edit", "org.remove", "org.restore", "org.console-platform.edit",
  "team.create", "team.edit", "team.remove", "team-and-project.created", "project-team.add", "project-team.remove",
  "project.create", "project.edit", "project.remove", "project.remove-with-origin", "project.create-with-origin",
  "project.request-transfer", "project.accept-transfer", "project.enable", "project.disable",
  "project.change-performance-issue-detection", "project.ownership-rule.edit", "project_template.create",
  "projectkey.create", "projectkey.edit", "projectkey.remove", "projectkey.change",
  "api-key.create", "api-key.edit", "api-key.remove", "org-auth-token.create", "org-auth-token.remove",
  "sso.enable", "sso.disable", "sso.edit", "sso-identity.link",
  "integration.disable", "integration.upgrade", "integration.add", "integration.edit", "integration.remove",
  "integration.rotate-client-secret", "sentry-app.add", "sentry-app.remove", "sentry-app.install",
  "sentry-app.uninstall", "internal-integration.create", "internal-integration.disable",
  "internal-integration.add-token", "internal-integration.remove-token",
  "servicehook.create", "servicehook.edit", "servicehook.remove",
  "rule.create", "rule.edit", "rule.remove", "rule.mute", "rule.disable",
  "alertrule.create", "alertrule.edit", "alertrule.remove", "alertrule.mute",
  "monitor.add", "monitor.edit", "monitor.remove", "monitor.environment.remove", "monitor.environment.edit",
  "uptime_monitor.add", "uptime_monitor.edit", "uptime_monitor.remove",
  "detector.add", "detector.edit", "detector.remove", "workflow.add", "workflow.edit", "workflow.remove",
  "detector_workflow.add", "detector_workflow.remove",
  "notification_action.create", "notification_action.edit", "notification_action.remove",
  "sampling_priority.enabled", "sampling_priority.disabled", "tagkey.remove", "issue.delete",
  "metric.block", "metric.tags.block", "metric.unblock", "metric.tags.unblock",
  "span_extraction_rule_config.create", "span_extraction_rule_config.update", "span_extraction_rule_config.delete",
  "playstation-client-id.create", "playstation-client-id.remove", "replay-deletion-jobs.start",
  "replay-deletion-jobs.stop", "autofix-settings.edit",
] as const);

/** A known audit-log event name. */
export type KnownAuditLogEvent = (typeof AUDIT_LOG_EVENTS)[number];

/**
 * An audit-log event name: a known one (autocompleted), or any other string Sentry may have added since.
 * `string & {}` keeps the known names visible to editors instead of collapsing the union into `string`.
 */
export type AuditLogEvent = KnownAuditLogEvent | (string & {});
