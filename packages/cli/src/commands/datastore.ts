import { parseArgs } from "node:util";
import { type LedgerBlob, readLedgerFile } from "@stellar-lake/lcm-io";
import { resequence, writeDatastore } from "@stellar-lake/ledger-source";
import { resolvePassphrase } from "@stellar-lake/runtime";

export const summary = "write Galexie datastores: build <files…> | resequence <files…> (derived test data)";

const HELP = `usage:
  pnpm stellar-lake datastore build <files…> --to DIR [--ledgers-per-file N] [--files-per-partition M] [--network NAME]
  pnpm stellar-lake datastore resequence <files…> --to DIR --count N --start S [--ledgers-per-file N] [--network NAME]

build       writes the ledgers of Galexie batches or framed streams (any mix, zstd or plain) as a datastore
resequence  writes N contiguous ledgers from S by re-sequencing the given real ledgers (header sequence,
            previous-hash chain, close time +5 s each; transactions kept). DERIVED data for benchmarks and soak
            tests: the ledgers are real transaction mixes, not a real network history.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: "string" },
      "ledgers-per-file": { type: "string" },
      "files-per-partition": { type: "string" },
      count: { type: "string" },
      start: { type: "string" },
      network: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [action, ...files] = positionals;
  if (values.help || !action) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const int = (v: string | undefined, name: string, dflt?: number): number => {
    if (v === undefined) {
      if (dflt === undefined) throw new Error(`datastore ${action}: ${name} is required`);
      return dflt;
    }
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`datastore ${action}: ${name} must be a positive integer, got '${v}'`);
    return n;
  };
  if (!values.to) throw new Error(`datastore ${action}: --to DIR is required`);
  if (files.length === 0) throw new Error(`datastore ${action}: give at least one ledger file`);
  const blobs: LedgerBlob[] = [];
  for (const f of files) blobs.push(...(await readLedgerFile(f)));
  blobs.sort((a, b) => a.sequence - b.sequence);
  const opts = {
    networkPassphrase: resolvePassphrase(values.network ?? process.env.NETWORK_PASSPHRASE ?? "pubnet"),
    ledgersPerBatch: int(values["ledgers-per-file"], "--ledgers-per-file", 1),
    batchesPerPartition: int(values["files-per-partition"], "--files-per-partition", 1),
  };
  const t0 = Date.now();
  let result: Awaited<ReturnType<typeof writeDatastore>>;
  if (action === "build") {
    const unique = blobs.filter((b, i) => i === 0 || b.sequence !== blobs[i - 1]!.sequence);
    result = await writeDatastore(values.to, unique, opts);
  } else if (action === "resequence") {
    const ledgers = resequence(
      blobs.map((b) => b.xdr),
      { start: int(values.start, "--start"), count: int(values.count, "--count") },
    );
    result = await writeDatastore(values.to, ledgers, opts);
  } else {
    console.error(`datastore: unknown action '${action}'\n\n${HELP}`);
    return 2;
  }
  console.log(
    `wrote ${result.ledgers} ledgers (${result.first}..${result.last}) in ${result.files} files to ${values.to} in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
  return 0;
}
