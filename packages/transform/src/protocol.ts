/**
 * The newest protocol this build reads, and the typed error for a ledger beyond it. A ledger is "newer than
 * the build" when its header says a protocol above SUPPORTED_PROTOCOL, or when its XDR holds a union arm or
 * enum value the SDK's definitions do not have (a later protocol's construct): either way no transform of it
 * can be right, and the fix is an upgrade, not skipping the ledger.
 */

/** The highest ledger protocol of @stellar/stellar-sdk 17.2's XDR (protocol 28: CAP-83, CAP-85). */
export const SUPPORTED_PROTOCOL = 28;

export class UnsupportedProtocolError extends Error {
  override readonly name = "UnsupportedProtocolError";
  constructor(
    readonly ledger: number | undefined,
    /** The ledger header's protocol version (what it says, even when that is ≤ SUPPORTED_PROTOCOL; 0: unreadable). */
    readonly protocol: number,
    /** The XDR type that could not be read ("LedgerHeader" when the header's protocol alone decides). */
    readonly xdrType: string,
    detail?: string,
  ) {
    super(
      `ledger ${ledger ?? "?"} is ${protocol > 0 ? `protocol ${protocol}` : "of an unknown protocol"}; this build reads ≤ ${SUPPORTED_PROTOCOL}: upgrade stellar-lake` +
        ` (${xdrType}${detail ? `: ${detail}` : ""})`,
    );
  }
}

/** An XDR reader message saying a union arm or enum value is unknown (js-xdr 5's wording, the fast decoder's). */
export function unknownArm(message: string): boolean {
  return /no case for union discriminator|unknown enum value/.test(message);
}
