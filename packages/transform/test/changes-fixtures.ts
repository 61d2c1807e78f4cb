/**
 * Minimal fixture reader for the change/snapshot/trade tests until `@stellar-lake/lcm-io` lands: zstd or plain,
 * Galexie `LedgerCloseMetaBatch` or an RFC 5531 record-marked stream, detected from content.
 */
import { readFileSync } from "node:fs";
import { xdr } from "@stellar/stellar-sdk/base";
import { decompress } from "zstd-napi";

const ZSTD_MAGIC = 0xfd2fb528;

export function readLedgerBytes(path: string): Buffer[] {
  let buf = readFileSync(path);
  if (buf.length >= 4 && buf.readUInt32LE(0) === ZSTD_MAGIC) buf = Buffer.from(decompress(buf));
  const first = buf.readUInt32BE(0);
  const out: Buffer[] = [];
  if (first & 0x80000000) {
    let off = 0;
    while (off < buf.length) {
      let record = Buffer.alloc(0);
      for (;;) {
        const header = buf.readUInt32BE(off);
        const len = header & 0x7fffffff;
        record = Buffer.concat([record, buf.subarray(off + 4, off + 4 + len)]);
        off += 4 + len;
        if (header & 0x80000000) break;
      }
      out.push(record);
    }
    return out;
  }
  const batch = xdr.LedgerCloseMetaBatch.fromXDR(buf);
  return batch.ledgerCloseMetas.map((m) => Buffer.from(m.toXdr()));
}

export function readLedgers(path: string): xdr.LedgerCloseMeta[] {
  return readLedgerBytes(path).map((b) => xdr.LedgerCloseMeta.fromXDR(b));
}

import { tables } from "@stellar-lake/schema";
import { fixture } from "@stellar-lake/test-support";

export const PUBNET = "Public Global Stellar Network ; September 2015";
export const TESTNET = "Test SDF Network ; September 2015";
export const STANDALONE = "(V) (;,,;) (V)";

/** Every ledger fixture of the shared set with its network passphrase. */
export const LEDGER_FIXTURES: { path: string; passphrase: string }[] = [
  ["lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd", PUBNET],
  ["lcm-real/testnet-997.FFFFFC1A--997.xdr.zst", TESTNET],
  ["lcm-real/testnet-998.FFFFFC19--998.xdr.zst", TESTNET],
  ["lcm-real/testnet-999.FFFFFC18--999.xdr.zst", TESTNET],
  ["lcm-reconstructed/pubnet-30820015.lcm-v0-batch.xdr.zst", PUBNET],
  ["lcm-synthetic/standalone-loadtest-p23.framed.xdr.zstd", STANDALONE],
  ["lcm-synthetic/standalone-loadtest-p26-30ledgers.framed.xdr.zstd", STANDALONE],
  ...[
    "OfferTests/f7a7364752aecebb",
    "PathPaymentTests/6b8dd7030be55252",
    "FrozenLedgerKeysTests/84cef76b68d93cc9",
    "FrozenLedgerKeysTests/7832644d33f07016",
    "FrozenLedgerKeysTests/66bd677986a05b7d",
    "FrozenLedgerKeysTests/d4abe4b07bba98dd",
    "BeginSponsoringFutureReservesTests/3b6d924921f59f9f",
    "MergeTests/d5cacbf63b606f18",
    "TxResultsTests/17d5554d10b7a5e0",
    "InvokeHostFunctionTests/48c781bbceb21112",
    "InvokeHostFunctionTests/e8e3a93f6508722e",
    "InvokeHostFunctionTests/21c43b92b819267f",
    "InvokeHostFunctionTests/221f1cad327fb891",
    "InvokeHostFunctionTests/24bce78365780bb1",
    "InvokeHostFunctionTests/ea4a1267d6c3a211",
    "InvokeHostFunctionTests/955397e091e35fad",
    "InvokeHostFunctionTests/d2fdf5f43cd795da",
    "InvokeHostFunctionTests/6de1fadf0f1a6789",
  ].map((p) => [`lcm-synthetic/core-test-lcms/${p}.xdr`, STANDALONE] as [string, string]),
].map(([path, passphrase]) => ({ path: path as string, passphrase: passphrase as string }));

const cache = new Map<string, xdr.LedgerCloseMeta[]>();
/** Decoded ledgers of a fixture (cached per test file). */
export function ledgersOf(relative: string): xdr.LedgerCloseMeta[] {
  let l = cache.get(relative);
  if (!l) {
    l = readLedgers(fixture(relative));
    cache.set(relative, l);
  }
  return l;
}

/** Problems of rows against the schema catalog: missing/extra columns, wrong JS types, nulls in NOT NULL. */
export function rowProblems(table: string, rows: readonly object[]): string[] {
  const def = tables[table];
  if (!def) return [`unknown table ${table}`];
  const problems: string[] = [];
  const names = new Set(def.columns.map((c) => c.name));
  rows.forEach((row, i) => {
    const r = row as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!names.has(k)) problems.push(`${table}[${i}] extra column ${k}`);
    for (const c of def.columns) {
      if (!(c.name in r)) {
        problems.push(`${table}[${i}] missing ${c.name}`);
        continue;
      }
      const v = r[c.name];
      if (v === null) {
        if (!c.nullable) problems.push(`${table}[${i}] ${c.name} is null`);
        continue;
      }
      const ok =
        c.pg === "BIGINT"
          ? typeof v === "bigint"
          : c.pg === "INTEGER"
            ? typeof v === "number" && Number.isInteger(v)
            : c.pg === "TEXT"
              ? typeof v === "string"
              : c.pg === "BOOLEAN"
                ? typeof v === "boolean"
                : v instanceof Date && !Number.isNaN(v.getTime());
      if (!ok) problems.push(`${table}[${i}] ${c.name} has ${typeof v} for ${c.pg}`);
    }
  });
  return problems;
}

/** The protocol 27/28 stellar-core test ledgers (`lcm-synthetic/core-test-lcms-p27`, see its INDEX.md). */
export const P27_DIR = "lcm-synthetic/core-test-lcms-p27";
export const P27_PASSPHRASE = STANDALONE;

/**
 * The protocol 27/28 files used while developing (the unit tests read these): CAP-71 ADDRESS_V2 credentials
 * (two files), ADDRESS_WITH_DELEGATES (successful and a failing signature), CAP-85 external-reference
 * executables (protocol 28), and a classic account-authentication case. Every other file of the directory is
 * held out: only the acceptance test (`p27-acceptance.test.ts`) reads it.
 */
export const P27_DEVELOPMENT = [
  "546a3cc311788248",
  "7af34c851b5af2ba",
  "6452cb6f030f5835",
  "be6ebb5f038aa456",
  "9de1ea718b77ffa2",
  "b34f3ecaf4fdb062",
].map((id) => `${P27_DIR}/InvokeHostFunctionTests/${id}.xdr`);
