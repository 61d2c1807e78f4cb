/** `lake verify` and `lake repair` (the backfill package's verifyLake / repairLake), for commands/lake.ts. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BackfillQueue, coldRange, openDuck, openLake, repairLake, verifyLake } from "@stellar-lake/backfill";
import { TransformPool } from "@stellar-lake/ingester";
import { pgCatalog } from "@stellar-lake/lake";
import { openDatastoreAt } from "@stellar-lake/ledger-source";
import { networkName } from "@stellar-lake/runtime";
import pg from "pg";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface VerifyArgs {
  catalogUrl: string;
  metaSchema: string;
  lakeSchema: string;
  from?: number;
  to?: number;
  datastore?: string;
  jobSize?: number;
}

function lakeTarget(a: VerifyArgs) {
  return {
    catalogUrl: a.catalogUrl,
    metaSchema: a.metaSchema,
    lakeSchema: a.lakeSchema,
    dataPath: process.env.DUCKLAKE_DATA_PATH ?? join(repoRoot, ".data", "lake"),
  };
}

/** Print the verdict; 0 when the range is complete, 1 with every issue printed, 2 for bad arguments. */
export async function verifyCommand(a: VerifyArgs): Promise<number> {
  const lake = await openLake(lakeTarget(a));
  const duck = await openDuck();
  try {
    const cold = await coldRange(lake.catalog, a.metaSchema);
    const from = a.from ?? cold?.oldest;
    const to = a.to ?? cold?.watermark;
    if (from === undefined || to === undefined) {
      console.log("lake verify: the lake holds no ledgers yet (nothing to verify)");
      return 0;
    }
    if (to < from) {
      console.error(`lake verify: --to ${to} is below --from ${from}`);
      return 2;
    }
    const r = await verifyLake(pgCatalog(lake.catalog, a.metaSchema), duck, {
      schema: a.lakeSchema,
      from,
      to,
      storage: lake.storage,
    });
    for (const i of r.issues) console.log(`${i.kind}: ${i.detail}`);
    console.log(
      `lake verify ${from}-${to} (snapshot ${r.snapshot}): ${r.ledgers} of ${to - from + 1} ledgers present, ${r.issues.length ? `${r.issues.length} issue(s)` : "complete: each ledger once, hash chain unbroken, transaction and operation rows as counted"}`,
    );
    return r.issues.length ? 1 : 0;
  } finally {
    duck.closeSync();
    await lake.close();
  }
}

export async function repairCommand(a: VerifyArgs): Promise<number> {
  if (a.from === undefined || a.to === undefined) {
    console.error("lake repair: --from and --to are required");
    return 2;
  }
  const loc = a.datastore ?? process.env.LEDGER_DATASTORE;
  if (!loc) {
    console.error(
      "lake repair: pass --datastore DIR|URL or set LEDGER_DATASTORE (the ledgers are re-derived from it)",
    );
    return 2;
  }
  const ds = openDatastoreAt(loc);
  const passphrase = (await ds.manifest()).networkPassphrase;
  const lake = await openLake(lakeTarget(a));
  const duck = await openDuck(process.env.BACKFILL_DUCKDB_MEMORY ?? "512MB");
  const queueUrl = process.env.BACKFILL_QUEUE_URL ?? a.catalogUrl;
  const probe = new pg.Client({ connectionString: queueUrl });
  await probe.connect();
  const hasQueue = Boolean(
    (await probe.query("SELECT to_regclass('stellar_backfill.job') AS t").finally(() => probe.end())).rows[0]
      .t,
  );
  const queue = hasQueue ? await BackfillQueue.open(queueUrl) : undefined;
  const network = networkName(passphrase);
  const pool = new TransformPool({
    module: fileURLToPath(import.meta.resolve("@stellar-lake/backfill/transformer")),
    config: {
      passphrase,
      stamp: { eraId: process.env.ERA_ID ?? network, versionLabel: process.env.VERSION_LABEL ?? "v1" },
    },
    size: 1,
  });
  try {
    const r = await repairLake({
      lake,
      duck,
      from: a.from,
      to: a.to,
      ...(a.jobSize ? { jobSize: a.jobSize } : {}),
      ...(queue ? { queue } : {}),
      job: { datastore: ds, pool, workDir: join(repoRoot, ".data", "repair") },
      log: (l) => console.error(l),
    });
    for (const i of r.issues) console.log(`${i.kind}: ${i.detail}`);
    if (r.snapshotId === undefined) {
      console.log(`lake repair ${a.from}-${a.to}: nothing to repair`);
      return 0;
    }
    console.log(
      JSON.stringify({
        repaired: r.ranges.map((x) => [x.first, x.last]),
        snapshot: r.snapshotId,
        replaced_files: r.replacedFiles,
        new_files: r.newFiles,
      }),
    );
    return 0;
  } finally {
    await pool.close();
    await queue?.close();
    duck.closeSync();
    await lake.close();
  }
}
