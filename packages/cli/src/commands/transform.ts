import { parseArgs } from "node:util";
import { resolvePassphrase } from "@stellar-lake/runtime";
import { transformFiles } from "@stellar-lake/transform";

export const summary = "transform ledger files to NDJSON per table (hot-buffer rows or Hubble records)";

const HELP = `usage: pnpm stellar-lake transform <file...> --out DIR [--network NAME|PASSPHRASE] [--format rows|hubble]

  files       Galexie batches (*.xdr.zst, *.xdr.zstd, *.xdr) or framed streams (*.framed.xdr[.zstd], core test
              .xdr files): the container is detected from the content
  --out DIR   one <table>.ndjson per table
  --network   pubnet (default) | testnet | futurenet | standalone | core-test | a passphrase; nothing is inferred
  --format    rows (default): hot-buffer tables, keys = catalog column names, int64 as exact JSON numbers
              hubble: stellar-etl's JSON export (sorted keys, Go number and string encodings):
              history_ledgers, history_transactions, history_operations (with details), accounts,
              trust_lines, offers, account_signers, claimable_balances, liquidity_pools, contract_data,
              contract_code, config_settings, ttl, restored_key, history_trades, history_contract_events`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      network: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = values.format ?? "rows";
  if (format !== "rows" && format !== "hubble") {
    console.error(`transform: --format must be rows or hubble, got '${format}'`);
    return 2;
  }
  if (!values.out || positionals.length === 0) {
    console.error(`transform: give ledger files and --out DIR\n\n${HELP}`);
    return 2;
  }
  try {
    const s = await transformFiles(positionals, {
      outDir: values.out,
      passphrase: resolvePassphrase(values.network ?? process.env.NETWORK_PASSPHRASE ?? "pubnet"),
      format,
    });
    for (const [t, n] of Object.entries(s.rowsPerTable).sort()) console.log(`${t.padEnd(32)} ${n}`);
    const rows = Object.values(s.rowsPerTable).reduce((a, b) => a + b, 0);
    console.log(
      `${s.ledgers} ledgers, ${rows} rows in ${s.seconds.toFixed(2)}s: ${(s.ledgers / s.seconds).toFixed(1)} ledgers/s, ${(rows / s.seconds).toFixed(0)} rows/s, ${(s.bytes / 2 ** 20 / s.seconds).toFixed(1)} MB/s`,
    );
    return 0;
  } catch (err) {
    console.error(`transform: ${(err as Error).message}`);
    return 1;
  }
}
