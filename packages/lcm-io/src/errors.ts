/** A ledger file that cannot be read: names the file, the byte offset and, when known, the ledger. */
export class LedgerFileError extends Error {
  override readonly name = "LedgerFileError";
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly offset?: number,
    readonly sequence?: number,
  ) {
    super(
      `${file}${offset !== undefined ? ` at byte ${offset}` : ""}${sequence !== undefined ? ` (ledger ${sequence})` : ""}: ${reason}`,
    );
  }
}
