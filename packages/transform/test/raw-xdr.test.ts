import { haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { txSetEnvelopes } from "../src/changes/envelopes";
import { dataOf, lcmBody, txProcessingOf } from "../src/changes/ledger";
import { bytesBetween, spanOf, xdrBytes } from "../src/changes/raw-xdr";
import { readLedgerChanges } from "../src/changes/reader";
import { decodeLedger } from "../src/hot-rows";
import { LEDGER_FIXTURES, ledgersOf } from "./changes-fixtures";

describe.skipIf(!haveFixtures())("raw XDR spans", () => {
  it.each(LEDGER_FIXTURES.filter((f) => !f.path.includes("p26")).map((f) => [f.path]))(
    "%s: copied envelope, result, meta, fee meta, header and contract data bytes equal a fresh encoding",
    (path) => {
      let n = 0;
      for (const decoded of ledgersOf(path)) {
        const lcm = decodeLedger(decoded.toXDR());
        const header = lcmBody(lcm).ledgerHeader.header;
        expect(spanOf(header)).toBeDefined();
        expect(xdrBytes(header).equals(header.toXDR())).toBe(true);
        for (const env of txSetEnvelopes(lcm)) {
          expect(spanOf(env)).toBeDefined();
          expect(xdrBytes(env).equals(env.toXDR())).toBe(true);
        }
        for (const tx of txProcessingOf(lcm)) {
          expect(xdrBytes(tx.result.result).equals(tx.result.result.toXDR())).toBe(true);
          expect(xdrBytes(tx.meta).equals(tx.meta.toXDR())).toBe(true);
          const count = Buffer.alloc(4);
          count.writeUInt32BE(tx.feeProcessing.length, 0);
          const fee = Buffer.concat([count, ...tx.feeProcessing.map((c) => c.toXDR())]);
          expect(bytesBetween(tx.result, tx.meta)?.equals(fee)).toBe(true);
          n++;
        }
        for (const c of readLedgerChanges(lcm).all) {
          if (c.entryType !== 6) continue;
          for (const e of [c.pre, c.post]) {
            if (!e) continue;
            const cd = dataOf(e, "contractData").contractData;
            expect(spanOf(cd)).toBeDefined();
            expect(xdrBytes(cd).equals(cd.toXdr())).toBe(true);
          }
        }
      }
      expect(n).toBeGreaterThanOrEqual(0);
    },
  );

  it("values built in code have no span and are encoded afresh", async () => {
    const { xdr } = await import("@stellar/stellar-sdk/base");
    const memo = xdr.Memo.memoText("hi");
    expect(spanOf(memo)).toBeUndefined();
    // Outside decodeLedger stellar-base decodes as usual, without spans.
    const plain = xdr.Memo.fromXDR(memo.toXDR());
    expect(spanOf(plain)).toBeUndefined();
    const price = new xdr.Price({ n: 1, d: 2 });
    expect(xdrBytes(price).equals(price.toXDR())).toBe(true);
  });
});

describe("strkey encoder", () => {
  it("matches stellar-base for accounts, contracts and 64-byte signatures", async () => {
    const { StrKey } = await import("@stellar/stellar-sdk/base");
    const { encodeStrkey, VERSION_ACCOUNT, VERSION_CONTRACT, accountStrkey } = await import(
      "../src/changes/strkey-cache"
    );
    for (let i = 0; i < 200; i++) {
      const b32 = Buffer.from(Array.from({ length: 32 }, (_, k) => (i * 31 + k * 17) & 255));
      const b64 = Buffer.concat([b32, Buffer.from(b32).reverse()]);
      expect(encodeStrkey(VERSION_ACCOUNT, b32)).toBe(StrKey.encodeEd25519PublicKey(b32));
      expect(accountStrkey(b32)).toBe(StrKey.encodeEd25519PublicKey(b32));
      expect(encodeStrkey(VERSION_CONTRACT, b32)).toBe(StrKey.encodeContract(b32));
      expect(encodeStrkey(VERSION_ACCOUNT, b64)).toBe(StrKey.encodeEd25519PublicKey(b64));
    }
  });
});
