/**
 * The transform CLI's engine: ledger files (Galexie batches, framed streams; zstd or plain, detected from
 * content) → one NDJSON file per table, as hot-buffer rows or as Hubble (stellar-etl) records.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { changeInput } from "./changes/snapshot";
import { changeTables } from "./changes/tables";
import { decodeLedger, hotRowsOf } from "./hot-rows";
import { goJsonEscape, toJson } from "./ndjson";
import { effectsRecords } from "./tables/effects";

export type OutputFormat = "rows" | "hubble";

export interface TransformSummary {
  ledgers: number;
  bytes: number;
  seconds: number;
  rowsPerTable: Record<string, number>;
}

export class TransformInputError extends Error {
  override readonly name = "TransformInputError";
}

export async function transformFiles(
  files: readonly string[],
  opts: { outDir: string; passphrase: string; format: OutputFormat },
): Promise<TransformSummary> {
  await mkdir(opts.outDir, { recursive: true });
  const outputs = new Map<string, WriteStream>();
  const out = (name: string) => {
    let s = outputs.get(name);
    if (!s) {
      s = createWriteStream(join(opts.outDir, `${name}.ndjson`));
      outputs.set(name, s);
    }
    return s;
  };
  const summary: TransformSummary = { ledgers: 0, bytes: 0, seconds: 0, rowsPerTable: {} };
  const t0 = performance.now();
  try {
    for (const file of files) {
      const blobs = await readLedgerFile(file);
      for (const b of blobs) {
        let tables: Record<string, object[]>;
        try {
          const lcm = decodeLedger(b.xdr, b.sequence);
          if (opts.format === "rows") {
            tables = hotRowsOf(lcm, opts.passphrase).rows;
          } else {
            const ctx = changeInput(lcm, opts.passphrase);
            tables = {};
            for (const t of changeTables) if (t.hubble && t.records) tables[t.hubble] = t.records(ctx);
            tables.history_effects = effectsRecords(ctx);
          }
        } catch (err) {
          throw new TransformInputError(
            `${file} at byte ${b.offset} (ledger ${b.sequence}): ${(err as Error).message}`,
          );
        }
        for (const [name, rows] of Object.entries(tables)) {
          if (!rows.length) continue;
          const text = rows.map(toJson).join("\n");
          // Hubble records are stellar-etl's Go JSON: <, >, & and U+2028/9 escaped.
          out(name).write(`${opts.format === "hubble" ? goJsonEscape(text) : text}\n`);
          summary.rowsPerTable[name] = (summary.rowsPerTable[name] ?? 0) + rows.length;
        }
        summary.ledgers += 1;
        summary.bytes += b.xdr.length;
      }
    }
  } finally {
    await Promise.all([...outputs.values()].map((s) => new Promise<void>((r) => s.end(r))));
    summary.seconds = (performance.now() - t0) / 1000;
  }
  return summary;
}
