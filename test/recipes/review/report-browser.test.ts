// report.html in a real browser: Debian's chromium, headless. In CI (CI set) a missing chromium fails the test;
// on a developer machine without it the test is skipped. `.ci/run` installs it.
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { closeAccessReview, startAccessReview } from "../../../src/recipes/index.js";
import { closeClients, harness } from "../../resources/helpers.js";
import { decide } from "./sheet.js";

const CHROMIUM = process.env.SENTRY_RBAC_TEST_CHROMIUM ?? "chromium";

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr, missing: (error as NodeJS.ErrnoException | null)?.code === "ENOENT" });
    });
  });
}

const available = (await run(CHROMIUM, ["--version"])).code === 0;
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

/** The distinct RGB(A) colours of an 8-bit truecolour PNG (chromium's screenshots), after undoing the filters. */
function pngColours(png: Buffer): number {
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString("latin1");
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
    } else if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const previous = Buffer.alloc(stride);
  const current = Buffer.alloc(stride);
  const colours = new Set<string>();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (current[x - channels] as number) : 0;
      const b = previous[x] as number;
      const c = x >= channels ? (previous[x - channels] as number) : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? (pa <= pb && pa <= pc ? a : pb <= pc ? b : c) : 0;
      current[x] = ((line[x] as number) + predictor) & 0xff;
    }
    for (let x = 0; x < stride; x += channels) colours.add(current.subarray(x, x + 3).toString("hex"));
    current.copy(previous);
  }
  return colours.size;
}

const dirs: string[] = [];
afterAll(async () => {
  await closeClients();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("report.html in headless chromium", () => {
  it.skipIf(!available && !inCi)(
    "shows every subject without script or network, and renders a page that is not blank",
    async () => {
      expect(available, `chromium is required in CI (set SENTRY_RBAC_TEST_CHROMIUM or install Debian's chromium)`).toBe(true);
      const { sentry } = harness();
      const root = await mkdtemp(join(tmpdir(), "review-browser-"));
      dirs.push(root);
      const dir = join(root, "campaign");
      await startAccessReview(sentry, { out: dir, name: "Q1 <b>bold</b>", reviewers: { "*": "security@acme.test" } });
      await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" }, "omar.nguyen@acme.test": { decision: "revoke" } });
      const closed = await closeAccessReview(sentry, { dir });
      const page = pathToFileURL(join(dir, "report.html")).href;
      const flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${join(root, "profile")}`,
      ];
      const dom = await run(CHROMIUM, [...flags, "--dump-dom", page]);
      expect(dom.code, dom.stderr).toBe(0);
      // No script to run (its CSP would refuse one anyway): what the browser shows is the file's own markup.
      expect(dom.stdout).not.toMatch(/<script/i);
      for (const outcome of closed.outcomes) expect(dom.stdout).toContain(outcome.email);
      expect(dom.stdout).toContain("Q1 &lt;b&gt;bold&lt;/b&gt;");
      expect(dom.stdout).not.toContain("<b>bold</b>");
      expect(dom.stdout).toMatch(/kai\.rossi@acme\.test<\/td>.*revoked/);

      const shot = join(root, "report.png");
      const screenshot = await run(CHROMIUM, [...flags, "--hide-scrollbars", "--window-size=1280,1600", `--screenshot=${shot}`, page]);
      expect(screenshot.code, screenshot.stderr).toBe(0);
      const png = await readFile(shot);
      expect(png.length).toBeGreaterThan(10_000);
      // White page, dark text, the purple header rows and the outcome colours: a blank page has one colour.
      const colours = pngColours(png);
      expect(colours).toBeGreaterThan(8);
      if (process.env.SENTRY_RBAC_TEST_KEEP_SCREENSHOT) await copyFile(shot, process.env.SENTRY_RBAC_TEST_KEEP_SCREENSHOT);
    },
    180_000,
  );
});
