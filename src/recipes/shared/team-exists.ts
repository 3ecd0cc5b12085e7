// The one read several workflows make before planning: does a team exist (404 is "no", anything else an error).
import type { SentryClient } from "../../client.js";
import { isNotFoundError } from "../../http/errors/errors.js";

/**
 * Whether a team exists: a read that treats 404 as "no", any other failure as an error.
 * @example if (!(await teamExists(sentry, "contractors-q1"))) steps.push({ action: "create-team", team: "contractors-q1" });
 */
export async function teamExists(sentry: SentryClient, slug: string): Promise<boolean> {
  try {
    await sentry.org.teams.get(slug);
    return true;
  } catch (error) {
    if (isNotFoundError(error)) return false;
    throw error;
  }
}
