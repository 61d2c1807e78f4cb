/**
 * One ledger → rows for every hot-buffer table it has rows for (the ingester's unit of work), plus the header
 * facts the ingester checks (sequence, hash chain, protocol).
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { peekLedgerHeader } from "@stellar-lake/lcm-io";
import { hex } from "./changes/format";
import { lcmBody } from "./changes/ledger";
import { decodeWithSpans } from "./changes/raw-xdr";
import { type ChangeInput, changeInput } from "./changes/snapshot";
import { type ChangeTable, changeTables } from "./changes/tables";
import { SUPPORTED_PROTOCOL, UnsupportedProtocolError, unknownArm } from "./protocol";
import { effectsRecords, effectsRows } from "./tables/effects";
import { ledgersRecords, ledgersRows } from "./tables/ledgers";
import { operationsRecords, operationsRows } from "./tables/operations";
import { tokenTransfersRecords, tokenTransfersRows } from "./tables/token_transfers";
import { transactionsRecords, transactionsRows } from "./tables/transactions";
import { describeMismatches, reconcileTokenTransfers } from "./token-transfers/verify";
import { fastLedgerDecoder } from "./xdr-fast/ledger";

/** A data-quality check run on one ledger's rows, for `_meta_quality`. */
export interface LedgerCheck {
  name: string;
  type: string;
  passed: boolean;
  details: string;
  dataset: string;
}

export interface HotLedger {
  sequence: number;
  hash: string;
  previousHash: string;
  protocolVersion: number;
  rows: Record<string, object[]>;
  /** Checks of this ledger's rows (the token transfer reconciliation); a failed one is data, not an error. */
  checks: LedgerCheck[];
}

/**
 * go-stellar-sdk's VerifyEvents as a quality record: the ledger's token transfers against its balance
 * changes, mismatches named by ledger, transaction, holder and asset (recorded, never dropped or fatal).
 */
export function tokenTransferCheck(ctx: ChangeInput): LedgerCheck {
  const r = reconcileTokenTransfers(ctx);
  return {
    name: "token_transfer_balance_reconciliation",
    type: "reconciliation",
    passed: r.mismatches.length === 0,
    details: describeMismatches(r),
    dataset: "token_transfers_row_v1",
  };
}

/**
 * Every hot-buffer table's row function (and, where Hubble has the table, its stellar-etl export name and
 * record function for `--format hubble`), in catalog order where it matters to nobody but readers.
 */
export const hotTables: readonly ChangeTable[] = [
  { table: "ledgers_row_v2", rows: ledgersRows, hubble: "history_ledgers", records: ledgersRecords },
  {
    table: "transactions_row_v2",
    rows: transactionsRows,
    hubble: "history_transactions",
    records: transactionsRecords,
  },
  {
    table: "operations_row_v2",
    rows: operationsRows,
    hubble: "history_operations",
    records: operationsRecords,
  },
  { table: "effects_row_v1", rows: effectsRows, hubble: "history_effects", records: effectsRecords },
  ...changeTables,
  {
    table: "token_transfers_row_v1",
    rows: tokenTransfersRows,
    hubble: "token_transfers",
    records: tokenTransfersRecords,
  },
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

let fallbacks = 0;

/** How many ledgers the fast decoder rejected and the SDK then decoded (a fast-decoder bug if ever > 0). */
export function decodeFallbacks(): number {
  return fallbacks;
}

/**
 * One LedgerCloseMeta, with the byte spans of the captured types recorded (`changes/raw-xdr.ts`).
 *
 * The fast decoder (`src/xdr-fast`) builds the same @stellar/stellar-sdk objects several times faster. The SDK
 * stays the decoder of record: when the fast one rejects the bytes, the SDK decodes them again, so a
 * bad ledger fails with the SDK's own message (js-xdr's path to the bad value), and a ledger only the fast decoder rejected
 * (a bug there) still decodes, counted in `decodeFallbacks()`.
 */
export function decodeLedger(bytes: Uint8Array, sequence?: number): xdr.LedgerCloseMeta {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A ledger of a protocol beyond this build's XDR is refused before anything reads it (the header layout is
  // stable across protocols, so the peek reads headers the decoder may not know).
  let header: { sequence: number; protocolVersion: number } | null = null;
  try {
    header = peekLedgerHeader(buf);
  } catch {
    // Unreadable header: the decoders below give the error.
  }
  if (header && header.protocolVersion > SUPPORTED_PROTOCOL)
    throw new UnsupportedProtocolError(sequence ?? header.sequence, header.protocolVersion, "LedgerHeader");
  const fast = fastLedgerDecoder();
  let fastError: Error | null = null;
  if (fast) {
    try {
      return fast(buf);
    } catch (err) {
      // Decided below by the SDK.
      fastError = err as Error;
    }
  }
  let lcm: xdr.LedgerCloseMeta;
  try {
    lcm = decodeWithSpans(() => xdr.LedgerCloseMeta.fromXDR(buf));
  } catch (err) {
    const message = (err as Error).message;
    if (unknownArm(message)) {
      // The fast decoder's message names the XDR type (js-xdr's names the path to it).
      const type =
        fastError && unknownArm(fastError.message) ? fastError.message.split(":")[0] : "LedgerCloseMeta";
      throw new UnsupportedProtocolError(
        sequence ?? header?.sequence,
        header?.protocolVersion ?? 0,
        type ?? "LedgerCloseMeta",
        message,
      );
    }
    throw new LedgerDecodeError(sequence, "LedgerCloseMeta", message);
  }
  if (fast) fallbacks++;
  return lcm;
}

/**
 * All hot-buffer rows of one ledger; any failure raises for the whole ledger (never partial rows).
 * `envelopes` (apply order) skips matching envelopes to results by network hash, for callers that matched them.
 */
export function hotRowsOf(
  lcm: xdr.LedgerCloseMeta,
  networkPassphrase: string,
  envelopes?: readonly (xdr.TransactionEnvelope | null)[],
): HotLedger {
  const ctx = envelopes
    ? { ...changeInput(lcm, networkPassphrase), envelopes }
    : changeInput(lcm, networkPassphrase);
  const entry = lcmBody(lcm).ledgerHeader;
  const rows: Record<string, object[]> = {};
  for (const t of hotTables) {
    try {
      rows[t.table] = t.rows(ctx);
    } catch (err) {
      throw new Error(`ledger ${ctx.sequence}: ${t.table}: ${(err as Error).message}`);
    }
  }
  let check: LedgerCheck;
  try {
    check = tokenTransferCheck(ctx);
  } catch (err) {
    throw new Error(`ledger ${ctx.sequence}: token transfer reconciliation: ${(err as Error).message}`);
  }
  return {
    sequence: ctx.sequence,
    hash: hex(entry.hash),
    previousHash: hex(entry.header.previousLedgerHash),
    protocolVersion: entry.header.ledgerVersion,
    rows,
    checks: [check],
  };
}
