/**
 * Golden conformance of the Hubble history_ledgers / history_transactions / history_operations records on
 * mainnet 30820015: our NDJSON equals stellar-etl's golden output as a set of JSON objects, every field of
 * every row, compared through a lossless JSON parser (ids above 2^53 stay exact).
 */

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xdr } from "@stellar/stellar-sdk/base";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { isLosslessNumber, parse } from "lossless-json";
import { describe, expect, it } from "vitest";
import { changeInput } from "../src/changes/snapshot";
import { toGoJson, toJson } from "../src/ndjson";
import { ledgersRecords } from "../src/tables/ledgers";
import { operationsRecords } from "../src/tables/operations";
import { transactionsRecords } from "../src/tables/transactions";
import { transformFiles } from "../src/transform-files";
import { ledgersOf, PUBNET } from "./changes-fixtures";
import { canonical } from "./lossless";

const LEDGER = "lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst";
const GOLDEN = "stellar-etl-golden";

function goldenLines(relative: string): string[] {
  return readFileSync(fixture(`${GOLDEN}/${relative}`), "utf8")
    .split("\n")
    .filter(Boolean);
}

/** Each record through our NDJSON writer and back through the lossless parser. */
function ours(records: readonly Record<string, unknown>[]): unknown[] {
  return records.map((r) => parse(toJson(r)));
}

/** Rows missing on either side, by canonical text (with a field diff for the first unmatched pair by id). */
function setDiff(actual: unknown[], expected: unknown[]): { missing: string[]; extra: string[] } {
  const a = new Map(actual.map((r) => [canonical(r), r]));
  const e = new Map(expected.map((r) => [canonical(r), r]));
  return {
    missing: [...e.keys()].filter((k) => !a.has(k)),
    extra: [...a.keys()].filter((k) => !e.has(k)),
  };
}

/** Field-level differences of the rows that share an id, for a readable failure. */
function fieldDiffs(actual: unknown[], expected: unknown[]): string[] {
  const byId = (rows: unknown[]) =>
    new Map(rows.map((r) => [canonical((r as Record<string, unknown>).id), r as Record<string, unknown>]));
  const a = byId(actual);
  const out: string[] = [];
  for (const [id, e] of byId(expected)) {
    const r = a.get(id);
    if (!r) {
      out.push(`${id}: missing`);
      continue;
    }
    for (const k of new Set([...Object.keys(e), ...Object.keys(r)]))
      if (canonical(e[k]) !== canonical(r[k]))
        out.push(`${id}.${k}: ours ${canonical(r[k])} golden ${canonical(e[k])}`);
  }
  return out.slice(0, 20);
}

describe("lossless comparison", () => {
  it("ids 132370956487364612 and 132370956487364613 stay distinct (they collide as float64)", () => {
    expect(Number("132370956487364612")).toBe(Number("132370956487364613"));
    const a = parse('{"id":132370956487364612}');
    const b = parse('{"id":132370956487364613}');
    expect(canonical(a)).not.toBe(canonical(b));
    expect(toJson({ id: 132370956487364613n })).toBe('{"id":132370956487364613}');
  });

  it("Hubble NDJSON is Go's encoding: keys sorted at every level, <>& and U+2028/9 escaped, exact int64", () => {
    expect(toGoJson({ b: "<a&b>\u2028", a: { d: 1e-7, c: [{ z: 1, y: 2 }] }, id: 2n ** 63n - 1n })).toBe(
      '{"a":{"c":[{"y":2,"z":1}],"d":1e-7},"b":"\\u003ca\\u0026b\\u003e\\u2028","id":9223372036854775807}',
    );
  });

  it("floats compare by value, integers exactly", () => {
    expect(canonical(parse("[1e-7, 0.0000001, 158239]"))).toBe("[#1e-7,#1e-7,#158239]");
    expect(canonical(parse('{"b":1,"a":2}'))).toBe(canonical(parse('{"a":2,"b":1}')));
  });
});

describe.skipIf(!haveFixtures() || !existsSync(fixture(LEDGER)))(
  "Hubble core records, mainnet 30820015",
  () => {
    const ctx = () => changeInput(ledgersOf(LEDGER)[0]!, PUBNET);

    it("history_transactions: all 59 golden rows match as a set (one_ledger_txs.golden, every field)", () => {
      const expected = goldenLines("transactions/one_ledger_txs.golden").map((l) => parse(l));
      const actual = ours(transactionsRecords(ctx()));
      expect(actual).toHaveLength(59);
      expect(fieldDiffs(actual, expected)).toEqual([]);
      expect(setDiff(actual, expected)).toEqual({ missing: [], extra: [] });
    });

    it("history_operations: all 143 golden rows match as a set, details included (one_ledger_ops.golden)", () => {
      const expected = goldenLines("operations/one_ledger_ops.golden").map((l) => parse(l));
      const actual = ours(operationsRecords(ctx()));
      expect(actual).toHaveLength(143);
      expect(fieldDiffs(actual, expected)).toEqual([]);
      expect(setDiff(actual, expected)).toEqual({ missing: [], extra: [] });
    });

    it("history_ledgers: the record matches the header and uses 2024_ledgers.golden's field names and encodings", () => {
      const lcm = ledgersOf(LEDGER)[0]!;
      const [rec] = ours(ledgersRecords(ctx())) as Record<string, unknown>[];
      const golden = parse(goldenLines("ledgers/2024_ledgers.golden")[0]!) as Record<string, unknown>;
      expect(Object.keys(rec!).sort()).toEqual(Object.keys(golden).sort());
      // Same JSON kinds field by field (strings stay strings, e.g. tx_set_operation_count), except the
      // evicted-key arrays an LCM V0 has none of (null in stellar-etl).
      for (const k of Object.keys(golden)) {
        if (k.startsWith("evicted_ledger_keys")) continue;
        const kind = (v: unknown) => (isLosslessNumber(v) ? "number" : Array.isArray(v) ? "array" : typeof v);
        expect(`${k}:${kind(rec![k])}`).toBe(`${k}:${kind(golden[k])}`);
      }
      const entry = xdr.expectUnionVariant(lcm, "v0").v0.ledgerHeader;
      const h = entry.header;
      expect(canonical(rec!.id)).toBe(`#${30820015n << 32n}`);
      expect(canonical(rec!.sequence)).toBe("#30820015");
      expect(rec!.ledger_hash).toBe(entry.hash.toString());
      expect(rec!.previous_ledger_hash).toBe(h.previousLedgerHash.toString());
      expect(rec!.ledger_header).toBe(h.toXDR("base64"));
      expect(canonical(rec!.total_coins)).toBe(`#${h.totalCoins}`);
      expect(canonical(rec!.fee_pool)).toBe(`#${h.feePool}`);
      expect(rec!.closed_at).toBe(
        new Date(Number(h.scpValue.closeTime) * 1000).toISOString().replace(".000Z", "Z"),
      );
      expect(rec!.evicted_ledger_keys_hash).toBeNull();
      // Counts derive from the tx goldens: 59 txs, successful ones and their operations.
      const txs = goldenLines("transactions/one_ledger_txs.golden").map(
        (l) => parse(l) as Record<string, unknown>,
      );
      const ok = txs.filter((t) => t.successful === true);
      expect(canonical(rec!.successful_transaction_count)).toBe(`#${ok.length}`);
      expect(canonical(rec!.failed_transaction_count)).toBe(`#${txs.length - ok.length}`);
      expect(canonical(rec!.transaction_count)).toBe(`#${ok.length}`);
      const ops = (rows: Record<string, unknown>[]) =>
        rows.reduce((n, t) => n + Number((t.operation_count as { value: string }).value), 0);
      expect(canonical(rec!.operation_count)).toBe(`#${ops(ok)}`);
      expect(rec!.tx_set_operation_count).toBe(String(ops(txs)));
    });

    it("transformFiles --format hubble writes history_ledgers/transactions/operations.ndjson equal to the goldens", async () => {
      const out = mkdtempSync(join(tmpdir(), "hubble-core-"));
      const summary = await transformFiles([fixture(LEDGER)], {
        outDir: out,
        passphrase: PUBNET,
        format: "hubble",
      });
      expect(summary.rowsPerTable).toMatchObject({
        history_ledgers: 1,
        history_transactions: 59,
        history_operations: 143,
      });
      const file = (name: string) =>
        readFileSync(join(out, `${name}.ndjson`), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => parse(l));
      for (const [name, golden] of [
        ["history_transactions", "transactions/one_ledger_txs.golden"],
        ["history_operations", "operations/one_ledger_ops.golden"],
      ] as const) {
        const expected = goldenLines(golden).map((l) => parse(l));
        expect(setDiff(file(name), expected)).toEqual({ missing: [], extra: [] });
        // Byte for byte, too: sorted keys, Go's number and string encodings (the golden lines are sorted).
        const lines = readFileSync(join(out, `${name}.ndjson`), "utf8")
          .split("\n")
          .filter(Boolean);
        expect(lines.sort()).toEqual(goldenLines(golden));
      }
      const ids = file("history_operations").map((o) => canonical((o as Record<string, unknown>).id));
      expect(ids).toContain("#132370956487364612");
      expect(ids).toContain("#132370956487364613");
      expect(file("history_ledgers")).toHaveLength(1);
    });
  },
);
