/**
 * `lake verify`: proof that the lake holds a ledger range completely — every ledger exactly once in
 * ledgers_row_v2, the hash chain unbroken (each ledger's previous-ledger hash is the prior ledger's hash), and per
 * ledger as many transaction and operation rows as its own header row counts (successful + failed transactions;
 * the whole set's operations). Read with DuckDB over the live Parquet files, in windows of ledgers (bounded
 * memory whatever the range).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { type CatalogSource, type LakeStorage, lakeFileSelect, lakeTableFiles } from "@stellar-lake/lake";

export type IssueKind = "gap" | "duplicate" | "chain" | "transactions" | "operations";

export interface Issue {
  kind: IssueKind;
  from: number;
  to: number;
  detail: string;
}

export interface VerifyResult {
  from: number;
  to: number;
  ledgers: number;
  issues: Issue[];
  snapshot: number;
}

const WINDOW = 50_000;

async function unionOf(
  cat: CatalogSource,
  duck: DuckDBConnection,
  o: {
    schema: string;
    table: string;
    column: string;
    from: number;
    to: number;
    snapshot: number;
    storage?: LakeStorage;
  },
  columns: string,
): Promise<string | undefined> {
  const t = await lakeTableFiles(cat, {
    schema: o.schema,
    table: o.table,
    snapshot: o.snapshot,
    statsColumn: o.column,
  });
  const kept = t.files.filter(
    (f) => (f.min === null || f.min <= BigInt(o.to)) && (f.max === null || f.max >= BigInt(o.from)),
  );
  if (!kept.length) return undefined;
  const selects = await Promise.all(
    kept.map(
      async (f) => `SELECT ${columns} FROM (${await lakeFileSelect(duck, o.table, t.columns, f, o.storage)})`,
    ),
  );
  return `SELECT * FROM (${selects.join(" UNION ALL ")}) WHERE "${o.column}" BETWEEN ${o.from} AND ${o.to}`;
}

const n = (v: unknown) => Number(v);

/** Verify ledgers from..to of the lake at its latest snapshot. */
export async function verifyLake(
  cat: CatalogSource,
  duck: DuckDBConnection,
  o: { schema: string; from: number; to: number; storage?: LakeStorage },
): Promise<VerifyResult> {
  const snapshot = n(
    (await cat.query(`SELECT MAX(snapshot_id) AS s FROM ${cat.t("ducklake_snapshot")}`))[0]!.s,
  );
  const issues: Issue[] = [];
  let ledgers = 0;
  let prevHash: { sequence: number; hash: string } | undefined;
  for (let a = o.from; a <= o.to; a += WINDOW) {
    const b = Math.min(o.to, a + WINDOW - 1);
    const w = { schema: o.schema, from: a, to: b, snapshot, ...(o.storage ? { storage: o.storage } : {}) };
    const l = await unionOf(
      cat,
      duck,
      { ...w, table: "ledgers_row_v2", column: "sequence" },
      "sequence, ledger_hash, previous_ledger_hash, successful_tx_count + failed_tx_count AS txs, tx_set_operation_count AS ops",
    );
    await duck.run(
      `CREATE OR REPLACE TEMP TABLE v_ledgers AS ${l ?? "SELECT NULL::BIGINT AS sequence, NULL::VARCHAR AS ledger_hash, NULL::VARCHAR AS previous_ledger_hash, NULL::INTEGER AS txs, NULL::INTEGER AS ops WHERE false"}`,
    );
    const rows = async (sql: string) => (await duck.runAndReadAll(sql)).getRowObjectsJson();
    ledgers += n((await rows("SELECT COUNT(DISTINCT sequence) AS c FROM v_ledgers"))[0]!.c);
    // Missing ledgers as ranges (gaps and islands: a run of missing sequences shares s - row_number()).
    for (const r of await rows(
      `SELECT MIN(s) AS lo, MAX(s) AS hi FROM (
         SELECT s, s - ROW_NUMBER() OVER (ORDER BY s) AS g FROM range(${a}, ${b + 1}) t(s)
         WHERE s NOT IN (SELECT sequence FROM v_ledgers)) GROUP BY g ORDER BY lo`,
    )) {
      issues.push({
        kind: "gap",
        from: n(r.lo),
        to: n(r.hi),
        detail: `ledgers ${r.lo}-${r.hi} missing (${n(r.hi) - n(r.lo) + 1})`,
      });
    }
    for (const r of await rows(
      `SELECT MIN(sequence) AS lo, MAX(sequence) AS hi, c FROM (
         SELECT sequence, c, sequence - ROW_NUMBER() OVER (PARTITION BY c ORDER BY sequence) AS g
         FROM (SELECT sequence, COUNT(*) AS c FROM v_ledgers GROUP BY sequence HAVING COUNT(*) > 1))
       GROUP BY g, c ORDER BY lo`,
    )) {
      issues.push({
        kind: "duplicate",
        from: n(r.lo),
        to: n(r.hi),
        detail: `ledgers ${r.lo}-${r.hi} stored ${r.c} times`,
      });
    }
    // The chain, across the window boundary too.
    const first = (
      await rows("SELECT sequence, previous_ledger_hash AS p FROM v_ledgers ORDER BY sequence LIMIT 1")
    )[0];
    if (prevHash && first && n(first.sequence) === prevHash.sequence + 1 && first.p !== prevHash.hash) {
      issues.push({
        kind: "chain",
        from: n(first.sequence),
        to: n(first.sequence),
        detail: `ledger ${first.sequence}'s previous-ledger hash ${first.p} is not ledger ${prevHash.sequence}'s hash ${prevHash.hash}`,
      });
    }
    for (const r of await rows(
      `SELECT c.sequence AS s, c.previous_ledger_hash AS p, x.ledger_hash AS h
       FROM v_ledgers c JOIN v_ledgers x ON x.sequence = c.sequence - 1
       WHERE c.previous_ledger_hash <> x.ledger_hash ORDER BY c.sequence LIMIT 1000`,
    )) {
      issues.push({
        kind: "chain",
        from: n(r.s),
        to: n(r.s),
        detail: `ledger ${r.s}'s previous-ledger hash ${r.p} is not ledger ${n(r.s) - 1}'s hash ${r.h}`,
      });
    }
    const last = (
      await rows("SELECT sequence, ledger_hash AS h FROM v_ledgers ORDER BY sequence DESC LIMIT 1")
    )[0];
    prevHash = last ? { sequence: n(last.sequence), hash: String(last.h) } : undefined;
    for (const [kind, table, col] of [
      ["transactions", "transactions_row_v2", "txs"],
      ["operations", "operations_row_v2", "ops"],
    ] as const) {
      const u = await unionOf(cat, duck, { ...w, table, column: "ledger_sequence" }, "ledger_sequence");
      const counted = u
        ? `SELECT ledger_sequence, COUNT(*) AS c FROM (${u}) GROUP BY ledger_sequence`
        : "SELECT NULL::BIGINT AS ledger_sequence, 0::BIGINT AS c WHERE false";
      for (const r of await rows(
        `SELECT l.sequence AS s, l.want, COALESCE(t.c, 0) AS got
         FROM (SELECT sequence, MIN(${col}) AS want FROM v_ledgers GROUP BY sequence) l
         LEFT JOIN (${counted}) t ON t.ledger_sequence = l.sequence
         WHERE COALESCE(t.c, 0) <> l.want ORDER BY l.sequence LIMIT 1000`,
      )) {
        issues.push({
          kind,
          from: n(r.s),
          to: n(r.s),
          detail: `ledger ${r.s} has ${r.got} ${table} rows, its header counts ${r.want}`,
        });
      }
    }
  }
  await duck.run("DROP TABLE IF EXISTS v_ledgers");
  issues.sort((x, y) => x.from - y.from || x.kind.localeCompare(y.kind));
  return { from: o.from, to: o.to, ledgers, issues, snapshot };
}
