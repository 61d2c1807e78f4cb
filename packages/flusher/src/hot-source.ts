/**
 * The hot buffer side of a flush: which ledgers may move (the watermark), exporting a table's rows for a
 * ledger range, and deleting them once they are safely in cold storage.
 */
import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ingesterNowSql } from "@stellar-lake/pipeline-state";
import { dataTables, ident as q, type TableDef } from "@stellar-lake/schema";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

/**
 * The flush watermark: the highest ledger L such that every ledger in (after, L] is in the hot buffer and was
 * ingested at least `minAgeMs` ago (ingestion time, not close time: replayed ledgers are old on arrival).
 * The age is measured on the ingester's clock (`ingesterNowSql`: its stamp of the last batch plus the time
 * PostgreSQL counted since), never the ingester's stamp against PostgreSQL's now(): hosts' clocks differ.
 * The ingester commits whole ledgers in order, so the ledgers table alone decides. `after` undefined: start
 * from the oldest hot ledger. `maxLedgers` caps one flush (a backfill moves in bounded steps). Returns undefined
 * when nothing is ready.
 */
export async function flushWatermark(
  client: pg.ClientBase,
  after: number | undefined,
  minAgeMs: number,
  maxLedgers?: number,
): Promise<{ from: number; to: number } | undefined> {
  const lo =
    after ??
    Number(
      (await client.query("SELECT COALESCE(MIN(sequence) - 1, -1)::bigint AS m FROM ledgers_row_v2")).rows[0]
        .m,
    );
  if (lo < 0) return undefined;
  // Consecutive ledgers from lo + 1: sequence - row_number() stays equal to lo until the first gap.
  const r = await client.query(
    `SELECT MAX(sequence)::bigint AS w FROM (
       SELECT sequence, sequence - ROW_NUMBER() OVER (ORDER BY sequence) AS grp
       FROM ledgers_row_v2
       WHERE sequence > $1
         AND ingestion_timestamp <= ${ingesterNowSql()} - make_interval(secs => $2::double precision / 1000)
     ) x WHERE grp = $1`,
    [lo, minAgeMs],
  );
  const w = r.rows[0].w === null ? undefined : Number(r.rows[0].w);
  if (w === undefined) return undefined;
  return { from: lo + 1, to: maxLedgers && maxLedgers > 0 ? Math.min(w, lo + maxLedgers) : w };
}

/**
 * The row count of a `COPY … TO STDOUT` stream, from the server's CommandComplete (`COPY n`). pg-copy-streams
 * ends the stream at CopyDone and sets `rowCount` (initially 0) only when it parses the CommandComplete after it
 * — which may come in a later socket read than CopyDone (a loaded machine, a network), after the stream has
 * ended and its file is written. Reading `rowCount` then gives 0 for a table that has rows: wait for the count.
 */
export function copyRowCount(stream: ReturnType<typeof copyTo>): Promise<number> {
  const submittable = stream as unknown as { handleCommandComplete(msg: { text?: string }): void };
  const handle = submittable.handleCommandComplete.bind(stream);
  const count = new Promise<number>((resolve, reject) => {
    submittable.handleCommandComplete = (msg) => {
      handle(msg);
      const m = /^COPY ([0-9]+)$/.exec(msg?.text ?? "");
      if (m) resolve(Number(m[1]));
      else reject(new Error(`COPY ended without a row count (command tag '${msg?.text}')`));
    };
    stream.once("error", reject);
  });
  count.catch(() => {}); // a failed COPY rejects the pipeline first; this one is then not awaited
  return count;
}

/**
 * The hot rows of `t` for ledgers from..to as CSV (NULL written as an unquoted \N; see exportCsvOptions); returns
 * how many rows the server sent. A flush writes (and later deletes) a table's rows by this count.
 */
export async function exportRange(
  client: pg.ClientBase,
  t: TableDef,
  from: number,
  to: number,
  csvPath: string,
): Promise<number> {
  const cols = t.columns.map((c) => q(c.name)).join(", ");
  const order = [t.sequenceColumn!, ...t.key.filter((k) => k !== t.sequenceColumn)].map(q).join(", ");
  const sql = `COPY (SELECT ${cols} FROM public.${q(t.name)} WHERE ${q(t.sequenceColumn!)} BETWEEN ${Number(from)} AND ${Number(to)} ORDER BY ${order}) TO STDOUT (FORMAT csv, NULL '\\N')`;
  const stream = client.query(copyTo(sql));
  const rows = copyRowCount(stream);
  const sink = fileSink(csvPath);
  await pipeline(stream, sink.stream);
  if (sink.error()) {
    throw new Error(`export of table '${t.name}' to ${csvPath} failed: ${sink.error()!.message}`);
  }
  return await rows;
}

/**
 * A file for a COPY's output that never stops the COPY: when the file fails (a full disk), the rest of the COPY
 * is read and dropped, so the connection ends its COPY and stays usable (a COPY abandoned mid-stream leaves it
 * busy forever: the flush's COMMIT would wait on it). The caller checks `error()` after the COPY ended.
 */
function fileSink(path: string): { stream: Writable; error: () => Error | undefined } {
  const file = createWriteStream(path);
  let failed: Error | undefined;
  let waiting: (() => void) | undefined;
  const resume = () => {
    const cb = waiting;
    waiting = undefined;
    cb?.();
  };
  file.on("error", (err) => {
    failed ??= err;
    resume();
  });
  file.on("drain", resume);
  const stream = new Writable({
    write(chunk, _encoding, cb) {
      if (failed || file.write(chunk)) return cb();
      waiting = cb;
    },
    final(cb) {
      if (failed) return cb();
      file.end();
      file.once("finish", () => cb());
      file.once("error", () => cb());
    },
  });
  return { stream, error: () => failed };
}

/** DuckDB `read_csv` options matching exportRange's output (quoted "\N" is text, not NULL). */
export const exportCsvOptions =
  "header=false, nullstr='\\N', allow_quoted_nulls=false, quote='\"', escape='\"'";

/**
 * Delete flushed ledgers (≤ w) from every hot table. When w + 1 starts a 10,000-ledger bucket the contract's
 * `cleanup_flushed_data` removes whole buckets; otherwise a delete bounded by sequence. Idempotent: it also
 * finishes a delete interrupted by a crash.
 */
export async function deleteFlushed(
  client: pg.ClientBase,
  w: number,
  failpoint?: (name: string) => void,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await client.query("BEGIN");
  try {
    if ((w + 1) % 10000 === 0) {
      const r = await client.query("SELECT table_name, deleted_rows FROM cleanup_flushed_data($1)", [
        w - 9999,
      ]);
      for (const row of r.rows) out[row.table_name] = Number(row.deleted_rows);
    } else {
      for (const [i, t] of dataTables.entries()) {
        if (i === Math.floor(dataTables.length / 2)) failpoint?.("mid-delete");
        const r = await client.query(`DELETE FROM public.${q(t.name)} WHERE ${q(t.sequenceColumn!)} <= $1`, [
          w,
        ]);
        out[t.name] = r.rowCount ?? 0;
      }
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
  return out;
}

/** Rows still in the hot buffer per table (for /metrics: hot rows pending). */
export async function hotRowCounts(client: pg.ClientBase): Promise<Record<string, number>> {
  const r = await client.query("SELECT table_name, row_count FROM get_high_watermark()");
  return Object.fromEntries(r.rows.map((x) => [x.table_name, Number(x.row_count)]));
}
