import { readLedgerFile } from "@stellar-lake/lcm-io";
import { txBody, txSetEnvelopes } from "./src/changes/envelopes";
import { decodeLedger, hotRowsOf } from "./src/index";

const dir = "/work/shared/fixtures/lcm-synthetic/core-test-lcms-p27/InvokeHostFunctionTests/";
for (const id of process.argv.slice(2)) {
  for (const b of await readLedgerFile(dir + id + ".xdr")) {
    const lcm = decodeLedger(b.xdr, b.sequence);
    const r = hotRowsOf(lcm, "(V) (;,,;) (V)");
    const creds: string[] = [];
    for (const env of txSetEnvelopes(lcm))
      for (const op of txBody(env).operations)
        if (op.body.type === "invokeHostFunction")
          for (const a of op.body.invokeHostFunctionOp.auth) creds.push(a.credentials.type);
    const cd = (r.rows.contract_data_snapshot_v1 ?? []) as any[];
    const inst = cd
      .filter((x) => x.contract_key_type === "ScValTypeScvLedgerKeyContractInstance")
      .map((x) => JSON.stringify(x.contract_instance_type ?? x.val_decoded ?? "").slice(0, 200));
    const js = JSON.stringify(r.rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    console.log(
      id,
      b.sequence,
      "p" + r.protocolVersion,
      "creds",
      creds.join(","),
      "exec_tag",
      js.includes("executable_tag"),
      "extref",
      js.includes("external"),
      "ops",
      r.rows.operations_row_v2?.length,
      "inst",
      inst.length,
    );
  }
}
