/**
 * Deterministic fault injection: seeded dice per rule and scripted "nth matching request" faults.
 * The decision is taken when a request arrives, so the same seed and request order always give
 * the same faults.
 */
import type { EmuAnswer } from "./http.js";
import { createRandom, type Random } from "./random.js";
import type { FaultKind, FaultMatcher, FaultSpec, FaultTiming } from "./types.js";

export interface FaultDecision {
  fault: FaultKind;
  after: FaultTiming;
  label: string;
}

function matches(matcher: FaultMatcher, method: string, path: string, operationId: string | null): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== method) return false;
  if (matcher.operation && matcher.operation !== operationId) return false;
  if (typeof matcher.path === "string" && !path.endsWith(matcher.path)) return false;
  if (matcher.path instanceof RegExp && !matcher.path.test(path)) return false;
  return true;
}

export function describeFault(fault: FaultKind): string {
  return typeof fault === "object" ? `latency:${fault.latencyMs}` : String(fault);
}

export class FaultInjector {
  private readonly random: Random;
  private readonly scriptCounts: number[];

  constructor(
    private readonly spec: FaultSpec,
    seed: number,
  ) {
    this.random = createRandom(seed ^ 0x5eed);
    this.scriptCounts = (spec.script ?? []).map(() => 0);
  }

  /** Decides the faults for one request (possibly a latency plus a failure). */
  decide(method: string, path: string, operationId: string | null): FaultDecision[] {
    const decisions: FaultDecision[] = [];
    (this.spec.script ?? []).forEach((step, index) => {
      if (!matches(step, method, path, operationId)) return;
      const count = (this.scriptCounts[index] ?? 0) + 1;
      this.scriptCounts[index] = count;
      if (count === step.nth) decisions.push({ fault: step.fault, after: step.after ?? "before", label: describeFault(step.fault) });
    });
    for (const rule of this.spec.rules ?? []) {
      if (!matches(rule, method, path, operationId)) continue;
      // Roll for every matching request so the sequence depends only on request order.
      if (this.random.next() < rule.probability) {
        decisions.push({ fault: rule.fault, after: rule.after ?? "before", label: describeFault(rule.fault) });
      }
    }
    return decisions;
  }
}

/** The answer a status fault produces (500 as Sentry renders it; 502/503 as a proxy does). */
export function faultAnswer(status: 500 | 502 | 503, random: Random): EmuAnswer {
  if (status === 500) return { status, body: { detail: "Internal Error", errorId: random.hex(32) } };
  const text = status === 502 ? "502 Bad Gateway" : "503 Service Temporarily Unavailable";
  return { status, rawText: `<html><body><h1>${text}</h1></body></html>`, headers: { "content-type": "text/html" } };
}

/** Truncates a JSON answer so it no longer parses (keeps status and content type). */
export function malform(answer: EmuAnswer): EmuAnswer {
  const text = answer.rawText ?? JSON.stringify(answer.body ?? {});
  const status = answer.status === 204 ? 200 : answer.status;
  return {
    ...answer,
    status,
    rawText: `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}<!--truncated`,
    headers: { ...answer.headers, "content-type": "application/json" },
  };
}
