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

/** The hot buffer's connection was lost mid-run (PostgreSQL restarted or failed over). */
export class HotConnectionLost extends IngestError {
  override readonly name = "HotConnectionLost";
}
