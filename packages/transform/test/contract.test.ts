import { haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { eventId, ledgerEvents } from "../src/changes/events";
import { scValJson } from "../src/changes/scval-json";
import { scValBase64 } from "../src/changes/scval-xdr";
import { changeInput } from "../src/changes/snapshot";
import { xdrJsonValue } from "../src/changes/xdr-json";
import { contractEventsRecords, contractEventsRows } from "../src/tables/contract_events";
import { ledgersOf, PUBNET, rowProblems, STANDALONE } from "./changes-fixtures";

const MAINNET = "lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd";
const P23 = "lcm-synthetic/standalone-loadtest-p23.framed.xdr.zstd";
const P26 = "lcm-synthetic/standalone-loadtest-p26-30ledgers.framed.xdr.zstd";
const MERGE = "lcm-synthetic/core-test-lcms/MergeTests/d5cacbf63b606f18.xdr";

function countByType(path: string, passphrase: string) {
  const counts: Record<string, number> = {};
  for (const l of ledgersOf(path)) {
    const rows = contractEventsRows(changeInput(l, passphrase));
    expect(rowProblems("contract_events_stream_v1", rows)).toEqual([]);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    for (const r of rows) counts[r.event_type] = (counts[r.event_type] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!haveFixtures())("contract events", () => {
  it("mainnet 53312000 (meta v3): the one invocation emitted 21 diagnostic events and no contract events", () => {
    expect(countByType(MAINNET, PUBNET)).toEqual({ diagnostic: 21 });
    const rows = contractEventsRows(changeInput(ledgersOf(MAINNET)[0]!, PUBNET));
    expect(rows[0]).toMatchObject({
      event_id: "f551d9cfa65681c9376db2fc0efcc8ef9045c306c0b54e779c0a70514dec880f:diag:0",
      contract_id: null,
      event_type: "diagnostic",
      in_successful_contract_call: true,
      topics_decoded: JSON.stringify([
        { symbol: "fn_call" },
        { bytes: "168d0714d249eb56342e272f3241690e64efafe02a2ce0bb0fa0e26e0a7074f5" },
        { symbol: "set_price" },
      ]),
      topic_count: 3,
      operation_index: 0,
      event_index: 0,
    });
    expect(rows[1]).toMatchObject({
      contract_id: "CALI2BYU2JE6WVRUFYTS6MSBNEHGJ35P4AVCZYF3B6QOE3QKOB2PLE6M",
      topics_decoded: JSON.stringify([{ symbol: "fn_return" }, { symbol: "set_price" }]),
      data_xdr: "AAAAAQ==",
      data_decoded: '"void"',
    });
  });

  it("load test p23: 2,000 contract and 10,200 diagnostic events over its 3 ledgers", () => {
    expect(countByType(P23, STANDALONE)).toEqual({ contract: 2000, diagnostic: 10200 });
  });

  it("load test p26: 37,200 contract events over 30 ledgers (README)", () => {
    expect(countByType(P26, STANDALONE)).toEqual({ contract: 37200 });
  });

  it("meta v4 classic (CAP-67) events: fee events at transaction level, SAC transfer of a create_account", () => {
    const rows = ledgersOf(MERGE).flatMap((l) => contractEventsRows(changeInput(l, STANDALONE)));
    expect(rows).toHaveLength(4);
    const fee = rows.filter((r) => r.operation_index === -1);
    expect(fee).toHaveLength(2);
    for (const r of fee) {
      expect(r.event_id).toMatch(/^[0-9a-f]{64}:tx:0$/);
      expect(JSON.parse(r.topics_decoded)[0]).toEqual({ symbol: "fee" });
    }
    const ops = rows.filter((r) => r.operation_index === 0);
    expect(ops.map((r) => JSON.parse(r.topics_decoded)[0])).toEqual([
      { symbol: "transfer" },
      { symbol: "transfer" },
    ]);
    expect(
      ops.every((r) => r.event_type === "contract" && JSON.parse(r.topics_decoded)[3]?.string === "native"),
    ).toBe(true);
  });

  it("the fast ScVal encoder and JSON form equal stellar-base and stellar-xdr-json on every fixture event", () => {
    let checked = 0;
    for (const path of [
      MAINNET,
      P23,
      MERGE,
      "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/21c43b92b819267f.xdr",
    ]) {
      for (const l of ledgersOf(path)) {
        for (const e of ledgerEvents(l)) {
          const v0 = e.event.body.v0;
          for (const v of [...v0.topics, v0.data]) {
            const b64 = v.toXDR("base64");
            expect(scValBase64(v)).toBe(b64);
            expect(scValJson(v)).toEqual(xdrJsonValue("ScVal", b64));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40000);
  });

  it("event ids follow '<tx hash>:<op>:<i>', ':tx:<i>' and ':diag:<i>'", () => {
    const evs = ledgerEvents(ledgersOf(P23)[1]!);
    expect(evs.every((e) => /^[0-9a-f]{64}:(\d+|tx|diag):\d+$/.test(eventId(e)))).toBe(true);
  });

  it("Hubble history_contract_events records carry the BigQuery schema's fields", () => {
    const recs = contractEventsRecords(changeInput(ledgersOf(MERGE)[0]!, STANDALONE));
    expect(Object.keys(recs[0] as object).sort()).toEqual(
      [
        "transaction_hash",
        "transaction_id",
        "successful",
        "in_successful_contract_call",
        "contract_id",
        "type",
        "type_string",
        "topics",
        "topics_decoded",
        "data",
        "data_decoded",
        "contract_event_xdr",
        "closed_at",
        "ledger_sequence",
        "operation_id",
      ].sort(),
    );
    const op = recs.find((r) => r.operation_id !== null) as Record<string, unknown>;
    expect(op.type_string).toBe("ContractEventTypeContract");
    expect((op.topics as { type: string }[])[0]?.type).toBe("Sym");
  });
});
