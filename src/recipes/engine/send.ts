/**
 * How one change is made in Sentry, and how it is undone. Every change is idempotent: one found already done
 * (an existing team, invite or link; a missing one on removal) succeeds with a note saying so — except in an
 * exclusive run (one that rolls back on failure), where a create that finds its object present fails instead,
 * because rollback must only remove what this run made.
 */
import type { SentryClient } from "../../client.js";
import { isConflictError, isNotFoundError, isSentryApiError, isSentryNetworkError, isSentryResponseError } from "../../http/errors/errors.js";
import { typedApi } from "../../http/send/typed-api.js";
import type { OrgRole, TeamRole } from "../../vocabulary/roles.js";
import type { Change } from "./changes.js";
import { AccessPlanError, isAccessPlanError } from "./errors.js";

/** What sending a change learned: a note when it was already done, the member id an invite created. */
export interface ChangeResult {
  note?: string;
  memberId?: string;
}

/** Options of {@link sendChange}. */
export interface SendChangeOptions {
  /** Creates (team, invite) fail when their object exists already, instead of succeeding with a note. */
  exclusive?: boolean;
}

const MEMBER = "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/";

const gone =
  (note: string) =>
  (error: unknown): ChangeResult => {
    if (isNotFoundError(error)) return { note };
    throw error;
  };

/**
 * Makes one change in the client's organization.
 * @example const { note } = await sendChange(sentry, { kind: "team", action: "create", subject: "payments", team: "payments" });
 * @throws {SentryApiError} when Sentry refuses the change; {@link AccessPlanError} (`token`) when Sentry filed an
 *   access request instead of adding a member, (`invalid-plan`) for a change this version does not know.
 */
export async function sendChange(sentry: SentryClient, change: Change, options: SendChangeOptions = {}): Promise<ChangeResult> {
  const { org } = sentry;
  const team = change.team ?? "";
  const id = change.memberId ?? "";
  switch (`${change.kind}:${change.action}`) {
    case "team:create": {
      if (options.exclusive) {
        await org.teams.create({ slug: team, name: change.name ?? team });
        return {};
      }
      const { created } = await org.teams.ensure({ slug: team, name: change.name ?? team });
      return created ? {} : { note: "the team existed already" };
    }
    case "team:update":
      await org.teams.update(team, { name: change.name ?? team });
      return {};
    case "team:delete":
      return org.teams.delete(team).then(() => ({}), gone("the team was gone already"));
    case "project-team:add":
      await org.projects.addTeam(change.project ?? "", team);
      return {};
    case "project-team:remove":
      return (await org.projects.removeTeam(change.project ?? "", team, { ifPresent: true })).removed ? {} : { note: "the link was gone already" };
    case "member:invite":
      try {
        const invited = await org.members.invite({ email: change.email ?? "", orgRole: (change.to ?? "member") as OrgRole, teamRoles: change.teamRoles ?? [] });
        return { memberId: invited.id };
      } catch (error) {
        // A retried or interrupted run: the person is invited (or joined) already.
        if (isConflictError(error) && !options.exclusive) return { note: "already invited or a member" };
        throw error;
      }
    case "member:reinvite":
      await typedApi(sentry.transport).PUT(MEMBER, {
        params: { path: { organization_id_or_slug: org.slug ?? "", member_id: id } },
        body: { reinvite: true, regenerate: true },
      });
      return {};
    case "member:update":
      await org.members.update(id, { orgRole: (change.to ?? "member") as OrgRole, ...(change.teamRoles ? { teamRoles: change.teamRoles } : {}) });
      return {};
    case "member:remove":
      return org.members.remove(id).then(() => ({}), gone("the member was gone already"));
    case "member:deactivate":
      // SCIM-provisioned members cannot be removed through the members API (403); the SCIM API deactivates them.
      return sentry.scim.users.deactivate(id).then(() => ({}), gone("the member was gone already"));
    case "team-member:add": {
      const { status } = await org.members.addToTeam(id, team);
      if (status === "requested")
        throw new AccessPlanError(
          "token",
          `Sentry filed an access request for ${change.subject} instead of adding the member`,
          "Use a token whose user may add others to the team.",
        );
      return status === "already-member" ? { note: "already on the team" } : {};
    }
    case "team-member:update":
      await org.members.setTeamRole(id, team, (change.to ?? "contributor") as TeamRole);
      return {};
    case "team-member:remove":
      return (await org.members.removeFromTeam(id, team, { ifPresent: true })).removed ? {} : { note: "not on the team any more" };
    default:
      throw new AccessPlanError("invalid-plan", `unknown change ${change.kind} ${change.action}`, "Compute the plan with this version of sentry-rbac.");
  }
}

/**
 * Whether a failed change may have taken effect. A 4xx answer (409 "already exists", 400 "already invited", a 403,
 * a 429) means Sentry refused it: what exists now is someone else's, and undoing it would remove their object.
 * Nothing sent (connection refused) is as clear. A 5xx, a lost connection, a timeout or an unreadable answer
 * leave the outcome unknown: those are undone, safely, since undo tolerates "not there".
 * @example if (mayHaveActed(error)) await undoChange(sentry, change, undefined);
 */
export function mayHaveActed(error: unknown): boolean {
  if (isSentryResponseError(error)) return true;
  if (isSentryApiError(error)) return error.requestSent && (error.status < 400 || error.status >= 500);
  if (isSentryNetworkError(error)) return error.requestSent;
  if (isAccessPlanError(error)) return false; // our own refusal (an access request filed): nothing of ours to undo
  return true;
}

/**
 * Undoes one change; safe whether or not the change took effect. `result` is what sending it returned (the
 * invite's member id), undefined when the answer was lost.
 * @example await undoChange(sentry, { kind: "project-team", action: "add", subject: "q1/web", team: "q1", project: "web" }, {});
 * @throws {AccessPlanError} (`irreversible`) for a change that cannot be undone (a removal, a deletion, an update
 *   whose earlier state the change does not carry).
 */
export async function undoChange(sentry: SentryClient, change: Change, result: ChangeResult | undefined): Promise<void> {
  const { org } = sentry;
  const team = change.team ?? "";
  switch (`${change.kind}:${change.action}`) {
    case "team:create":
      await org.teams.delete(team).catch(gone("never created: nothing to undo"));
      return;
    case "project-team:add":
      await org.projects.removeTeam(change.project ?? "", team, { ifPresent: true });
      return;
    case "project-team:remove":
      await org.projects.addTeam(change.project ?? "", team);
      return;
    case "member:invite": {
      // The id this run's invite returned; only when the answer was lost is the address looked up.
      const id = result?.memberId ?? (await org.members.findByEmail(change.email ?? ""))?.id;
      if (id !== undefined) await org.members.remove(id).catch(gone("already gone"));
      return;
    }
    case "team-member:add":
      await org.members.removeFromTeam(change.memberId ?? "", team, { ifPresent: true });
      return;
    case "team-member:update":
      if (change.from !== undefined) {
        await org.members.setTeamRole(change.memberId ?? "", team, change.from as TeamRole);
        return;
      }
      break;
  }
  throw new AccessPlanError(
    "irreversible",
    `${change.kind} ${change.action} ${change.subject} cannot be undone by the engine`,
    "Restore it by hand (or from the plan's earlier state) and plan again.",
  );
}
