/**
 * Operation details and transaction fee fields beyond the 30820015 golden (which is classic only): checked on
 * every ledger fixture against the Hubble BigQuery schema and against independent parts of the meta (entry
 * changes, result codes, contract events) rather than against our own output.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Address, xdr } from "@stellar/stellar-sdk/base";
import { fixture, fixturesDir, haveFixtures } from "@stellar-lake/test-support";
import { parse } from "lossless-json";
import { describe, expect, it } from "vitest";
import { amountString } from "../src/changes/format";
import { dataOf } from "../src/changes/ledger";
import { ledgerChanges } from "../src/changes/reader";
import { changeInput } from "../src/changes/snapshot";
import { toJson } from "../src/ndjson";
import { coreTransactions } from "../src/tables/core-common";
import { operationsRecords, operationsRows } from "../src/tables/operations";
import { transactionsRecords, transactionsRows } from "../src/tables/transactions";
import { LEDGER_FIXTURES, ledgersOf } from "./changes-fixtures";
import { canonical } from "./lossless";

const SCHEMA_MD = join(fixturesDir, "../reference/hubble-schema.md");
/** The load-test ledgers were signed under a passphrase we do not know, so their envelopes cannot be matched. */
const FIXTURES = LEDGER_FIXTURES.filter((f) => !f.path.includes("standalone-loadtest"));

function* contexts(path?: string) {
  for (const f of FIXTURES) {
    if (path && !f.path.includes(path)) continue;
    for (const lcm of ledgersOf(f.path)) yield { path: f.path, ctx: changeInput(lcm, f.passphrase) };
  }
}

type Rec = Record<string, unknown>;

describe.skipIf(!haveFixtures())("Hubble operation details and transaction fees on every fixture", () => {
  it.skipIf(!existsSync(SCHEMA_MD))(
    "every details key of every operation is a history_operations details.* column of the BigQuery schema",
    () => {
      const md = readFileSync(SCHEMA_MD, "utf8");
      const columns = new Set([...md.matchAll(/\| `details\.([a-z0-9_]+)/g)].map((m) => m[1]));
      expect(columns.size).toBeGreaterThan(100);
      const outside: string[] = [];
      const types = new Set<number>();
      for (const { path, ctx } of contexts()) {
        for (const r of operationsRecords(ctx)) {
          types.add(r.type as number);
          for (const k of Object.keys(r.details as Rec))
            if (!columns.has(k)) outside.push(`${path} type ${r.type}: ${k}`);
        }
      }
      expect(outside).toEqual([]);
      // The fixtures exercise most operation types (payments, offers, pools, claimable balances, sponsorship,
      // Soroban); each of these went through the details table above.
      for (const t of [0, 1, 2, 3, 5, 6, 8, 12, 13, 14, 15, 16, 17, 22, 23, 24, 25, 26])
        expect(types).toContain(t);
    },
  );

  it("hot operations_row_v2.details is the Hubble details object, losslessly (every operation of every fixture)", () => {
    let n = 0;
    for (const { ctx } of contexts()) {
      const rows = operationsRows(ctx);
      const recs = operationsRecords(ctx);
      expect(rows).toHaveLength(recs.length);
      rows.forEach((row, i) => {
        expect(row.details).not.toBeNull();
        expect(canonical(parse(row.details as string))).toBe(canonical(parse(toJson(recs[i]!.details))));
        n++;
      });
    }
    expect(n).toBeGreaterThan(500);
  });

  it("Soroban fees: fee_charged = inclusion_fee_charged + resource_fee − resource_fee_refund, from balances vs the result", () => {
    let soroban = 0;
    for (const { ctx } of contexts()) {
      const recs = transactionsRecords(ctx);
      const rows = transactionsRows(ctx);
      recs.forEach((t, i) => {
        const row = rows[i]!;
        if ((t.resource_fee as bigint) === 0n) {
          expect(row.soroban_fee_charged).toBeNull();
          return;
        }
        soroban++;
        // The result's feeCharged and the fee account's balance changes are independent records of the fee.
        expect(t.fee_charged).toBe(
          (t.inclusion_fee_charged as bigint) +
            (t.resource_fee as bigint) -
            (t.resource_fee_refund as bigint),
        );
        expect(row.soroban_fee_resources).toBe(t.resource_fee);
        expect(row.soroban_fee_refund).toBe(t.resource_fee_refund);
        expect(row.soroban_fee_charged).toBe((t.resource_fee as bigint) - (t.resource_fee_refund as bigint));
        expect(row.soroban_fee_base).toBe(t.inclusion_fee_bid);
        expect(row.soroban_fee_wasted).toBe(t.successful ? 0n : row.soroban_fee_charged);
        const res = JSON.parse(row.soroban_data_resources as string);
        expect(BigInt(res.instructions)).toBe(row.soroban_resources_instructions);
        expect(res.footprint.read_only.length + res.footprint.read_write.length).toBe(
          coreTransactions(ctx)[i]!.sorobanData!.resources.footprint.readOnly.length +
            coreTransactions(ctx)[i]!.sorobanData!.resources.footprint.readWrite.length,
        );
      });
      // tx_signers: one 108-char G strkey per signature of the (outer) envelope.
      rows.forEach((row, i) => {
        const signers = JSON.parse(row.tx_signers as string) as string[];
        expect(signers).toHaveLength(row.signatures_count);
        expect(signers).toEqual(recs[i]!.tx_signers);
        for (const s of signers) expect(s).toMatch(/^G[A-Z2-7]{107}$/);
      });
    }
    expect(soroban).toBeGreaterThan(50);
  });

  it("liquidity_pool_deposit: deposited reserves equal what left the depositor's trust lines in the same operation", () => {
    let checked = 0;
    for (const { ctx } of contexts("7832644d33f07016")) {
      const changes = ledgerChanges(ctx.lcm);
      const txs = coreTransactions(ctx);
      for (const r of operationsRecords(ctx)) {
        if (r.type !== 22) continue;
        const d = r.details as Rec;
        const tx = txs.find((t) => t.transactionId === r.transaction_id)!;
        if (!tx.successful) {
          expect(d.reserve_a_asset_type).toBe("native");
          expect(d.reserve_a_deposit_amount).toBe(0);
          continue;
        }
        const opIndex = Number((r.id as bigint) & 0xfffn) - 1;
        const spent = new Map<string, bigint>();
        for (const c of changes.transactions[tx.proc.index - 1]!.operations[opIndex]!) {
          if (c.entryType !== 1 || !c.pre || !c.post) continue;
          const tl = dataOf(c.post, "trustline").trustLine;
          if (tl.asset.type !== "assetTypeCreditAlphanum4") continue;
          const code = Buffer.from(tl.asset.alphaNum4.assetCode.value).toString("latin1").replace(/\0+$/, "");
          spent.set(code, dataOf(c.pre, "trustline").trustLine.balance - tl.balance);
        }
        expect(amountString(spent.get(d.reserve_a_asset_code as string)!)).toBe(
          (d.reserve_a_deposit_amount as number).toFixed(7),
        );
        expect(amountString(spent.get(d.reserve_b_asset_code as string)!)).toBe(
          (d.reserve_b_deposit_amount as number).toFixed(7),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("claim_claimable_balance: balance_id is the claimable balance entry the operation removed", () => {
    let checked = 0;
    for (const { ctx } of contexts()) {
      const changes = ledgerChanges(ctx.lcm);
      const txs = coreTransactions(ctx);
      for (const r of operationsRecords(ctx)) {
        if (r.type !== 15) continue;
        const tx = txs.find((t) => t.transactionId === r.transaction_id)!;
        if (!tx.successful) continue;
        const opIndex = Number((r.id as bigint) & 0xfffn) - 1;
        const removed = changes.transactions[tx.proc.index - 1]!.operations[opIndex]!.filter(
          (c) => c.entryType === 4 && c.type === 2,
        );
        expect(removed).toHaveLength(1);
        expect((r.details as Rec).balance_id).toBe(
          dataOf(removed[0]!.pre!, "claimableBalance").claimableBalance.balanceId.toXdr("hex"),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("invoke_host_function: contract_id, parameters = [address, function symbol, …args] from the envelope", () => {
    let checked = 0;
    for (const { ctx } of contexts()) {
      const txs = coreTransactions(ctx);
      for (const r of operationsRecords(ctx)) {
        if (r.type !== 24) continue;
        const d = r.details as Rec;
        const tx = txs.find((t) => t.transactionId === r.transaction_id)!;
        const fn = xdr.expectUnionVariant(
          tx.operations[Number((r.id as bigint) & 0xfffn) - 1]!.body,
          "invokeHostFunction",
        ).invokeHostFunctionOp.hostFunction;
        if (fn.type !== "hostFunctionTypeInvokeContract") continue;
        const args = fn.invokeContract;
        expect(d.contract_id).toBe(Address.fromScAddress(args.contractAddress).toString());
        const params = d.parameters as { type: string; value: string }[];
        expect(params).toHaveLength(args.args.length + 2);
        expect(params[0]!.type).toBe("Address");
        expect(params[1]!.type).toBe("Sym");
        expect(
          xdr.expectUnionVariant(xdr.ScVal.fromXdr(params[1]!.value, "base64"), "scvSymbol").sym.toString(),
        ).toBe(args.functionName.toString());
        expect((d.parameters_json_decoded as unknown[])[1]).toEqual({
          symbol: args.functionName.toString(),
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("invoke_host_function: asset_balance_changes match the SAC transfer/mint events the operation emitted", () => {
    let checked = 0;
    for (const { ctx } of contexts("21c43b92b819267f")) {
      const txs = coreTransactions(ctx);
      for (const r of operationsRecords(ctx)) {
        if (r.type !== 24) continue;
        const changes = (r.details as Rec).asset_balance_changes as Rec[] | undefined;
        if (!changes?.length) continue;
        const tx = txs.find((t) => t.transactionId === r.transaction_id)!;
        // Meta v4 keeps the operation's contract events apart from the diagnostic events details read.
        const events = xdr.expectUnionVariant(tx.proc.meta, "v4").v4.operations[0]!.events;
        const symOf = (v: xdr.ScVal | undefined) => (v?.type === "scvSymbol" ? v.sym.toString() : "");
        const emitted = events
          .map((e) => e.body.v0)
          .filter((b) => ["transfer", "mint", "clawback", "burn"].includes(symOf(b.topics[0])))
          .map((b) => {
            const p = xdr.expectUnionVariant(b.data, "scvI128").i128;
            return `${symOf(b.topics[0])}:${amountString((p.hi << 64n) + p.lo)}`;
          });
        expect(changes.map((c) => `${c.type}:${c.amount}`)).toEqual(emitted);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("fixture tests read the shared set", () => {
    expect(existsSync(fixture(FIXTURES[0]!.path))).toBe(true);
  });
});
