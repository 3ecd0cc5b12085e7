/**
 * msw request handlers answering on the emulator's base URL for the whole `/api/0/*` tree.
 *
 * msw is an optional peer dependency: it is loaded on first use of `emulator.handlers`, synchronously (msw ships
 * CommonJS too), so the in-process fetch, the HTTP server and the CLI demo work where msw is not installed.
 */
import { createRequire } from "node:module";
import type { RequestHandler } from "msw";
import type { Core } from "./core.js";
import { toResponse } from "./http.js";

type Msw = typeof import("msw");

function loadMsw(): Msw {
  try {
    return createRequire(import.meta.url)("msw") as Msw;
  } catch (error) {
    throw new Error("emulator.handlers needs the msw package (npm install --save-dev msw@2); emu.fetch and emu.listen() work without it", { cause: error });
  }
}

/**
 * The msw handlers for an emulator core.
 * @example setupServer(...createHandlers(getCore, "https://sentry.test")).listen();
 * @throws {Error} when msw is not installed.
 */
export function createHandlers(getCore: () => Core, baseUrl: string): RequestHandler[] {
  const { http, HttpResponse } = loadMsw();
  return [
    http.all(`${baseUrl}/api/0/*`, async ({ request }) => {
      const outcome = await getCore().handle({
        method: request.method.toUpperCase(),
        url: new URL(request.url),
        headers: request.headers,
        bodyText: request.method === "GET" || request.method === "HEAD" ? "" : await request.text(),
        ip: "127.0.0.1",
      });
      // A dropped connection: fetch rejects with a network error.
      if (outcome.kind === "drop") return HttpResponse.error();
      return toResponse(outcome.answer);
    }),
  ];
}
