/**
 * One ledger → rows for every hot-buffer table it has rows for (the ingester's unit of work), plus the header
 * facts the ingester checks (sequence, hash chain, protocol).
 */
import { xdr } from "@stellar/stellar-base";
import { hex } from "./changes/format";
import { lcmBody } from "./changes/ledger";
import { changeInput } from "./changes/snapshot";
import { changeTables } from "./changes/tables";
import { effectsRows } from "./tables/effects";
import { ledgersRows } from "./tables/ledgers";
import { operationsRows } from "./tables/operations";
import { transactionsRows } from "./tables/transactions";

export interface HotLedger {
  sequence: number;
  hash: string;
  previousHash: string;
  protocolVersion: number;
  rows: Record<string, object[]>;
}

/** Every hot-buffer table's row function, in catalog order where it matters to nobody but readers. */
export const hotTables: readonly {
  table: string;
  rows: (ctx: ReturnType<typeof changeInput>) => object[];
}[] = [
  { table: "ledgers_row_v2", rows: ledgersRows },
  { table: "transactions_row_v2", rows: transactionsRows },
  { table: "operations_row_v2", rows: operationsRows },
  { table: "effects_row_v1", rows: effectsRows },
  ...changeTables,
];

export class LedgerDecodeError extends Error {
  override readonly name = "LedgerDecodeError";
  constructor(
    readonly sequence: number | undefined,
    readonly xdrType: string,
    reason: string,
  ) {
    super(`${sequence !== undefined ? `ledger ${sequence}: ` : ""}cannot decode ${xdrType}: ${reason}`);
  }
}

export function decodeLedger(bytes: Uint8Array, sequence?: number): xdr.LedgerCloseMeta {
  try {
    return xdr.LedgerCloseMeta.fromXDR(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new LedgerDecodeError(sequence, "LedgerCloseMeta", (err as Error).message);
  }
}

/** All hot-buffer rows of one ledger; any failure raises for the whole ledger (never partial rows). */
export function hotRowsOf(lcm: xdr.LedgerCloseMeta, networkPassphrase: string): HotLedger {
  const ctx = changeInput(lcm, networkPassphrase);
  const entry = lcmBody(lcm).ledgerHeader();
  const rows: Record<string, object[]> = {};
  for (const t of hotTables) {
    try {
      rows[t.table] = t.rows(ctx);
    } catch (err) {
      throw new Error(`ledger ${ctx.sequence}: ${t.table}: ${(err as Error).message}`);
    }
  }
  return {
    sequence: ctx.sequence,
    hash: hex(entry.hash()),
    previousHash: hex(entry.header().previousLedgerHash()),
    protocolVersion: entry.header().ledgerVersion(),
    rows,
  };
}
