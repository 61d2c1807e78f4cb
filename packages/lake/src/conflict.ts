/**
 * Writing to a lake that other writers share (DuckDB with the ducklake extension, MotherDuck, another
 * stellar-lake process): DuckLake's concurrency is optimistic — a commit takes snapshot id latest + 1, a primary
 * key, and whoever inserts it second fails. A writer here claims its snapshot row FIRST in its transaction, so
 * from then on no other commit can land before it (a concurrent one needs the same id and waits, then fails and
 * retries, as the extension does); what it reads afterwards — next ids, row ids, table stats, inlined deletes — is
 * everything committed before it. What it planned earlier (the columns it wrote files with, the files it
 * merges) is checked again against the catalog after the claim; a change is a `LakeConflictError` naming it,
 * and the transaction commits nothing.
 */
import type pg from "pg";

export class LakeConflictError extends Error {
  override readonly name = "LakeConflictError";
}

export interface NewSnapshot {
  id: number;
  schemaVersion: number;
  nextCatalogId: number;
  nextFileId: number;
}

/**
 * Insert the snapshot row (call right after reading the latest snapshot, inside the writing transaction). A
 * concurrent commit of the same id (the primary key), or a deadlock with one, becomes a LakeConflictError.
 */
export async function claimSnapshot(
  client: pg.ClientBase,
  s: string,
  snap: NewSnapshot,
  what: string,
): Promise<void> {
  try {
    await client.query(`INSERT INTO ${s}.ducklake_snapshot VALUES ($1, now(), $2, $3, $4)`, [
      snap.id,
      snap.schemaVersion,
      snap.nextCatalogId,
      snap.nextFileId,
    ]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "23505" || code === "40P01" || code === "40001") {
      throw new LakeConflictError(
        `${what}: another writer committed snapshot ${snap.id} of the lake first; nothing committed (the next run starts from its snapshot)`,
      );
    }
    throw err;
  }
}

export interface PlannedColumn {
  id: number;
  name: string;
  type: string;
}

/** The table's live top-level columns, in column order. */
export async function liveColumns(
  client: pg.ClientBase,
  s: string,
  tableId: number,
): Promise<PlannedColumn[]> {
  const r = await client.query(
    `SELECT column_id, column_name, column_type FROM ${s}.ducklake_column
     WHERE table_id = $1 AND end_snapshot IS NULL AND parent_column IS NULL ORDER BY column_order, column_id`,
    [tableId],
  );
  return r.rows.map((c) => ({
    id: Number(c.column_id),
    name: String(c.column_name),
    type: String(c.column_type),
  }));
}

/** What changed between `planned` and `live` columns, in words; empty when they are the same. */
export function columnChanges(
  planned: readonly PlannedColumn[],
  live: readonly PlannedColumn[],
  o: { allowAdded?: boolean } = {},
): string[] {
  const out: string[] = [];
  const byId = new Map(live.map((c) => [c.id, c]));
  for (const p of planned) {
    const l = byId.get(p.id);
    if (!l) out.push(`column ${p.name} dropped`);
    else if (l.name !== p.name) out.push(`column ${p.name} renamed to ${l.name}`);
    else if (l.type !== p.type) out.push(`column ${p.name} changed from ${p.type} to ${l.type}`);
  }
  if (!o.allowAdded) {
    const known = new Set(planned.map((p) => p.id));
    for (const l of live) if (!known.has(l.id)) out.push(`column ${l.name} (${l.type}) added`);
  }
  return out;
}

/**
 * The tables must still be live with the columns a write was planned with (`allowAdded`: columns added since
 * are fine — a file without them reads them as the column's default, as DuckLake defines); else a
 * LakeConflictError naming the table and the change (`what` says which write). Two statements for all tables.
 */
export async function assertTablesUnchanged(
  client: pg.ClientBase,
  s: string,
  tables: readonly { tableId: number; name: string; columns: readonly PlannedColumn[] }[],
  o: { what: string; allowAdded?: boolean },
): Promise<void> {
  if (tables.length === 0) return;
  const ids = tables.map((t) => t.tableId);
  const liveTables = new Set(
    (
      await client.query(
        `SELECT table_id FROM ${s}.ducklake_table WHERE table_id = ANY($1::bigint[]) AND end_snapshot IS NULL`,
        [ids],
      )
    ).rows.map((r) => Number(r.table_id)),
  );
  const cols = new Map<number, PlannedColumn[]>();
  for (const r of (
    await client.query(
      `SELECT table_id, column_id, column_name, column_type FROM ${s}.ducklake_column
       WHERE table_id = ANY($1::bigint[]) AND end_snapshot IS NULL AND parent_column IS NULL ORDER BY column_order, column_id`,
      [ids],
    )
  ).rows) {
    const list = cols.get(Number(r.table_id)) ?? [];
    list.push({ id: Number(r.column_id), name: String(r.column_name), type: String(r.column_type) });
    cols.set(Number(r.table_id), list);
  }
  for (const t of tables) {
    const changes = liveTables.has(t.tableId)
      ? columnChanges(t.columns, cols.get(t.tableId) ?? [], { allowAdded: o.allowAdded ?? false })
      : ["the table was dropped"];
    if (changes.length) {
      throw new LakeConflictError(
        `${o.what}: table '${t.name}' (table id ${t.tableId}) was changed by another writer: ${changes.join(", ")}; nothing committed`,
      );
    }
  }
}
