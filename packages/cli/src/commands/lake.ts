import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { parseSize } from "@stellar-lake/flusher";
import {
  catalogDataPath,
  catalogExists,
  cleanupOldFiles,
  expireSnapshots,
  lakeStorage,
  liveTableFiles,
  maintainLake,
  recentSnapshots,
  scheduledFileCount,
} from "@stellar-lake/lake";
import { parseDuration } from "@stellar-lake/runtime";
import { ident, redactUrl } from "@stellar-lake/schema";
import pg from "pg";

export const summary =
  "the DuckLake bronze catalog: lake info (snapshots, files, rows per table), lake compact, lake cleanup, lake expire, lake verify, lake repair";

const HELP = `usage: pnpm stellar-lake lake info | compact [--older-than D] [--target-size S] | cleanup --older-than D
       | expire --older-than D | verify [--from A --to B] | repair --from A --to B [--datastore DIR|URL] [--job-size N]

  info      the latest snapshots with their flush state, and files / rows / bytes per bronze table
  compact   merge each bronze table's small adjacent files into files of about --target-size (default 128MB) in
            one snapshot; with --older-than also delete the files compaction replaced at least D ago (e.g. 24h)
  cleanup   delete the files scheduled for deletion (replaced by compaction, or left by expired snapshots) at
            least --older-than ago (e.g. 24h, 0s); older snapshots keep reading the merged files
  expire    expire the snapshots taken at least --older-than ago (never the latest): reading one is then an
            error, and files only they could see are scheduled for deletion (ducklake_expire_snapshots)
  verify    prove ledgers A..B (default: the lake's whole history) are complete: each exactly once in
            ledgers_row_v2, the hash chain unbroken, transaction and operation rows as each ledger counts them;
            gaps, duplicates and breaks are printed with their ledger ranges and the exit code is 1
  repair    re-derive the jobs verify finds wrong from the datastore (LEDGER_DATASTORE or --datastore) and
            replace their files in one snapshot (the backfill queue's job ranges, else --job-size boundaries)

environment: DUCKLAKE_CATALOG_URL (PostgreSQL), DUCKLAKE_METADATA_SCHEMA (default bronze_meta),
DUCKLAKE_SCHEMA (default bronze). The data path is the catalog's own (ducklake_metadata data_path): a local
directory, or s3://bucket/prefix/ with the S3 settings of \`flush --help\`.
compact and cleanup can run next to a running flusher: commits are serialised, and Parquet files not yet
registered are left alone unless older than 6 hours.`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      "older-than": { type: "string" },
      "target-size": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      datastore: { type: "string" },
      "job-size": { type: "string" },
    },
  });
  const cmd = positionals[0];
  if (values.help || !["info", "compact", "cleanup", "expire", "verify", "repair"].includes(cmd ?? "")) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if ((cmd === "cleanup" || cmd === "expire") && values["older-than"] === undefined) {
    console.error(
      cmd === "cleanup"
        ? "lake cleanup: --older-than is required (e.g. 24h; 0s deletes every replaced file now)"
        : "lake expire: --older-than is required (e.g. 30d)",
    );
    return 2;
  }
  const url = process.env.DUCKLAKE_CATALOG_URL;
  if (!url) {
    console.error(`lake ${cmd}: set DUCKLAKE_CATALOG_URL (the catalog's PostgreSQL URL)`);
    return 2;
  }
  const metaSchema = process.env.DUCKLAKE_METADATA_SCHEMA ?? "bronze_meta";
  const lakeSchema = process.env.DUCKLAKE_SCHEMA ?? "bronze";
  if (cmd === "verify" || cmd === "repair") {
    const int = (v: string | undefined, what: string) => {
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v)) throw new Error(`lake ${cmd}: ${what} must be a ledger number, got '${v}'`);
      return Number(v);
    };
    const a = {
      catalogUrl: url,
      metaSchema,
      lakeSchema,
      ...(values.from !== undefined ? { from: int(values.from, "--from")! } : {}),
      ...(values.to !== undefined ? { to: int(values.to, "--to")! } : {}),
      ...(values.datastore ? { datastore: values.datastore } : {}),
      ...(values["job-size"] ? { jobSize: int(values["job-size"], "--job-size")! } : {}),
    };
    // Loaded only here: it brings the transform and the queue, which the other sub-commands do not need.
    const { repairCommand, verifyCommand } = await import("../lake-verify");
    return cmd === "verify" ? await verifyCommand(a) : await repairCommand(a);
  }
  const schema = ident(metaSchema);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    if (!(await catalogExists(c, metaSchema))) {
      console.log(`no DuckLake catalog in ${schema} at ${redactUrl(url)}`);
      return 0;
    }
    if (cmd === "info") return await info(c, url, metaSchema);
    if (cmd === "expire") {
      const r = await expireSnapshots({
        catalog: c,
        metaSchema,
        olderThanMs: parseDuration(values["older-than"]!, "--older-than"),
      });
      console.log(
        JSON.stringify({ expired_snapshots: r.expiredSnapshots.length, scheduled_files: r.scheduledFiles }),
      );
      return 0;
    }
    const dataPath = await catalogDataPath(c, metaSchema);
    if (!dataPath.startsWith("/") && !dataPath.startsWith("s3://")) {
      console.error(
        `lake ${cmd}: the catalog's data_path '${dataPath}' is neither a local absolute directory nor s3://`,
      );
      return 1;
    }
    const storage = lakeStorage(dataPath);
    const olderThan = values["older-than"];
    const retentionMs = olderThan === undefined ? undefined : parseDuration(olderThan, "--older-than");
    if (cmd === "cleanup") {
      const r = await cleanupOldFiles({
        catalog: c,
        metaSchema,
        dataPath,
        storage,
        olderThanMs: retentionMs!,
      });
      console.log(
        JSON.stringify({
          deleted_files: r.deletedFiles.length,
          expired_snapshots: r.expiredSnapshots.length,
        }),
      );
      return 0;
    }
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const r = await maintainLake({
      catalog: c,
      duck,
      metaSchema,
      lakeSchema,
      dataPath,
      storage,
      ...(retentionMs !== undefined ? { retentionMs } : {}),
      targetFileBytes: parseSize(values["target-size"] ?? "128MB", "--target-size"),
      orphanGraceMs: 6 * 3600_000,
    });
    console.log(
      JSON.stringify({
        snapshot: r.compact.snapshotId ?? null,
        tables: r.compact.tables,
        seconds: +r.compact.seconds.toFixed(3),
        ...(r.cleanup
          ? {
              deleted_files: r.cleanup.deletedFiles.length,
              expired_snapshots: r.cleanup.expiredSnapshots.length,
            }
          : {}),
      }),
    );
    return 0;
  } finally {
    await c.end();
  }
}

async function info(c: pg.Client, url: string, metaSchema: string): Promise<number> {
  console.log(`catalog ${redactUrl(url)} (${ident(metaSchema)}); latest snapshots:`);
  for (const r of await recentSnapshots(c, metaSchema, 10)) {
    const changes = r.changesMade;
    console.log(
      `  ${String(r.snapshotId).padStart(6)}  ${r.snapshotTime.toISOString()}  schema v${r.schemaVersion}  ${r.commitExtraInfo ?? (changes.length > 60 ? `${changes.slice(0, 57)}...` : changes)}`,
    );
  }
  console.log("tables:");
  for (const r of await liveTableFiles(c, metaSchema)) {
    console.log(
      `  ${r.table.padEnd(32)} ${String(r.files).padStart(6)} files ${String(r.rows).padStart(12)} rows ${String(r.bytes).padStart(14)} bytes`,
    );
  }
  console.log(
    `files scheduled for deletion (replaced by compaction), awaiting cleanup: ${await scheduledFileCount(c, metaSchema)}`,
  );
  return 0;
}
