/** Errors that stop ingestion; each names the ledger and the reason. */
export class IngestError extends Error {
  override readonly name: string = "IngestError";
  constructor(
    message: string,
    readonly sequence?: number,
  ) {
    super(message);
  }
}

/** The source sent a ledger out of order (a gap, a repeat) or one whose header says another sequence. */
export class SequenceError extends IngestError {
  override readonly name = "SequenceError";
}

/** A ledger's previous-ledger hash does not match the ledger before it. */
export class ChainError extends IngestError {
  override readonly name = "ChainError";
}

/** A ledger that cannot be decoded or transformed. */
export class PoisonLedgerError extends IngestError {
  override readonly name = "PoisonLedgerError";
}

/**
 * A ledger newer than this build's XDR (its protocol above the supported one, or an arm the XDR does not
 * know). Never skipped, even with --skip-bad-ledgers: the ledger is not bad, the build is behind; the
 * checkpoint stays before it until an upgraded ingester reads it.
 */
export class BehindProtocolError extends IngestError {
  override readonly name = "BehindProtocolError";
  constructor(
    message: string,
    sequence: number,
    /** The ledger's protocol (0 when its header could not say). */
    readonly protocol: number,
  ) {
    super(message, sequence);
  }
}

/** The hot buffer's connection was lost mid-run (PostgreSQL restarted or failed over). */
export class HotConnectionLost extends IngestError {
  override readonly name = "HotConnectionLost";
}
