/**
 * `createEmulator`: wires fixture, model, router, rate limiter and faults into the public
 * {@link Emulator} object with its three transports (msw handlers, in-process fetch, node:http).
 */
import type { RequestHandler } from "msw";
import { writeAudit } from "./audit.js";
import { addToken, buildWorld, type BuiltWorld } from "./build.js";
import { Core } from "./core.js";
import { demoFixture } from "./fixtures/demo.js";
import { emptyFixture } from "./fixtures/empty.js";
import { toResponse } from "./http.js";
import { createHandlers } from "./msw.js";
import { validateOptions } from "./options.js";
import { createRandom, type Random } from "./random.js";
import { Router } from "./router.js";
import { allRoutes } from "./routes/index.js";
import { startLiveAudit, type LiveAudit } from "./live-audit.js";
import { listen } from "./server.js";
import { snapshot } from "./snapshot.js";
import type { Emulator, EmulatorOptions, Fixture, IssueTokenOptions } from "./types.js";

function resolveFixture(fixture: EmulatorOptions["fixture"]): Fixture {
  if (fixture === undefined || fixture === "demo") return demoFixture();
  if (fixture === "empty") return emptyFixture();
  return structuredClone(fixture);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates an in-memory Sentry organization that answers Sentry's access-control API.
 *
 * @example
 * const emu = createEmulator({ fixture: "demo", seed: 7 });
 * const res = await emu.fetch(`${emu.baseUrl}/api/0/organizations/acme/teams/`, {
 *   headers: { Authorization: `Bearer ${emu.adminToken}` },
 * });
 * @throws {TypeError | RangeError} on invalid options (unknown fixture name, bad limits or fault specs).
 * @throws {Error} when a custom fixture has no owner who has accepted the invite.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  validateOptions(options);
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const baseUrl = (options.baseUrl ?? "https://sentry.test").replace(/\/+$/, "");
  const fixture = resolveFixture(options.fixture);
  const router = new Router(allRoutes);
  let random: Random = createRandom(seed);
  let built: BuiltWorld = buildWorld(fixture, now(), random, seed, options.auditRows);
  const core = new Core(built.world, { router, options, now, sleep: options.sleep ?? realSleep });
  // Live audit mode (live-audit.ts) appends the rows due by the clock before each request is answered.
  let live: LiveAudit | undefined;
  const getCore = () => {
    live?.catchUp();
    return core;
  };

  const emulatorFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const absolute = typeof input === "string" && input.startsWith("/") ? `${baseUrl}${input}` : input;
    const request = new Request(absolute, init);
    const outcome = await getCore().handle({
      method: request.method.toUpperCase(),
      url: new URL(request.url),
      headers: request.headers,
      bodyText: request.method === "GET" || request.method === "HEAD" ? "" : await request.text(),
      ip: "127.0.0.1",
    });
    if (outcome.kind === "drop") throw new TypeError("fetch failed", { cause: new Error("socket hang up (emulated dropped connection)") });
    return toResponse(outcome.answer);
  };

  let handlers: RequestHandler[] | undefined;
  return {
    // Built on first read, so msw (an optional peer) is loaded only by those who use the handlers.
    get handlers() {
      handlers ??= createHandlers(getCore, baseUrl);
      return handlers;
    },
    fetch: emulatorFetch,
    listen: (listenOptions) => listen(getCore, listenOptions),
    issueToken(issue: IssueTokenOptions): string {
      const kind = issue.kind ?? "user";
      const org = built.org;
      let userId: number | null = null;
      if (kind === "user") {
        const wanted = issue.userEmail?.toLowerCase();
        const member = [...org.members.values()].find((m) => m.userId !== null && (wanted ? m.email.toLowerCase() === wanted : m.orgRole === "owner"));
        if (!member || member.userId === null) throw new Error(`no active member ${issue.userEmail ?? "owner"} in ${org.slug}`);
        userId = member.userId;
      }
      const token = addToken(built.world, random, {
        kind,
        name: issue.name ?? `${kind} token`,
        scopes: issue.scopes,
        userId,
        orgId: org.id,
        dateCreated: now(),
        expiresAt: issue.expiresAt ?? null,
      });
      if (kind === "org") {
        // Models creation in the web UI (the API route is session-only): Sentry audits it.
        const owner = [...org.members.values()].find((m) => m.orgRole === "owner" && m.userId !== null);
        const user = owner?.userId != null ? built.world.users.get(owner.userId) : undefined;
        writeAudit(
          built.world,
          org,
          {
            event: "org-auth-token.create",
            actorUserId: user?.id ?? null,
            actorLabel: user?.name ?? "Sentry",
            ipAddress: null,
            targetObject: token.id,
            data: { name: token.name },
          },
          now(),
        );
      }
      return token.value;
    },
    get state() {
      return snapshot(getCore().world, core.requests, now());
    },
    liveAudit(liveOptions) {
      live?.stop();
      live = startLiveAudit(() => built, now, liveOptions);
      return live;
    },
    reset() {
      live?.stop();
      live = undefined;
      random = createRandom(seed);
      built = buildWorld(resolveFixture(options.fixture), now(), random, seed, options.auditRows);
      core.resetRuntime(built.world);
    },
    get org() {
      return built.org.slug;
    },
    get scimToken() {
      return built.scimToken;
    },
    get adminToken() {
      return built.adminToken;
    },
    baseUrl,
  };
}
