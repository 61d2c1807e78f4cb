import { Keypair, xdr } from "@stellar/stellar-sdk/base";
import { haveFixtures } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { compactChanges } from "../src/changes/compact";
import { contractDataEntryXdr } from "../src/changes/key-xdr";
import { dataOf, ledgerKeyOf } from "../src/changes/ledger";
import { type EntryChange, LedgerChangeError, pairChanges, readLedgerChanges } from "../src/changes/reader";
import { LEDGER_FIXTURES, ledgersOf } from "./changes-fixtures";

const account = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 7)).xdrAccountId();

function accountEntry(balance: bigint, lastModified = 5): xdr.LedgerEntry {
  return new xdr.LedgerEntry({
    lastModifiedLedgerSeq: lastModified,
    data: xdr.LedgerEntryData.account(
      new xdr.AccountEntry({
        accountId: account,
        balance,
        seqNum: 1n,
        numSubEntries: 0,
        inflationDest: null,
        flags: 0,
        homeDomain: new xdr.XdrString(""),
        thresholds: new xdr.Thresholds(new Uint8Array([1, 0, 0, 0])),
        signers: [],
        ext: xdr.AccountEntryExt.v0(),
      }),
    ),
    ext: xdr.LedgerEntryExt.v0(),
  });
}

function ttlEntry(hash: number, liveUntil: number): xdr.LedgerEntry {
  return new xdr.LedgerEntry({
    lastModifiedLedgerSeq: 5,
    data: xdr.LedgerEntryData.ttl(
      new xdr.TtlEntry({
        keyHash: new xdr.Hash(new Uint8Array(32).fill(hash)),
        liveUntilLedgerSeq: liveUntil,
      }),
    ),
    ext: xdr.LedgerEntryExt.v0(),
  });
}

const ORIGIN = { reason: "operation" as const, txIndex: 1, opIndex: 0, seq: 9, where: "test" };
const created = (e: xdr.LedgerEntry) => xdr.LedgerEntryChange.ledgerEntryCreated(e);
const updated = (e: xdr.LedgerEntry) => xdr.LedgerEntryChange.ledgerEntryUpdated(e);
const state = (e: xdr.LedgerEntry) => xdr.LedgerEntryChange.ledgerEntryState(e);
const removed = (e: xdr.LedgerEntry) => xdr.LedgerEntryChange.ledgerEntryRemoved(ledgerKeyOf(e));
const restored = (e: xdr.LedgerEntry) => xdr.LedgerEntryChange.ledgerEntryRestored(e);

function balance(e: xdr.LedgerEntry | null): bigint | null {
  return e ? dataOf(e, "account").account.balance : null;
}

describe("pairing (GetChangesFromLedgerEntryChanges)", () => {
  it("STATE is the pre of the following UPDATED/REMOVED; CREATED and RESTORED stand alone", () => {
    const [c1, c2] = pairChanges([state(accountEntry(10n)), updated(accountEntry(20n))], ORIGIN);
    expect(c2).toBeUndefined();
    expect([c1?.type, balance(c1?.pre ?? null), balance(c1?.post ?? null)]).toEqual([1, 10n, 20n]);
    const [r] = pairChanges([state(accountEntry(10n)), removed(accountEntry(10n))], ORIGIN);
    expect([r?.type, balance(r?.pre ?? null), r?.post]).toEqual([2, 10n, null]);
    const [x, y] = pairChanges([restored(accountEntry(3n)), updated(accountEntry(4n))], ORIGIN);
    expect([x?.type, x?.pre, balance(x?.post ?? null)]).toEqual([4, null, 3n]);
    expect([y?.type, balance(y?.pre ?? null), balance(y?.post ?? null)]).toEqual([1, 3n, 4n]);
  });

  it("an UPDATED without its STATE is a typed error naming the ledger and place", () => {
    expect(() => pairChanges([updated(accountEntry(1n))], ORIGIN)).toThrow(LedgerChangeError);
    expect(() => pairChanges([updated(accountEntry(1n))], ORIGIN)).toThrow(/ledger 9, test change 0/);
  });

  it("sorts a group by ledger key bytes (type first), stably", () => {
    const out = pairChanges([created(ttlEntry(1, 50)), created(accountEntry(1n))], ORIGIN);
    expect(out.map((c) => c.entryType)).toEqual([0, 9]);
  });
});

describe("compaction (ChangeCompactor rules)", () => {
  const run = (...groups: xdr.LedgerEntryChange[][]): EntryChange[] =>
    groups.flatMap((g) => pairChanges(g, ORIGIN));

  it("created then updated stays created with the last post", () => {
    const [c] = compactChanges(
      run([created(accountEntry(1n))], [state(accountEntry(1n)), updated(accountEntry(2n))]),
    );
    expect([c?.type, c?.pre, balance(c?.post ?? null)]).toEqual([0, null, 2n]);
  });

  it("updated then removed is a removal carrying the first pre", () => {
    const [c] = compactChanges(
      run(
        [state(accountEntry(1n)), updated(accountEntry(2n))],
        [state(accountEntry(2n)), removed(accountEntry(2n))],
      ),
    );
    expect([c?.type, balance(c?.pre ?? null), c?.post]).toEqual([2, 1n, null]);
  });

  it("created then removed in one ledger leaves no row; removed then created is an update", () => {
    expect(
      compactChanges(run([created(accountEntry(1n))], [state(accountEntry(1n)), removed(accountEntry(1n))])),
    ).toEqual([]);
    const [c] = compactChanges(
      run([state(accountEntry(1n)), removed(accountEntry(1n))], [created(accountEntry(9n))]),
    );
    expect([c?.type, balance(c?.pre ?? null), balance(c?.post ?? null)]).toEqual([1, 1n, 9n]);
  });

  it("restored then updated stays restored; restored then removed is a removal", () => {
    const [a] = compactChanges(run([restored(accountEntry(1n)), updated(accountEntry(2n))]));
    expect([a?.type, balance(a?.post ?? null)]).toEqual([4, 2n]);
    const [b] = compactChanges(
      run([restored(accountEntry(1n))], [state(accountEntry(1n)), removed(accountEntry(1n))]),
    );
    expect([b?.type, b?.post]).toEqual([2, null]);
  });

  it("TTL updates keep the larger live-until ledger (CAP-63)", () => {
    const [c] = compactChanges(
      run(
        [state(ttlEntry(1, 10)), updated(ttlEntry(1, 100))],
        [state(ttlEntry(1, 100)), updated(ttlEntry(1, 60))],
      ),
    );
    expect(c?.post ? dataOf(c.post, "ttl").ttl.liveUntilLedgerSeq : null).toBe(100);
  });
});

describe.skipIf(!haveFixtures())("ledger change reader on real ledgers", () => {
  it("the direct key/entry writers equal stellar-base's XDR for every change of every fixture", () => {
    let keys = 0;
    let data = 0;
    for (const { path } of LEDGER_FIXTURES) {
      if (path.includes("p26")) continue; // 60k changes; the p23 load test covers the same shapes
      for (const l of ledgersOf(path)) {
        for (const c of readLedgerChanges(l).all) {
          const entry = (c.post ?? c.pre) as xdr.LedgerEntry;
          expect(c.keyXdr.equals(ledgerKeyOf(entry).toXdr())).toBe(true);
          keys++;
          if (c.entryType === 6) {
            const cd = dataOf(entry, "contractData").contractData;
            expect(contractDataEntryXdr(cd)?.equals(cd.toXdr())).toBe(true);
            data++;
          }
        }
      }
    }
    expect(keys).toBeGreaterThan(5000);
    expect(data).toBeGreaterThan(1000);
  });

  it("mainnet 53312000: fee changes (one per tx) first, then meta changes; every update has its pre", () => {
    const lc = readLedgerChanges(ledgersOf("lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd")[0]!);
    expect(lc.fee).toHaveLength(163);
    expect(lc.all.slice(0, 163).every((c) => c.reason === "fee")).toBe(true);
    expect(lc.all).toHaveLength(879);
    expect(lc.all.filter((c) => c.reason === "operation")).toHaveLength(549);
    expect(lc.all.every((c) => (c.type === 1 ? c.pre !== null && c.post !== null : true))).toBe(true);
    expect(lc.transactions).toHaveLength(163);
    expect(lc.feeRefunds).toEqual([]);
  });

  it("load test p23 (LCM V2): Soroban refunds arrive as post-apply fee changes", () => {
    const lc = readLedgerChanges(ledgersOf("lcm-synthetic/standalone-loadtest-p23.framed.xdr.zstd")[1]!);
    expect(lc.feeRefunds.length).toBeGreaterThan(0);
    const last = lc.all.indexOf(lc.feeRefunds[0] as EntryChange);
    expect(lc.all.slice(last, last + lc.feeRefunds.length).every((c) => c.reason === "fee_refund")).toBe(
      true,
    );
  });

  it("upgrade ledgers contribute upgrade changes (config settings)", () => {
    const ls = ledgersOf("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/6de1fadf0f1a6789.xdr");
    const upgrades = ls.flatMap((l) => readLedgerChanges(l).upgrades);
    expect(upgrades.length).toBeGreaterThan(0);
    expect(upgrades.every((c) => c.reason === "upgrade" && c.txIndex === null)).toBe(true);
  });
});
