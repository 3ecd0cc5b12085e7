import { describe, expect, it } from "vitest";
import { windowStatus } from "../../src/cli/commands/audit-export.js";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  let text = "";
  return {
    write: (chunk: string) => {
      text += chunk;
    },
    isTTY,
    columns: 80,
    text: () => text,
  };
}

describe("createProgress", () => {
  it("draws nothing when the stream is not a terminal", () => {
    const out = stream(false);
    const bar = createProgress(out, { label: "Exporting", total: 3 });
    bar.increment();
    bar.setTotal(5);
    bar.increment(4);
    bar.stop();
    expect(bar.visible).toBe(false);
    expect(out.text()).toBe("");
  });

  // cli-progress throttles redraws by wall time, so counts are checked on the final frame that stop() renders.
  it("draws a bar with the label and counts on a terminal", () => {
    const out = stream(true);
    const bar = createProgress(out, { label: "Exporting audit log", total: 4 });
    expect(bar.visible).toBe(true);
    expect(out.text()).toContain("Exporting audit log [");
    expect(out.text()).toContain("0/4");
    bar.increment();
    bar.increment(2);
    bar.stop();
    expect(out.text()).toContain("3/4");
    const length = out.text().length;
    bar.stop();
    expect(out.text().length).toBe(length);
  });

  it("grows the total when work outruns the estimate", () => {
    const out = stream(true);
    const bar = createProgress(out, { label: "Members", total: 1 });
    bar.increment(2);
    bar.stop();
    expect(out.text()).toContain("2/2");
  });

  it("for an unknown total shows the count and a status, never a full bar like 19600/19600", () => {
    const out = stream(true);
    const bar = createProgress(out, { label: "Exporting audit log" });
    bar.increment(19_600);
    bar.setStatus(
      windowStatus({ reached: "2026-02-15T00:00:00Z", window: { since: "2026-01-01T00:00:00Z", until: "2026-03-31T00:00:00Z" }, event: undefined }),
    );
    bar.stop();
    expect(out.text()).toContain("Exporting audit log: 19600 rows reached 2026-02-15 (49% of the window)");
    expect(out.text()).not.toContain("19600/19600");
  });
});
