import { readFileSync } from "node:fs";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { dataOf } from "../src/changes/ledger";
import { changeInput, compactedOfType, ENTRY_CONTRACT_CODE, entryOf } from "../src/changes/snapshot";
import { WasmParseError, wasmMetrics } from "../src/changes/wasm";
import { configSettingsRecords, configSettingsRows } from "../src/tables/config_settings";
import { contractCodeRecords, contractCodeRows, costInputsOf } from "../src/tables/contract_code";
import { contractDataRecords, contractDataRows } from "../src/tables/contract_data";
import { ttlRecords, ttlRows } from "../src/tables/ttl";
import { LEDGER_FIXTURES, ledgersOf, STANDALONE } from "./changes-fixtures";

const SAC = "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/21c43b92b819267f.xdr";

function goldenKeys(name: string): string[] {
  const line = readFileSync(fixture(`stellar-etl-golden/changes/${name}.golden`), "utf8").split(
    "\n",
  )[0] as string;
  return Object.keys(JSON.parse(line)).sort();
}

describe("wasm metrics", () => {
  it("rejects bytes that are not a module, and a section overrunning the module", () => {
    expect(() => wasmMetrics(Buffer.from("not wasm"))).toThrow(WasmParseError);
    expect(() => wasmMetrics(Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x7f]))).toThrow(
      WasmParseError,
    );
  });

  it("counts an empty module as zeros", () => {
    expect(wasmMetrics(Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toEqual({
      nInstructions: 0,
      nFunctions: 0,
      nGlobals: 0,
      nTableEntries: 0,
      nTypes: 0,
      nDataSegments: 0,
      nElemSegments: 0,
      nImports: 0,
      nExports: 0,
      nDataSegmentBytes: 0,
    });
  });
});

describe.skipIf(!haveFixtures())("soroban snapshot tables", () => {
  it("the LEB128 parser reproduces core's ContractCodeCostInputs for every uploaded contract in the fixtures", () => {
    let compared = 0;
    for (const { path } of LEDGER_FIXTURES) {
      for (const l of ledgersOf(path)) {
        for (const c of compactedOfType(l, ENTRY_CONTRACT_CODE)) {
          const cc = dataOf(entryOf(c), "contractCode").contractCode;
          const ci = costInputsOf(cc);
          if (!ci) continue;
          expect(wasmMetrics(cc.code)).toEqual(ci);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });

  it("contract_code rows carry the parsed counts; Hubble records take them from the cost inputs", () => {
    const l = ledgersOf("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/48c781bbceb21112.xdr");
    const rows = l.flatMap((x) => contractCodeRows(changeInput(x, STANDALONE)));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.n_instructions).toBeGreaterThan(0n);
      expect(r.ledger_key_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const recs = l.flatMap((x) => contractCodeRecords(changeInput(x, STANDALONE)));
    expect(Object.keys(recs[0] as object).sort()).toEqual(goldenKeys("contract_code"));
    expect(recs.map((r) => BigInt(r.n_instructions as number))).toEqual(rows.map((r) => r.n_instructions));
  });

  it("SAC detection: the IDR asset contract's instance entry and a contract-held balance", () => {
    const rows = ledgersOf(SAC).flatMap((l) => contractDataRows(changeInput(l, STANDALONE)));
    const instance = rows.find((r) => r.asset_code !== null);
    expect(instance).toMatchObject({
      contract_id: "CA6V62EKFQO5BGNG5V5UI7VDBSZSWCD2DLAXP2PDHQA3LOISQZ4S6VRR",
      contract_key_type: "ScValTypeScvLedgerKeyContractInstance",
      contract_durability: "ContractDataDurabilityPersistent",
      asset_code: "IDR",
      asset_issuer: "GCGE27HU2VYQANKL2VZWLCAOJYMEFST5DXPBWQ7BRRPOHUPK626DNG4Q",
      asset_type: "credit_alphanum4",
      balance_holder: null,
    });
    const held = rows.filter((r) => r.balance_holder !== null);
    expect(held.length).toBeGreaterThan(0);
    expect(
      held.every(
        (r) => r.contract_id === instance?.contract_id && /^C[A-Z2-7]{55}$/.test(r.balance_holder ?? ""),
      ),
    ).toBe(true);
    expect(held.every((r) => /^\d+$/.test(r.balance ?? ""))).toBe(true);
    // A forged instance under another passphrase is not a SAC.
    const other = ledgersOf(SAC).flatMap((l) =>
      contractDataRows(changeInput(l, "Test SDF Network ; September 2015")),
    );
    expect(other.some((r) => r.asset_code !== null)).toBe(false);
  });

  it("contract_data Hubble records: golden field names, xdr-json decoded key/val", () => {
    const recs = ledgersOf(SAC).flatMap((l) => contractDataRecords(changeInput(l, STANDALONE)));
    expect(Object.keys(recs[0] as object).sort()).toEqual(goldenKeys("contract_data"));
    const bal = recs.find((r) => r.balance_holder !== "") as Record<string, unknown>;
    expect((bal.key_decoded as { vec: unknown[] }).vec[0]).toEqual({ symbol: "Balance" });
  });

  it("removed contract data (contract_storage test deletes entries) are rows with deleted = true", () => {
    const rows = ledgersOf(
      "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/e8e3a93f6508722e.xdr",
    ).flatMap((l) => contractDataRows(changeInput(l, STANDALONE)));
    expect(rows.some((r) => r.deleted && r.ledger_entry_change === 2)).toBe(true);
  });

  it("config settings: upgrade ledgers write settings; Hubble records have the golden's field names", () => {
    const l = ledgersOf("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/6de1fadf0f1a6789.xdr");
    const rows = l.flatMap((x) => configSettingsRows(changeInput(x, STANDALONE)));
    expect(rows.length).toBeGreaterThan(10);
    const compute = rows.find((r) => r.config_setting_id === 1);
    expect(compute?.ledger_max_instructions).toBeGreaterThan(0n);
    expect(rows.find((r) => r.config_setting_id === 0)?.contract_max_size_bytes).toBeGreaterThan(0n);
    const recs = l.flatMap((x) => configSettingsRecords(changeInput(x, STANDALONE)));
    expect(Object.keys(recs[0] as object).sort()).toEqual(goldenKeys("config_setting"));
  });

  it("ttl rows: remaining ledgers and expiry; Hubble records have the golden's field names", () => {
    const l = ledgersOf("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/ea4a1267d6c3a211.xdr");
    const rows = l.flatMap((x) => ttlRows(changeInput(x, STANDALONE)));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.ttl_remaining).toBe(r.live_until_ledger_seq - r.ledger_sequence);
    const recs = l.flatMap((x) => ttlRecords(changeInput(x, STANDALONE)));
    expect(Object.keys(recs[0] as object).sort()).toEqual(goldenKeys("ttl"));
  });
});
