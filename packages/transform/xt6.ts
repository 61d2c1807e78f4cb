import { readLedgerFile } from "@stellar-lake/lcm-io";
import { decodeLedger, hotRowsOf } from "./src/index";

const f =
  "/work/shared/fixtures/lcm-synthetic/core-test-lcms-p27/InvokeHostFunctionTests/" +
  process.argv[2] +
  ".xdr";
for (const b of await readLedgerFile(f)) {
  if (b.sequence !== Number(process.argv[3])) continue;
  const r = hotRowsOf(decodeLedger(b.xdr, b.sequence), "(V) (;,,;) (V)");
  const j = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  for (const t of process.argv.slice(4))
    for (const row of r.rows[t] ?? [])
      console.log(
        t,
        process.env.F ? String((row as any)[process.env.F]).slice(0, 3000) : j(row).slice(0, 1500),
      );
}
