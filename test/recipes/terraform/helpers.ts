/**
 * Helpers of the Terraform import tests: the hand-written demo states (raw and `terraform show -json`), and what a
 * removed.tf / state-rm.sh holds, read back with plain regular expressions.
 */
import { readFileSync } from "node:fs";

const FIXTURES = new URL("../../fixtures/terraform/", import.meta.url);

/** A fixture's text. */
export function fixture(name: "demo.tfstate" | "demo.show.json"): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

/** The raw demo state as an object to change. */
export function demoState(): {
  version: unknown;
  resources: Array<Record<string, unknown> & { instances: Array<Record<string, unknown> & { attributes: Record<string, unknown> }> }>;
} {
  return JSON.parse(fixture("demo.tfstate")) as ReturnType<typeof demoState>;
}

/** The `from` of every `removed` block. */
export function removedFroms(text: string): string[] {
  return [...text.matchAll(/^removed \{\n {2}from = (\S+)\n\n {2}lifecycle \{\n {4}destroy = false\n {2}\}\n\}$/gm)].map((m) => m[1] ?? "");
}

/** The lines of state-rm.sh that run something (not comments, not `set`). */
export function commands(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("set "));
}

/** Every instance address the hand-written demo states hold for the Sentry provider's four resource types. */
export const DEMO_INSTANCES = [
  'module.squads["mobile"].sentry_organization_member.contractor["carla"]',
  'module.squads["mobile"].sentry_organization_member.contractor["dmitri"]',
  'module.squads["mobile"].sentry_project.app',
  'module.squads["mobile"].sentry_team.this',
  'module.squads["mobile"].sentry_team_member.contractor["carla"]',
  'module.squads["mobile"].sentry_team_member.contractor["dmitri"]',
  'sentry_organization_member.people["ada"]',
  'sentry_organization_member.people["chen"]',
  'sentry_organization_member.people["dara"]',
  'sentry_organization_member.people["expired"]',
  'sentry_organization_member.people["kai"]',
  'sentry_organization_member.people["lena\'s \\"team\\""]',
  'sentry_organization_member.people["mo"]',
  "sentry_project.auth_service",
  "sentry_project.billing_worker",
  "sentry_project.infra_monitoring",
  "sentry_project.notification_hub",
  "sentry_project.payment_api",
  "sentry_project.web_frontend",
  "sentry_team.identity",
  "sentry_team.payments",
  "sentry_team.squad[0]",
  "sentry_team.squad[1]",
  'sentry_team_member.memberships["chen/mobile"]',
  'sentry_team_member.memberships["chen/notifications"]',
  'sentry_team_member.memberships["dara/payments"]',
  'sentry_team_member.memberships["dara/platform"]',
  'sentry_team_member.memberships["kai/payments"]',
  'sentry_team_member.memberships["lena\'s \\"team\\"/identity"]',
  'sentry_team_member.memberships["mo/mobile"]',
  'sentry_team_member.memberships["mo/notifications"]',
];

/** The resource addresses (no instance keys, module keys dropped) of {@link DEMO_INSTANCES}. */
export const DEMO_RESOURCES = [
  "module.squads.sentry_organization_member.contractor",
  "module.squads.sentry_project.app",
  "module.squads.sentry_team.this",
  "module.squads.sentry_team_member.contractor",
  "sentry_organization_member.people",
  "sentry_project.auth_service",
  "sentry_project.billing_worker",
  "sentry_project.infra_monitoring",
  "sentry_project.notification_hub",
  "sentry_project.payment_api",
  "sentry_project.web_frontend",
  "sentry_team.identity",
  "sentry_team.payments",
  "sentry_team.squad",
  "sentry_team_member.memberships",
];
