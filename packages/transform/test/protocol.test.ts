import { peekLedgerHeader, readLedgerFile, withHeaderProtocol } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { txSetEnvelopes } from "../src/changes/envelopes";
import { spanOf } from "../src/changes/raw-xdr";
import { decodeLedger, LedgerDecodeError } from "../src/hot-rows";
import { headerCorruption } from "../src/integrity";
import { SUPPORTED_PROTOCOL, UnsupportedProtocolError } from "../src/protocol";

const MAINNET = "lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd";

async function mainnetLedger(): Promise<{ sequence: number; xdr: Buffer }> {
  const [b] = await readLedgerFile(fixture(MAINNET));
  return { sequence: b!.sequence, xdr: Buffer.from(b!.xdr) };
}

describe.skipIf(!haveFixtures())("a ledger newer than this build's XDR", () => {
  it("a real ledger whose header says protocol 30: UnsupportedProtocolError naming ledger, protocol and type", async () => {
    const { sequence, xdr } = await mainnetLedger();
    // Protocol 30 in the header, the header's hash recomputed: a well-formed ledger of a later protocol.
    const patched = withHeaderProtocol(xdr, 30);
    expect(headerCorruption(patched)).toBeUndefined();
    // The header peek (what the ledger source serves by) still reads it.
    expect(peekLedgerHeader(patched)).toMatchObject({ sequence, protocolVersion: 30 });
    let err: unknown;
    try {
      decodeLedger(patched, sequence);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedProtocolError);
    const u = err as UnsupportedProtocolError;
    expect([u.ledger, u.protocol, u.xdrType]).toEqual([sequence, 30, "LedgerHeader"]);
    expect(u.message).toMatch(
      new RegExp(
        `^ledger ${sequence} is protocol 30; this build reads ≤ ${SUPPORTED_PROTOCOL}: upgrade stellar-lake`,
      ),
    );
    // The same ledger at its own protocol decodes.
    expect(() => decodeLedger(xdr, sequence)).not.toThrow();
  });

  it("a real ledger with an unknown union arm (a transaction envelope type 99): typed error naming the XDR type", async () => {
    const { sequence, xdr } = await mainnetLedger();
    const lcm = decodeLedger(xdr, sequence);
    const env = txSetEnvelopes(lcm)[0]!;
    const span = spanOf(env)!;
    const patched = Buffer.from(xdr);
    patched.writeUInt32BE(99, span.start);
    let err: unknown;
    try {
      decodeLedger(patched, sequence);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedProtocolError);
    const u = err as UnsupportedProtocolError;
    expect(u.ledger).toBe(sequence);
    expect(u.protocol).toBe(peekLedgerHeader(xdr).protocolVersion);
    expect(u.xdrType).toBe("TransactionEnvelope");
    expect(u.message).toMatch(
      /this build reads ≤ 28: upgrade stellar-lake \(TransactionEnvelope: .*unknown enum value 99/,
    );
  });

  it("a discriminant no XDR defines (damaged bytes read as 0xeeeeeeee) is a bad ledger, not a protocol question", async () => {
    const { sequence, xdr } = await mainnetLedger();
    const lcm = decodeLedger(xdr, sequence);
    const span = spanOf(txSetEnvelopes(lcm)[0]!)!;
    const damaged = Buffer.from(xdr);
    damaged.fill(0xee, span.start, span.start + 4);
    let err: unknown;
    try {
      decodeLedger(damaged, sequence);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LedgerDecodeError);
    expect((err as Error).message).toMatch(/TransactionEnvelope|unknown enum value -286331154/);
  });

  it("a corrupt ledger (truncated) stays a LedgerDecodeError, not a protocol question", async () => {
    const { sequence, xdr } = await mainnetLedger();
    expect(() => decodeLedger(xdr.subarray(0, xdr.length - 100), sequence)).toThrow(LedgerDecodeError);
  });
});
