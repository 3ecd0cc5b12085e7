/**
 * Sending a request: the transport (transport.ts) builds the pipeline (pipeline.ts: retry → limiter → attempt
 * through one Sender, sender.ts: the platform `fetch` by default, undici's `Pool.dispatch` with `sender: "undici"`,
 * undici-sender.ts), each attempt's deadline (deadline.ts) and whole-body read (response-body.ts,
 * buffered-response.ts), the hooks (hooks.ts), and the typed clients over it: `api` for resources (api-client.ts,
 * typed-api.ts, operations.ts) and `raw` for users (raw-client.ts, pipeline-request.ts).
 */
export * from "./transport.js";
export { networkFailure } from "./pipeline.js";
export * from "./typed-api.js";
export * from "./raw-client.js";
export * from "./hooks.js";
export * from "./operations.js";
export * from "./node-crypto.js";
