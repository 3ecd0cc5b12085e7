/**
 * Type-level tests, checked by `tsc --noEmit` (tsconfig includes test/). Each @ts-expect-error must stay an error.
 * Nothing here runs.
 */
import type { SentryClient } from "../../src/client.js";
import { call } from "../../src/http/send/transport.js";
// What a project does to type `raw` per path (the augmentation applies to the whole program once loaded).
import type {} from "../../src/raw.js";

export async function rawClientTypes(sentry: SentryClient): Promise<void> {
  const path = { organization_id_or_slug: "acme" };

  // Correct calls compile and are typed.
  const teams = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path } });
  if (teams.data) {
    const slug: string = teams.data[0]!.slug;
    void slug;
  }
  const created = await call(
    sentry.transport.api.POST("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path }, body: { slug: "payments" } }),
  );
  const createdSlug: string = created.data.slug;
  void createdSlug;

  // @ts-expect-error wrong path: no such endpoint
  await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teamz/", { params: { path } });

  // @ts-expect-error wrong method for the path
  await sentry.raw.PATCH("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path } });

  // @ts-expect-error missing required path parameter
  await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: {} } });

  // @ts-expect-error wrong body: slug must be a string
  await sentry.raw.POST("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path }, body: { slug: 42 } });

  await sentry.raw.POST("/api/0/organizations/{organization_id_or_slug}/members/", {
    params: { path },
    // @ts-expect-error wrong enum: "superuser" is not an org role
    body: { email: "a@example.com", orgRole: "superuser" },
  });

  await sentry.raw.PUT("/api/0/organizations/{organization_id_or_slug}/members/{member_id}/teams/{team_id_or_slug}/", {
    params: { path: { ...path, member_id: "1", team_id_or_slug: "payments" } },
    // @ts-expect-error wrong enum: team roles are contributor | admin
    body: { teamRole: "owner" },
  });
}
