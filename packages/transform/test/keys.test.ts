import { haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { envelopesInApplyOrder } from "../src/changes/envelopes";
import { type ChangeInput, changeInput } from "../src/changes/snapshot";
import { evictedKeysRows } from "../src/tables/evicted_keys";
import { restoredKeysRecords, restoredKeysRows } from "../src/tables/restored_keys";
import { ledgersOf, rowProblems, STANDALONE } from "./changes-fixtures";

const DIR = "lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/";
const CONTRACT = "CAA3QKIP2SNVXUJTB4HKOGF55JTSSMQGED3FZYNHMNSXYV3DRRMAWA3Y";

function contexts(file: string): ChangeInput[] {
  return ledgersOf(`${DIR}${file}.xdr`).map((l) => ({
    ...changeInput(l, STANDALONE),
    envelopes: envelopesInApplyOrder(l, STANDALONE),
  }));
}

describe.skipIf(!haveFixtures())("evicted and restored keys", () => {
  it("archival fixture: 2 evicted keys at ledger 33 — the persistent data key and its TTL key", () => {
    const rows = contexts("ea4a1267d6c3a211").flatMap(evictedKeysRows);
    expect(rowProblems("evicted_keys_state_v1", rows)).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.ledger_sequence, r.key_type, r.contract_id, r.durability])).toEqual([
      [33n, "LedgerEntryTypeTtl", CONTRACT, "ContractDataDurabilityPersistent"],
      [33n, "LedgerEntryTypeContractData", CONTRACT, "ContractDataDurabilityPersistent"],
    ]);
  });

  it("temporary-entry archival fixture: 2 evicted keys (temporary data + TTL)", () => {
    const rows = contexts("955397e091e35fad").flatMap(evictedKeysRows);
    expect(rows).toHaveLength(2);
    expect(
      rows.every((r) => r.durability === "ContractDataDurabilityTemporary" && r.contract_id === CONTRACT),
    ).toBe(true);
  });

  it("archival fixture: the evicted entry is restored at ledger 34 (data key + TTL key)", () => {
    const ctxs = contexts("ea4a1267d6c3a211");
    const evicted = ctxs.flatMap(evictedKeysRows);
    const restored = ctxs.flatMap(restoredKeysRows);
    expect(rowProblems("restored_keys_state_v1", restored)).toEqual([]);
    expect(restored.map((r) => r.ledger_sequence)).toEqual([34n, 34n]);
    expect(new Set(restored.map((r) => r.key_hash))).toEqual(new Set(evicted.map((r) => r.key_hash)));
  });

  it("parallel restore fixture (protocol 23): 4 restored keys — contract data, contract code and their 2 TTLs", () => {
    const ctxs = contexts("d2fdf5f43cd795da");
    const rows = ctxs.flatMap(restoredKeysRows);
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.key_type).sort()).toEqual([
      "LedgerEntryTypeContractCode",
      "LedgerEntryTypeContractData",
      "LedgerEntryTypeTtl",
      "LedgerEntryTypeTtl",
    ]);
    expect(rows.every((r) => r.ledger_sequence === 31n)).toBe(true);
    const recs = ctxs.flatMap(restoredKeysRecords);
    expect(recs).toHaveLength(4);
    expect(Object.keys(recs[0] as object).sort()).toEqual(
      ["closed_at", "last_modified_ledger", "ledger_entry_type", "ledger_key_hash", "ledger_sequence"].sort(),
    );
    // Hubble's ledger_key_hash is the base64 LedgerKey XDR (golden changes/restored_key).
    expect(recs.find((r) => r.ledger_entry_type === "LedgerEntryTypeContractCode")?.ledger_key_hash).toMatch(
      /^AAAAB/,
    );
  });

  it("without caller-provided envelopes the table matches them itself; on protocol 23+ the footprint adds no new key", () => {
    const withoutEnvelopes = ledgersOf(`${DIR}d2fdf5f43cd795da.xdr`).flatMap((l) =>
      restoredKeysRows(changeInput(l, STANDALONE)),
    );
    expect(withoutEnvelopes).toHaveLength(4);
  });
});
