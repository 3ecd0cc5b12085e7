import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  let text = "";
  return { write: (chunk: string) => { text += chunk; }, isTTY, columns: 80, text: () => text };
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
    const bar = createProgress(out, { label: "Members" });
    bar.increment(2);
    bar.stop();
    expect(out.text()).toContain("2/2");
  });
});
