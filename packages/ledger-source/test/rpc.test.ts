import * as grpc from "@grpc/grpc-js";
import { type LedgerBlob, readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { RpcBackend, startSourceServer, streamLedgers } from "../src/index";
import { HealthService } from "../src/proto";
import { serveFakeRpc } from "./helpers";

describe.skipIf(!haveFixtures())("Stellar RPC backend (getLedgers)", () => {
  let p26: LedgerBlob[];
  beforeAll(async () => {
    p26 = await readLedgerFile(fixture("lcm-synthetic/standalone-loadtest-p26-30ledgers.framed.xdr.zstd"));
  });

  it("pages through the retention window, follows the tip, and refuses ledgers outside retention", async () => {
    const window = { oldest: 10050, latest: 10065 };
    const rpc = await serveFakeRpc(p26, window, { maxPage: 4 });
    const server = await startSourceServer({
      datastore: new RpcBackend(rpc.url, { pageSize: 10 }),
      port: 0,
      host: "127.0.0.1",
      pollMs: 50,
      networkPassphrase: "Standalone Network ; February 2017",
    });
    const endpoint = `127.0.0.1:${server.port}`;
    try {
      const early = await streamLedgers({ endpoint, startLedger: 10048 })
        .next()
        .catch((e) => e);
      expect(early.code).toBe(grpc.status.OUT_OF_RANGE);
      expect(early.message).toMatch(/start_ledger 10048 is outside the available range 10050-10065/);

      const stream = streamLedgers({ endpoint, startLedger: 10052 });
      const seen: number[] = [];
      for (let i = 0; i < 14; i++) seen.push((await stream.next()).value!.sequence);
      setTimeout(() => {
        window.latest = 10077; // the network closes more ledgers
      }, 150);
      for (let i = 0; i < 12; i++) {
        const l = (await stream.next()).value!;
        seen.push(l.sequence);
        expect(l.xdr.equals(p26.find((b) => b.sequence === l.sequence)!.xdr)).toBe(true);
      }
      await stream.return(undefined);
      expect(seen).toEqual(Array.from({ length: 26 }, (_, i) => 10052 + i));
      // Paging used cursors, capped by the server's page size.
      expect(rpc.calls.some((c) => (c.params.pagination as { cursor?: string })?.cursor)).toBe(true);
    } finally {
      await server.close();
      await rpc.close();
    }
  });

  it("the server answers the standard gRPC health check", async () => {
    const rpc = await serveFakeRpc(p26, { oldest: 10048, latest: 10077 });
    const server = await startSourceServer({
      datastore: new RpcBackend(rpc.url),
      port: 0,
      host: "127.0.0.1",
    });
    const client = new HealthService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    try {
      const check = (service: string) =>
        new Promise<{ status: string }>((resolve, reject) =>
          (
            client as unknown as {
              Check: (r: object, cb: (e: Error | null, v: { status: string }) => void) => void;
            }
          ).Check({ service }, (e, v) => (e ? reject(e) : resolve(v))),
        );
      expect(await check("")).toEqual({ status: "SERVING" });
      expect(await check("raw_ledger_service.RawLedgerService")).toEqual({ status: "SERVING" });
      await expect(check("nope")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      client.close();
      await server.close();
      await rpc.close();
    }
  });
});
