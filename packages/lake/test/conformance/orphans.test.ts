/**
 * Conformance: the orphan sweep on a lake another writer shares. When the flusher starts it removes the Parquet
 * files its own crashed flushes left (no catalog row). A file the extension is writing has no catalog row either
 * until its transaction commits — deleting it would lose that commit's data — so files the project did not
 * write (the extension names them `ducklake-<uuid v7>.parquet`, with `-delete` for delete files; this project
 * `ducklake-<uuid v4>.parquet`) are only swept once they are older than the foreign-file grace period.
 */
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteOrphanFiles, ensureCatalog, ensureLakeTables, FOREIGN_ORPHAN_GRACE_MS } from "../../src/index";
import { ledgers } from "./lake";

let c: pg.Client;
let dir: string;
const meta = "orph_meta";

beforeAll(async () => {
  c = new pg.Client({ connectionString: (await freshDatabase("orphans")).url });
  await c.connect();
  dir = await mkdtemp(join(tmpdir(), "conform-orphans-"));
  await ensureCatalog(c, { schema: meta, dataPath: `${dir}/`, createdBy: "test" });
  await ensureLakeTables(c, { metaSchema: meta, lakeSchema: "main", tables: [ledgers] });
});
afterAll(async () => {
  await c?.end();
  await rm(dir, { recursive: true, force: true });
});

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe("the orphan sweep and another writer's files", () => {
  it("removes the project's own orphans at once, the extension's in-flight files only after the grace period", async () => {
    const folder = join(dir, "main", "ledgers");
    await mkdir(folder, { recursive: true });
    const ours = join(folder, "ducklake-3f0c2a4e-9b1d-4c6e-8f2a-1b2c3d4e5f60.parquet");
    const theirs = join(folder, "ducklake-019f75dd-c8a4-7f4a-8de5-e6e55cb5c52c.parquet");
    const theirDelete = join(folder, "ducklake-019f75dd-c8a4-7f4a-8de5-e6e55cb5c52d-delete.parquet");
    const theirOld = join(folder, "ducklake-019f75dd-c8a4-7f4a-8de5-e6e55cb5c52e.parquet");
    for (const f of [ours, theirs, theirDelete, theirOld]) await writeFile(f, "PAR1");
    const old = (Date.now() - FOREIGN_ORPHAN_GRACE_MS - 60_000) / 1000;
    await utimes(theirOld, old, old);
    const deleted = await deleteOrphanFiles({
      catalog: c,
      metaSchema: meta,
      lakeSchema: "main",
      dataPath: `${dir}/`,
      olderThanMs: 0,
    });
    expect(deleted.sort()).toEqual([ours, theirOld].sort());
    expect(await exists(theirs)).toBe(true);
    expect(await exists(theirDelete)).toBe(true);
    expect(await exists(ours)).toBe(false);
  });
});
