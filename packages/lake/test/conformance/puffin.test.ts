/**
 * Conformance: deletion vectors. With `WRITE_DELETION_VECTORS` the extension writes deletes as Puffin files
 * holding an Iceberg `deletion-vector-v1` blob (its src/storage/ducklake_deletion_vector.cpp: big-endian length,
 * magic D1 D3 39 64, a 64-bit roaring bitmap, CRC-32) and registers them in `ducklake_delete_file` with
 * format 'puffin'. The project's reader does not read them: it refuses, naming the file and the feature, and never
 * returns the rows as if nothing were deleted. No extension-written Puffin file ships as a fixture; the file here
 * is built by the Puffin spec.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCatalog, LakeReadError, lakeTableFiles, pgCatalog, readLakeTable } from "../../src/index";
import { Extension } from "./extension";

let c: pg.Client;
let duck: DuckDBConnection;
let dir: string;
const meta = "dv_meta";

beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("puffin")).url });
  await c.connect();
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  dir = await mkdtemp(join(tmpdir(), "conform-puffin-"));
  await ensureCatalog(c, { schema: meta, dataPath: `${dir}/`, createdBy: "test" });
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

/** A Puffin file with one deletion-vector-v1 blob deleting `positions` (< 2^16, one array container). */
function puffinFile(positions: number[]): Buffer {
  const bitmap = Buffer.alloc(4 + 4 + 4 + positions.length * 2);
  bitmap.writeUInt32LE(12346, 0); // SERIAL_COOKIE_NO_RUNCONTAINER
  bitmap.writeUInt32LE(1, 4); // one container
  bitmap.writeUInt16LE(0, 8); // key 0
  bitmap.writeUInt16LE(positions.length - 1, 10); // cardinality − 1
  const offsets = Buffer.alloc(4);
  offsets.writeUInt32LE(0, 0);
  const values = Buffer.alloc(positions.length * 2);
  for (const [i, p] of positions.entries()) values.writeUInt16LE(p, i * 2);
  const body = Buffer.concat([
    Buffer.from([0xd1, 0xd3, 0x39, 0x64]),
    Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]), // one 32-bit bitmap
    Buffer.from([0, 0, 0, 0]), // its key (high bits 0)
    bitmap.subarray(0, 12),
    offsets,
    values,
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  const blob = Buffer.concat([len, body, Buffer.alloc(4)]);
  const footer = Buffer.from(
    JSON.stringify({ blobs: [{ type: "deletion-vector-v1", fields: [], offset: 4, length: blob.length }] }),
  );
  const size = Buffer.alloc(4);
  size.writeUInt32LE(footer.length, 0);
  const magic = Buffer.from("PFA1");
  return Buffer.concat([magic, blob, magic, footer, size, Buffer.alloc(4), magic]);
}

describe("deletion vectors (Puffin)", () => {
  it("are refused with an error naming the file and the feature, never read as no deletes (item 8)", async () => {
    const ext = new Extension(c, duck, meta);
    const tableId = await ext.createTable("t", [{ name: "id", type: "int64" }]);
    const [, fileId] = await ext.insert("t", "SELECT i AS id FROM range(10) r(i)");
    await writeFile(join(dir, "main", "t", "ducklake-dv.puffin"), puffinFile([2, 5]));
    const S = await ext.commit(`deleted_from_table:${tableId}`, async (S, snap) => {
      await c.query(
        `INSERT INTO ${meta}.ducklake_delete_file VALUES ($1, $2, $3, NULL, $4, 'ducklake-dv.puffin', true, 'puffin', 2, 100, 50, NULL, NULL)`,
        [snap.nextFileId, tableId, S, fileId],
      );
      return { nextFileId: snap.nextFileId + 1 };
    });
    const cat = pgCatalog(c, meta);
    const err = await readLakeTable(cat, duck, { table: "t", snapshot: S }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LakeReadError);
    expect((err as Error).message).toMatch(
      /delete file .*main\/t\/ducklake-dv\.puffin of table 't' is a deletion vector \(Puffin, WRITE_DELETION_VECTORS\)/,
    );
    // The scan plan (the query API's) refuses the same way; before the delete everything reads.
    await expect(lakeTableFiles(cat, { table: "t", snapshot: S })).rejects.toThrow(/deletion vector/);
    expect((await readLakeTable(cat, duck, { table: "t", snapshot: S - 1 })).rows).toHaveLength(10);
  });
});
