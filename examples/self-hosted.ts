/**
 * Self-hosted and regional setups: a base URL with a path prefix, regions, no rate-limit headers, SAML SP URLs.
 * The "self-hosted Sentry" here is the emulator behind a tiny in-process reverse proxy that serves it under
 * https://sentry.example.com/sentry, with rate limiting off as on a default self-hosted install.
 *   npx tsx examples/self-hosted.ts
 */
import { createSentryClient, isSentryConfigError, samlServiceProviderUrls } from "../src/index.js";
import { createEmulator } from "../src/testing/index.js";

const PUBLIC_URL = "https://sentry.example.com/sentry"; // system.url-prefix of the install
const emu = createEmulator({ fixture: "demo", baseUrl: "https://sentry.internal", rateLimit: false });

// The reverse proxy: strip the /sentry prefix and hand the request to the emulator; note whether any answer
// carried X-Sentry-Rate-Limit-* headers.
let rateLimitHeaders = 0;
const proxy = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (!url.pathname.startsWith("/sentry/")) return new Response("not found", { status: 404 });
  const inner = new Request(`https://sentry.internal${url.pathname.slice("/sentry".length)}${url.search}`, request);
  const response = await emu.fetch(inner);
  if (response.headers.has("x-sentry-rate-limit-limit")) rateLimitHeaders += 1;
  return response;
};

// Pasting the API root works too: a trailing /api/0/ is dropped, the /sentry prefix is kept.
const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: `${PUBLIC_URL}/api/0/`, fetch: proxy });
try {
  console.log(`base URL used: ${sentry.transport.config.baseUrl}`);
  const members = await sentry.org.members.list({ perPage: 10 }).toArray();
  console.log(`${members.length} members over ${Math.ceil(members.length / 10)} pages; rate-limit headers seen: ${rateLimitHeaders}`);

  // The SAML2 URLs to paste into the IdP follow the same prefix.
  const sp = samlServiceProviderUrls("acme", { baseUrl: PUBLIC_URL });
  console.log(`ACS: ${sp.acsUrl}\nEntity ID / metadata: ${sp.entityId}\nSLS: ${sp.slsUrl}`);
} finally {
  await sentry.close();
}

// Regions on sentry.io: `region` picks the host; it cannot be combined with baseUrl.
const de = createSentryClient({ token: "placeholder-not-used", org: "acme", region: "de" });
console.log(`region de -> ${de.transport.config.baseUrl}`);
await de.close();

// http:// only for loopback hosts (a local install or the emulator), never across a network.
for (const baseUrl of ["http://localhost:9000", "http://sentry.corp.example:9000"]) {
  try {
    const local = createSentryClient({ token: "placeholder-not-used", baseUrl });
    console.log(`${baseUrl}: accepted`);
    await local.close();
  } catch (error) {
    if (!isSentryConfigError(error)) throw error;
    console.log(`${baseUrl}: refused (${error.option})`);
  }
}
