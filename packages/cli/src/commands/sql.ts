import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type { DuckDBConnection } from "@duckdb/node-api";
import { dataTables } from "@stellar-lake/schema";
import { UsageError } from "../command";
import { type LakeViews, openLakeViews, tablesNamedIn } from "../lake-views";
import { resolveCatalogUrl, resolveDatabase } from "../local-postgres";

export const summary =
  "SQL over all of history: DuckDB with every table a view of one hot + cold snapshot (read-only)";

const HELP = `usage: pnpm stellar-lake sql "<query>" [--format table|csv|json|parquet] [--out FILE]
       pnpm stellar-lake sql            (interactive: statements end with ';', .tables, .quit)

Every data table (${dataTables.length}: ledgers_row_v2, operations_row_v2, …) is a DuckDB view of ONE consistent
snapshot: the cold files of the newest flush state (ledgers ≤ its watermark W) and the hot buffer's rows above W,
as the query API merges them — e.g.
  pnpm stellar-lake sql "select type_string, count(*) from operations_row_v2 group by 1 order by 2 desc"
Formats: table (default, on a terminal), csv, json (an array of objects), parquet (needs --out).
environment: DATABASE_URL (default: the embedded dev database), DUCKLAKE_CATALOG_URL, DUCKLAKE_METADATA_SCHEMA,
DUCKLAKE_SCHEMA, DUCKLAKE_DATA_PATH (overrides the catalog's data path).`;

const FORMATS = ["table", "csv", "json", "parquet"] as const;
type Format = (typeof FORMATS)[number];

const str = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The options every lake-reading command shares: the stores from the environment (as `serve` finds them). */
export async function lakeViewsFromEnv(tables?: Parameters<typeof openLakeViews>[0]["tables"]) {
  const db = await resolveDatabase(() => {});
  const catalogUrl = await resolveCatalogUrl(db.url);
  const views = await openLakeViews({
    hotUrl: db.url,
    catalogUrl,
    ...(process.env.DUCKLAKE_METADATA_SCHEMA ? { metaSchema: process.env.DUCKLAKE_METADATA_SCHEMA } : {}),
    ...(process.env.DUCKLAKE_SCHEMA ? { lakeSchema: process.env.DUCKLAKE_SCHEMA } : {}),
    ...(process.env.DUCKLAKE_DATA_PATH ? { dataPath: process.env.DUCKLAKE_DATA_PATH } : {}),
    ...(tables ? { tables } : {}),
  });
  return {
    views,
    async close() {
      await views.close();
      if (db.started) await db.stop();
    },
  };
}

/** A result as an aligned text table. */
async function printTable(duck: DuckDBConnection, sql: string, out: (s: string) => void): Promise<void> {
  const r = await duck.runAndReadAll(sql);
  const names = r.columnNames();
  const rows = r
    .getRowsJson()
    .map((row) =>
      row.map((v) => (v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v))),
    );
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" │ ");
  out(line(names));
  out(widths.map((w) => "─".repeat(w)).join("─┼─"));
  for (const row of rows) out(line(row));
  out(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
}

async function runOne(v: LakeViews, sql: string, format: Format, outFile: string | undefined): Promise<void> {
  const q = sql.trim().replace(/;\s*$/, "");
  if (format === "table" && !outFile) return printTable(v.duck, q, (s) => console.log(s));
  const options =
    format === "csv"
      ? "FORMAT csv, HEADER true"
      : format === "json"
        ? "FORMAT json, ARRAY true"
        : "FORMAT parquet";
  if (format === "table")
    throw new UsageError(
      "sql: --format table writes to the terminal; give --format csv|json|parquet with --out",
    );
  if (outFile) {
    await v.duck.run(`COPY (${q}) TO ${str(outFile)} (${options})`);
    return;
  }
  // DuckDB cannot open a pipe as a file: through a temporary file to stdout.
  const dir = await mkdtemp(join(tmpdir(), "stellar-lake-sql-"));
  try {
    const file = join(dir, `out.${format}`);
    await v.duck.run(`COPY (${q}) TO ${str(file)} (${options})`);
    await pipeline(createReadStream(file), process.stdout, { end: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function describe(v: LakeViews): string {
  return v.watermark === null
    ? "snapshot: hot buffer only (nothing flushed yet)"
    : `snapshot: DuckLake ${v.snapshot}, cold ≤ ${v.watermark}, hot > ${v.watermark}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = (values.format ?? (values.out ? "csv" : "table")) as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`sql: --format must be one of ${FORMATS.join(", ")}, got '${values.format}'`);
  if (format === "parquet" && !values.out) throw new UsageError("sql: --format parquet needs --out FILE");
  const query = positionals.join(" ").trim();
  if (query) {
    // Only the tables the statement names are copied from hot.
    const named = tablesNamedIn(query);
    const lake = await lakeViewsFromEnv(named);
    try {
      await runOne(lake.views, query, format, values.out);
    } catch (err) {
      throw new UsageError(`sql: ${(err as Error).message}`);
    } finally {
      await lake.close();
    }
    return 0;
  }
  const lake = await lakeViewsFromEnv();
  let buffer = "";
  const tty = Boolean(process.stdin.isTTY);
  const rl = createInterface({
    input: process.stdin,
    ...(tty ? { output: process.stdout, terminal: true } : {}),
  });
  const prompt = () => {
    if (!tty) return;
    rl.setPrompt(buffer ? "   …> " : "sql> ");
    rl.prompt();
  };
  console.log(
    `stellar-lake sql — ${describe(lake.views)}; statements end with ';', .tables lists views, .quit leaves`,
  );
  try {
    prompt();
    for await (const line of rl) {
      const t = line.trim();
      if (!buffer && (t === ".quit" || t === ".exit")) break;
      if (!buffer && t === ".tables") console.log(lake.views.tables.map((x) => x.name).join("\n"));
      else if (t) {
        buffer += `${line}\n`;
        if (t.endsWith(";")) {
          try {
            await runOne(lake.views, buffer, format === "parquet" ? "table" : format, undefined);
          } catch (err) {
            console.error(`error: ${(err as Error).message}`);
          }
          buffer = "";
        }
      }
      prompt();
    }
  } finally {
    rl.close();
    await lake.close();
  }
  return 0;
}
