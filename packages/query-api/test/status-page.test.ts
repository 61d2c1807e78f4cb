/**
 * The status page at `/` in a real headless browser (Debian's Chromium driven by playwright-core): the pipeline at a
 * glance — checkpoint, cold watermark, hot and cold tables, flush history, the ingest-rate chart — rendered from the
 * real stores, and a screenshot that is a real picture (not blank). Skips with a message without Chromium.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveFixtures } from "@stellar-lake/test-support";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { apiOver, type Lake, lakeWith } from "./harness";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn("[query-api] SKIPPING the status page browser test: no /usr/bin/chromium (Debian chromium)");

describe.skipIf(!haveFixtures() || !haveChromium)("status page in headless Chromium", () => {
  let lake: Lake;
  let api: ApiServer;
  beforeAll(async () => {
    lake = await lakeWith("lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr");
    await lake.flushTo(lake.first + 50);
    await lake.flushTo(lake.first + 100);
    api = await apiOver(lake);
  });

  it("shows the cold watermark, hot and cold tables and flush history; the screenshot is a real picture", async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const res = await page.goto(`${api.url}/`);
      expect(res?.status()).toBe(200);
      expect(await page.title()).toBe("stellar-lake status");
      expect((await page.textContent("#watermark"))?.replaceAll(",", "")).toBe(String(lake.first + 100));
      const hot = await page.$$eval("#hot tr", (rows) => rows.map((r) => r.textContent ?? ""));
      expect(hot.some((r) => r.startsWith("ledgers_row_v2"))).toBe(true);
      const flushes = await page.$$eval("#flushes tr", (rows) => rows.length - 1);
      expect(flushes).toBe(2);
      const cold = await page.$$eval("#cold tr td:first-child", (cells) => cells.map((c) => c.textContent));
      expect(cold).toContain("operations_row_v2");
      expect(await page.$$eval("svg rect", (r) => r.length)).toBeGreaterThan(0);
      const png = await page.screenshot({ fullPage: true });
      await writeFile(join(tmpdir(), "stellar-lake-status.png"), png);
      // PNG signature and a height beyond one screen: a rendered page, not an error or a blank frame.
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      const height = png.readUInt32BE(20);
      expect(png.readUInt32BE(16)).toBe(1100);
      expect(height).toBeGreaterThan(900);
      // A blank page compresses to almost nothing; text, tables and the chart do not.
      expect(png.length).toBeGreaterThan(30_000);
    } finally {
      await browser.close();
    }
  });
});
