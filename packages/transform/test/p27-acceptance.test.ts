/**
 * Acceptance: every protocol 27/28 stellar-core test ledger file (`core-test-lcms-p27`, 48 files) transforms
 * in both output formats, every hot row valid against the catalog. The files not in P27_DEVELOPMENT are the
 * held-out set: no other test reads them, so they check the transform on inputs it was not written against.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { decodeFallbacks, decodeLedger, hotRowsOf } from "../src/hot-rows";
import { transformFiles } from "../src/transform-files";
import { P27_DEVELOPMENT, P27_DIR, P27_PASSPHRASE, rowProblems } from "./changes-fixtures";

const files = haveFixtures()
  ? readdirSync(fixture(`${P27_DIR}/InvokeHostFunctionTests`))
      .filter((f) => f.endsWith(".xdr"))
      .sort()
      .map((f) => `${P27_DIR}/InvokeHostFunctionTests/${f}`)
  : [];
const heldOut = files.filter((f) => !P27_DEVELOPMENT.includes(f));

describe.skipIf(!haveFixtures())("protocol 27/28 acceptance: every file of core-test-lcms-p27", () => {
  it("the directory holds the 48 files of its INDEX.md; 42 are held out", () => {
    expect(files).toHaveLength(48);
    const index = readFileSync(fixture(`${P27_DIR}/INDEX.md`), "utf8");
    for (const f of files) expect(index).toContain(f.slice(P27_DIR.length + 1));
    expect(heldOut).toHaveLength(42);
  });

  it.each(files.map((f) => [f, P27_DEVELOPMENT.includes(f) ? "development" : "held out"]))(
    "%s (%s): rows of every hot table valid; Hubble records written; decoded by the fast decoder",
    async (path) => {
      const before = decodeFallbacks();
      let ledgers = 0;
      let maxProtocol = 0;
      for (const b of await readLedgerFile(fixture(path))) {
        const h = hotRowsOf(decodeLedger(b.xdr, b.sequence), P27_PASSPHRASE);
        expect(h.sequence).toBe(b.sequence);
        maxProtocol = Math.max(maxProtocol, h.protocolVersion);
        for (const [table, rows] of Object.entries(h.rows))
          expect(rowProblems(table, rows), table).toEqual([]);
        ledgers++;
      }
      expect(ledgers).toBeGreaterThan(0);
      expect(maxProtocol).toBeGreaterThanOrEqual(27);
      expect(decodeFallbacks()).toBe(before);
      const out = mkdtempSync(join(tmpdir(), "p27-hubble-"));
      const summary = await transformFiles([fixture(path)], {
        outDir: out,
        passphrase: P27_PASSPHRASE,
        format: "hubble",
      });
      expect(summary.ledgers).toBe(ledgers);
      expect(summary.rowsPerTable.history_ledgers).toBe(ledgers);
      expect(summary.rowsPerTable.history_operations).toBeGreaterThan(0);
    },
    120_000,
  );
});
