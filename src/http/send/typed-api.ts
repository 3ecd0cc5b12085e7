/**
 * The typed client inside the SDK. `Transport` declares `api` and `raw` as RawClient, so the public declarations never
 * name the generated `paths` (raw-client.ts says why); resources and recipes call the API through this view of it,
 * typed per path whatever the consumer's project imports.
 */
import type { ApiClient } from "./api-client.js";
import type { RawApiClient } from "./raw-client.js";

/**
 * The transport's throwing client, typed over every path of the API.
 * @example const { data } = await typedApi(ctx.transport).GET("/api/0/", {});
 */
export function typedApi(transport: { readonly api: RawApiClient }): ApiClient {
  // Not unnecessary: the declaration build compiles without `sentry-rbac/raw`'s augmentation (transport.ts says why).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by the declaration build
  return transport.api as unknown as ApiClient;
}
