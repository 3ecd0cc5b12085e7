/**
 * The request pipeline shared by every transport: fault dice → rate limiter → router → fault on
 * the answer, plus the request log. One `Core` per emulator instance; `reset()` swaps its world.
 */
import { faultAnswer, FaultInjector, malform, type FaultDecision } from "./faults.js";
import type { EmuAnswer, EmuRequest, Outcome } from "./http.js";
import type { World } from "./model.js";
import { createRandom, type Random } from "./random.js";
import { RateLimiter } from "./rate-limit.js";
import { type Match, Router } from "./router.js";
import type { EmulatorOptions, RequestLogEntry } from "./types.js";

export interface CoreDeps {
  router: Router;
  options: EmulatorOptions;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class Core {
  world: World;
  requests: RequestLogEntry[] = [];
  private limiter: RateLimiter | null;
  private faults: FaultInjector | null;
  private random: Random;

  constructor(
    world: World,
    private readonly deps: CoreDeps,
  ) {
    this.world = world;
    this.limiter = null;
    this.faults = null;
    this.random = createRandom(1);
    this.resetRuntime(world);
  }

  /** Fresh counters, dice and log for a (re)built world. */
  resetRuntime(world: World): void {
    const { options, now } = this.deps;
    this.world = world;
    this.requests = [];
    this.limiter = options.rateLimit === false ? null : new RateLimiter(options.rateLimit ?? {}, now);
    this.faults = options.faults ? new FaultInjector(options.faults, options.seed ?? 1) : null;
    this.random = createRandom((options.seed ?? 1) ^ 0xfa17);
  }

  async handle(req: EmuRequest): Promise<Outcome> {
    const path = req.url.pathname;
    const matched = this.deps.router.match(req.method, path);
    const match: Match | null = "route" in matched ? matched : null;
    const operationId = match?.route.operationId ?? null;
    const decisions = this.faults?.decide(req.method, path, operationId) ?? [];
    const log = (status: number, fault: FaultDecision | undefined) => {
      this.requests.push({ method: req.method, path, query: req.url.search, status, operationId, fault: fault?.label ?? null });
    };
    const latencyMs = decisions.reduce((sum, d) => sum + (typeof d.fault === "object" ? d.fault.latencyMs : 0), 0);
    const failure = decisions.find((d) => typeof d.fault !== "object");
    if (failure && failure.after === "before") {
      if (latencyMs > 0) await this.deps.sleep(latencyMs);
      return this.applyFault(failure, undefined, log);
    }
    let answer: EmuAnswer;
    if (match) answer = await this.answer(match, req, latencyMs);
    else {
      if (latencyMs > 0) await this.deps.sleep(latencyMs);
      answer = matched as EmuAnswer;
    }
    if (failure) return this.applyFault(failure, answer, log);
    log(answer.status, undefined);
    return { kind: "answer", answer };
  }

  /** Rate-limits and routes; a latency fault is spent while the request holds its concurrency slot. */
  private async answer(match: Match, req: EmuRequest, latencyMs: number): Promise<EmuAnswer> {
    const slow = async () => {
      if (latencyMs > 0) await this.deps.sleep(latencyMs);
    };
    if (!this.limiter) {
      await slow();
      return this.deps.router.run(match, req, this.world, this.deps.now(), null);
    }
    const value = /^Bearer\s+(\S+)/i.exec(req.headers.get("authorization") ?? "")?.[1];
    const token = value ? this.world.tokenByValue(value) : undefined;
    // Sentry keys user tokens per user, integration tokens per org, the rest per IP.
    const caller = token?.kind === "user" ? `user:${token.userId}` : token?.kind === "integration" ? `org:${token.orgId}` : `ip:${req.ip}`;
    const key = `${match.route.method} ${match.route.template}`;
    const admission = this.limiter.admit(caller, { operationId: match.route.operationId, key });
    try {
      if (!admission.refusal) await slow();
      const answer = admission.refusal ?? (await this.deps.router.run(match, req, this.world, this.deps.now(), this.limiter));
      return { ...answer, headers: { ...answer.headers, ...admission.headers } };
    } finally {
      admission.release();
    }
  }

  private applyFault(decision: FaultDecision, answer: EmuAnswer | undefined, log: (status: number, f: FaultDecision) => void): Outcome {
    const fault = decision.fault;
    if (fault === "drop") {
      log(0, decision);
      return { kind: "drop" };
    }
    if (fault === "malformed-json") {
      const broken = malform(answer ?? { status: 200, body: { detail: "ok" } });
      log(broken.status, decision);
      return { kind: "answer", answer: broken };
    }
    const status = fault as 500 | 502 | 503;
    log(status, decision);
    return { kind: "answer", answer: faultAnswer(status, this.random) };
  }
}
