/**
 * msw request handlers answering on the emulator's base URL for the whole `/api/0/*` tree.
 */
import { http, HttpResponse, type RequestHandler } from "msw";
import type { Core } from "./core.js";
import { toResponse } from "./http.js";

export function createHandlers(getCore: () => Core, baseUrl: string): RequestHandler[] {
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
