/**
 * Bounded memory, measured: one `backfill work` process over RSS_LEDGERS (default 10,000) re-sequenced mainnet
 * 53312000 ledgers, its resident set sampled every 250 ms. Prints the peak (the target: < 1 GB whatever the
 * range). A script, not a timed test: `pnpm --filter @stellar-lake/backfill rss` (minutes on a quiet machine).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { fixture, startBenchPostgres } from "@stellar-lake/test-support";
import { backfillRun } from "../bench/backfill";

const PUBNET = "Public Global Stellar Network ; September 2015";
const count = Number(process.env.RSS_LEDGERS ?? 10_000);
const dir = await mkdtemp(join(tmpdir(), "backfill-rss-"));
const server = await startBenchPostgres("backfill-rss");
try {
  const base = await readLedgerFile(fixture("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd"));
  const ds = join(dir, "ds");
  await writeDatastore(
    ds,
    resequence(
      base.map((b) => b.xdr),
      { start: 1_000_000, count, closeTimeStart: 1_725_000_000 },
    ),
    { networkPassphrase: PUBNET, ledgersPerBatch: 1, batchesPerPartition: 64000 },
  );
  const r = await backfillRun({
    workers: 1,
    adminUrl: server.adminUrl,
    ds,
    count,
    jobSize: Number(process.env.RSS_JOB_SIZE ?? 1000),
  });
  console.log(JSON.stringify({ ...r, target_peak_rss_mib: 1024, met: r.peak_worker_rss_mib! < 1024 }));
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
