import { parseArgs } from "node:util";
import { dataTables } from "@stellar-lake/schema";
import { UsageError } from "../command";
import { lakeViewsFromEnv } from "./sql";

export const summary =
  "export a table's ledger range (hot + cold, one snapshot) as Parquet (bronze column types), CSV or NDJSON";

const HELP = `usage: pnpm stellar-lake export --table T --from A --to B --format parquet|csv|ndjson --out PATH

Rows of table T (e.g. operations_row_v2) whose sequence column is in [A, B], in key order, from one consistent
snapshot of hot + cold (as \`sql\` reads it). Parquet keeps the bronze column types (BIGINT, INTEGER, VARCHAR,
BOOLEAN, TIMESTAMP WITH TIME ZONE). A progress bar on a terminal (stderr). Same environment as \`sql\`.`;

const FORMATS = { parquet: "FORMAT parquet", csv: "FORMAT csv, HEADER true", ndjson: "FORMAT json" } as const;
/** Ledgers read per step of the progress bar. */
const STEP = 1000;

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
const str = (s: string) => `'${s.replaceAll("'", "''")}'`;

function bar(total: number, out = process.stderr) {
  const t0 = Date.now();
  return (done: number, rows: number) => {
    if (!out.isTTY) return;
    const frac = total ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * 30);
    const rate = done / Math.max(0.001, (Date.now() - t0) / 1000);
    out.write(
      `\r[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${(frac * 100).toFixed(1)}% ${done}/${total} ledgers, ${rows} rows, ${rate.toFixed(0)} ledgers/s `,
    );
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      table: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const t = dataTables.find((x) => x.name === values.table);
  if (!t)
    throw new UsageError(
      `export: --table must be a data table (${dataTables.map((x) => x.name).join(", ")}), got '${values.table ?? ""}'`,
    );
  const ledger = (v: string | undefined, flag: string) => {
    if (v === undefined || !/^[0-9]{1,10}$/.test(v))
      throw new UsageError(`export: ${flag} must be a ledger number, got '${v ?? ""}'`);
    return Number(v);
  };
  const from = ledger(values.from, "--from");
  const to = ledger(values.to, "--to");
  if (to < from) throw new UsageError(`export: --to (${to}) must be ≥ --from (${from})`);
  const format = values.format as keyof typeof FORMATS;
  if (!(format in FORMATS))
    throw new UsageError(`export: --format must be parquet, csv or ndjson, got '${values.format ?? ""}'`);
  if (!values.out) throw new UsageError("export: --out PATH is required");
  const lake = await lakeViewsFromEnv([t]);
  const duck = lake.views.duck;
  const seq = ident(t.sequenceColumn!);
  const order = t.key.map(ident).join(", ");
  try {
    // The range is read in steps into one typed table (the progress), then written in one file.
    await duck.run(`CREATE TEMP TABLE export_rows AS SELECT * FROM ${ident(t.name)} LIMIT 0`);
    const progress = bar(to - from + 1);
    let rows = 0;
    for (let lo = from; lo <= to; lo += STEP) {
      const hi = Math.min(to, lo + STEP - 1);
      await duck.run(
        `INSERT INTO export_rows SELECT * FROM ${ident(t.name)} WHERE ${seq} BETWEEN ${lo} AND ${hi}`,
      );
      rows = Number((await duck.runAndReadAll("SELECT count(*) FROM export_rows")).getRows()[0]![0]);
      progress(hi - from + 1, rows);
    }
    await duck.run(
      `COPY (SELECT * FROM export_rows ORDER BY ${order}) TO ${str(values.out)} (${FORMATS[format]})`,
    );
    if (process.stderr.isTTY) process.stderr.write("\n");
    console.error(`export: ${rows} rows of ${t.name}, ledgers ${from}–${to}, to ${values.out} (${format})`);
  } finally {
    await lake.close();
  }
  return 0;
}
