import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const protoDir = fileURLToPath(new URL("../proto/", import.meta.url));

/** gRPC's default 4 MB limit is too small for busy mainnet ledgers; the original allowed 100 MB. */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

export const SERVICE_NAME = "raw_ledger_service.RawLedgerService";
export const METHOD_PATH = `/${SERVICE_NAME}/StreamRawLedgers`;

function load(file: string) {
  const def = protoLoader.loadSync(`${protoDir}${file}`, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(def);
}

const raw = load("raw_ledger_service.proto") as unknown as {
  raw_ledger_service: { RawLedgerService: grpc.ServiceClientConstructor };
};
const health = load("health.proto") as unknown as {
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
};

export const RawLedgerService = raw.raw_ledger_service.RawLedgerService;
export const HealthService = health.grpc.health.v1.Health;

export interface StreamLedgersRequest {
  start_ledger: number;
}

export interface RawLedgerMessage {
  sequence: number;
  ledger_close_meta_xdr: Buffer;
}

/** Trailing metadata of a DATA_LOSS status for an unreadable datastore file (this server's extension). */
export const UNREADABLE_LEDGERS_TRAILERS = {
  first: "x-unreadable-first-ledger",
  last: "x-unreadable-last-ledger",
  file: "x-unreadable-file",
} as const;
