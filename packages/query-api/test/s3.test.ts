/**
 * The query API over a DuckLake whose Parquet files are on S3-compatible storage (a real S3 HTTP server on a local
 * port): every endpoint of the oracle's set answers byte-identically to the same ledgers flushed to a lake on local
 * disk, at a straddling watermark and all cold; a missing object is the 503 `cold-data` naming it.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startS3, type TestS3 } from "@stellar-lake/lake/testing";
import { haveFixtures } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import {
  answers,
  apiOver,
  CORE_TEST_PASSPHRASE,
  endpoints,
  expectSameText,
  get,
  type Lake,
  lakeWith,
} from "./harness";

const FILE = "lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr";
const BUCKET = "api-lake";
const DATA_PATH = `s3://${BUCKET}/bronze-data/`;

describe.skipIf(!haveFixtures())(
  "the API over an s3:// lake answers as over the same lake on local disk",
  () => {
    let s3: TestS3;
    let local: Lake;
    let remote: Lake;
    let onLocal: ApiServer;
    let onS3: ApiServer;
    let paths: string[];
    const cacheDir = join(tmpdir(), `api-s3-cache-${process.pid}`);
    beforeAll(async () => {
      s3 = await startS3();
      await s3.createBucket(BUCKET);
      local = await lakeWith(FILE);
      remote = await lakeWith(FILE, CORE_TEST_PASSPHRASE, {
        dataPath: DATA_PATH,
        storage: s3.storage(DATA_PATH, join(tmpdir(), `api-s3-flusher-cache-${process.pid}`)),
      });
      onLocal = await apiOver(local);
      // The API finds the catalog's s3:// data path and reads through its own cache (S3 settings from its env),
      // here of about 1 KB: each query's files are pinned while it runs, evicted after, downloaded again later.
      onS3 = await apiOver(remote, s3.env(cacheDir, 0.001));
      paths = await endpoints(onLocal, local);
    });
    afterAll(async () => {
      await s3?.close();
      await rm(cacheDir, { recursive: true, force: true });
    });

    for (const c of [
      { label: "straddling (half cold)", w: (l: Lake) => Math.floor((l.first + l.last) / 2) },
      { label: "all cold", w: (l: Lake) => l.last },
    ]) {
      it(`${c.label}: every endpoint byte-identical`, async () => {
        const w = c.w(local);
        await local.flushTo(w);
        await remote.flushTo(w);
        expect((await remote.storage!.list("bronze/")).length).toBeGreaterThan(0);
        const meta = JSON.parse((await get(onS3, `/ledgers?start=${remote.first}&limit=1000`)).body).meta;
        expect(meta.cold_watermark).toBe(w);
        expect(meta.cold_files).toBeGreaterThan(0);
        const a = await answers(onS3, paths);
        const b = await answers(onLocal, paths);
        for (const p of paths) expectSameText(a.get(p), b.get(p), p);
      });
    }

    it("a missing object is a 503 cold-data naming it", async () => {
      const files = (await remote.storage!.list("bronze/ledgers_row_v2/")).map((o) => o.path);
      expect(files.length).toBeGreaterThan(0);
      const gone = files[0]!;
      // Gone from the bucket and from the API's cache.
      await remote.storage!.delete(gone);
      await rm(join(cacheDir, BUCKET, "bronze-data", gone), { force: true });
      const r = await get(onS3, `/ledgers?start=${remote.first}&end=${remote.last}`);
      expect(r.status).toBe(503);
      const body = JSON.parse(r.body) as { store: string; detail: string };
      expect(body.store).toBe("cold-data");
      expect(body.detail).toContain(`${DATA_PATH}${gone}`);
      expect(body.detail).not.toContain("S3RVER");
    });
  },
);
