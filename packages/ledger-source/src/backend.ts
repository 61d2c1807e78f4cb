/** Where the server's ledgers come from: a Galexie datastore, or a Stellar RPC endpoint. */
import type { LedgerBlob } from "@stellar-lake/lcm-io";
import { availableRange, type LedgerRange, type ReadOptions, readLedgers } from "./datastore/reader";
import type { Datastore } from "./datastore/store";

export interface LedgerBackend {
  readonly location: string;
  /** Network passphrase the backend declares, when it does (a datastore manifest does). */
  networkPassphrase(): Promise<string | undefined>;
  range(): Promise<LedgerRange | undefined>;
  read(from: number, opts: ReadOptions): AsyncGenerator<LedgerBlob>;
}

export function datastoreBackend(ds: Datastore): LedgerBackend {
  return {
    location: ds.location,
    networkPassphrase: async () => (await ds.manifest()).networkPassphrase,
    range: () => availableRange(ds),
    read: (from, opts) => readLedgers(ds, from, opts),
  };
}
