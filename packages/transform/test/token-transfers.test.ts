/**
 * token_transfers (issue 20): stellar-etl's golden export for mainnet 30820015 (meta v4 with unified events),
 * go-stellar-sdk's event order and semantics on the stellar-core test ledgers, and the hot rows' agreement
 * with the Hubble records.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nativeToScVal, xdr } from "@stellar/stellar-sdk/base";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { addressString } from "../src/changes/scval";
import { changeInput } from "../src/changes/snapshot";
import { tokenTransferCheck } from "../src/hot-rows";
import { tokenTransfersRecords, tokenTransfersRows } from "../src/tables/token_transfers";
import { reconcileTokenTransfers } from "../src/token-transfers/verify";
import { transformFiles } from "../src/transform-files";
import { LEDGER_FIXTURES, ledgersOf, PUBNET, readLedgers, rowProblems, STANDALONE } from "./changes-fixtures";

const GOLDEN_LEDGER = "lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst";
const GOLDEN = "stellar-etl-golden/token_transfers/one_ledger_token_transfers.golden";
const SEQ_GOLDEN = 30820015;

const sorted = (lines: string[]) => [...lines].sort();

describe.skipIf(!haveFixtures())("token transfers: stellar-etl golden", () => {
  it("mainnet 30820015: --format hubble writes token_transfers.ndjson byte-exact to the golden (as a multiset of lines)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tt-golden-"));
    try {
      await transformFiles([fixture(GOLDEN_LEDGER)], { outDir: dir, passphrase: PUBNET, format: "hubble" });
      const written = (await readFile(join(dir, "token_transfers.ndjson"), "utf8")).trim().split("\n");
      const gold = readFileSync(fixture(GOLDEN), "utf8").trim().split("\n");
      expect(written).toHaveLength(gold.length);
      expect(sorted(written)).toEqual(sorted(gold));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("mainnet 30820015: hot rows hold the records' values (exact amount beside Hubble's float), keyed 0..n-1", () => {
    const ctx = changeInput(ledgersOf(GOLDEN_LEDGER)[0]!, PUBNET);
    const rows = tokenTransfersRows(ctx);
    const recs = tokenTransfersRecords(ctx);
    expect(rows.map((r) => r.event_index)).toEqual(rows.map((_, i) => i));
    expect(rowProblems("token_transfers_row_v1", rows)).toEqual([]);
    rows.forEach((r, i) => {
      const h = recs[i]!;
      for (const k of [
        "transaction_hash",
        "transaction_id",
        "operation_id",
        "event_topic",
        "from",
        "to",
        "asset",
      ])
        expect(r[k as keyof typeof r], `${i} ${k}`).toEqual(h[k]);
      expect(r.amount_raw).toBe(h.amount_raw);
      expect(Number(r.amount)).toBeCloseTo(h.amount as number, 12);
      expect(r.to_muxed).toBe(h.to_muxed);
      expect(r.to_muxed_id).toBe(h.to_muxed_id);
    });
    // go-stellar-sdk order: the 59 fee events first (apply order), then the one payment.
    expect(rows.slice(0, 59).every((r) => r.event_topic === "fee")).toBe(true);
    expect(rows.slice(0, 59).map((r) => r.transaction_id)).toEqual(
      [...rows.slice(0, 59).map((r) => r.transaction_id)].sort((a, b) => (a < b ? -1 : 1)),
    );
    expect(rows[59]).toMatchObject({
      event_topic: "transfer",
      amount: "158239.0000000",
      to_muxed_id: "1020515624",
    });
  });
});

describe.skipIf(!haveFixtures())("token transfers on every fixture", () => {
  for (const { path, passphrase } of LEDGER_FIXTURES) {
    if (path.includes("standalone-loadtest") || path.includes("090b6171bc887479")) continue;
    it(`${path}: rows without error, valid, one fee event per transaction`, () => {
      for (const lcm of ledgersOf(path)) {
        const rows = tokenTransfersRows(changeInput(lcm, passphrase));
        expect(rowProblems("token_transfers_row_v1", rows)).toEqual([]);
      }
    });
  }
});

describe.skipIf(!haveFixtures())(
  "token transfers: reconciliation (VerifyEvents) and derived semantics",
  () => {
    it("every fixture ledger's token transfers equal its balance changes (unified and derived paths)", () => {
      let ledgers = 0;
      for (const { path, passphrase } of LEDGER_FIXTURES) {
        if (path.includes("standalone-loadtest") || path.includes("090b6171bc887479")) continue;
        for (const lcm of ledgersOf(path)) {
          const r = reconcileTokenTransfers(changeInput(lcm, passphrase));
          expect(r.mismatches, `${path} ledger ${r.ledger}`).toEqual([]);
          ledgers++;
        }
      }
      expect(ledgers).toBeGreaterThan(400);
    });

    it("a fee event that disagrees with the fee charged is reported with ledger, transaction, account and asset", () => {
      const lcm = readLedgers(fixture(GOLDEN_LEDGER))[0]!;
      const tx = xdr.expectUnionVariant(lcm, "v0").v0.txProcessing[3]!;
      const fee = xdr.expectUnionVariant(tx.txApplyProcessing, "v4").v4.events[0]!.event;
      const from = addressString(xdr.expectUnionVariant(fee.body.v0.topics[1]!, "scvAddress").address);
      // The decoded value edited in place (the SDK's fields are plain properties).
      (fee.body.v0 as { data: xdr.ScVal }).data = nativeToScVal(99n, { type: "i128" });
      const ctx = changeInput(lcm, PUBNET);
      const r = reconcileTokenTransfers(ctx);
      const hash = tx.result.transactionHash.toString();
      expect(r.mismatches).toEqual([
        { ledger: SEQ_GOLDEN, txHash: hash, holder: from, asset: "native", events: -99n, changes: -100n },
      ]);
      const check = tokenTransferCheck(ctx);
      expect(check).toMatchObject({ passed: false, dataset: "token_transfers_row_v1" });
      expect(check.details).toBe(
        `ledger ${SEQ_GOLDEN} tx ${hash}: ${from} native: token transfers -99, balance changes -100`,
      );
    });

    it("derived (no unified events): a strict-receive path payment across 4 offers gives 2 transfers per atom, then the payment", () => {
      const path = "lcm-synthetic/core-test-lcms/PathPaymentTests/6b8dd7030be55252.xdr";
      const lcm = ledgersOf(path).find((l) => changeInput(l, STANDALONE).sequence === 24)!;
      const rows = tokenTransfersRows(changeInput(lcm, STANDALONE));
      const op = rows.filter((r) => r.operation_id === 103079219201n);
      expect(op.map((r) => r.event_topic)).toEqual(Array(9).fill("transfer"));
      // Atom 0: the maker sold 80 CUR2 to the source, the source paid 160 CUR1; the last row is the payment.
      expect(op[0]).toMatchObject({ amount_raw: "80", asset_code: "CUR2" });
      expect(op[1]).toMatchObject({
        amount_raw: "160",
        asset_code: "CUR1",
        from: op[0]!.to,
        to: op[0]!.from,
      });
      expect(op[8]).toMatchObject({ amount_raw: "10", asset_code: "CUR2", from: op[1]!.from });
      // Fee events come first in the ledger, one per transaction.
      const firstOp = rows.findIndex((r) => r.event_topic !== "fee");
      expect(rows.slice(0, firstOp).every((r) => r.operation_id === null)).toBe(true);
    });

    it("protocol 23+: a Soroban fee refund is a negative fee event at the very end of the ledger", () => {
      const path = "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/d2fdf5f43cd795da.xdr";
      let seen = 0;
      for (const lcm of ledgersOf(path)) {
        const rows = tokenTransfersRows(changeInput(lcm, STANDALONE));
        const refunds = rows.filter((r) => r.event_topic === "fee" && r.amount_raw.startsWith("-"));
        if (!refunds.length) continue;
        seen += refunds.length;
        // All refunds after every other event.
        expect(rows.slice(rows.length - refunds.length)).toEqual(refunds);
        for (const f of refunds) expect(f).toMatchObject({ asset: "native", operation_id: null, to: null });
      }
      expect(seen).toBeGreaterThan(0);
    });
  },
);
