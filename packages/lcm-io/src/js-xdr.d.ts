// The part of @stellar/js-xdr (stellar-base's XDR runtime, untyped) that container splitting uses.
declare module "@stellar/js-xdr" {
  class XdrReader {
    constructor(source: Buffer);
    readonly eof: boolean;
    advance(size: number): number;
  }
  const jsXdr: { XdrReader: typeof XdrReader };
  export default jsXdr;
}
