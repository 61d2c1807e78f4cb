import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { xdr } from "@stellar/stellar-sdk/base";
import { type LedgerBlob, peekLedgerHeader, readLedgerFile, withHeaderProtocol } from "@stellar-lake/lcm-io";
import { fixture, freePort, haveFixtures } from "@stellar-lake/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  availableRange,
  DirectoryDatastore,
  fileKeyFor,
  HttpDatastore,
  METHOD_PATH,
  readLedgers,
  resequence,
  SourceError,
  startSourceServer,
  streamLedgers,
  writeDatastore,
} from "../src/index";
import { RawLedgerService } from "../src/proto";
import { serveDirectoryAsS3 } from "./helpers";

const STANDALONE = "Standalone Network ; February 2017";
const P26 = "lcm-synthetic/standalone-loadtest-p26-30ledgers.framed.xdr.zstd";

describe("wire contract", () => {
  it("uses the original's method path and protobuf bytes", () => {
    const m = (RawLedgerService.service as Record<string, grpc.MethodDefinition<object, object>>)
      .StreamRawLedgers!;
    expect(m.path).toBe("/raw_ledger_service.RawLedgerService/StreamRawLedgers");
    expect(METHOD_PATH).toBe(m.path);
    expect(m.responseStream).toBe(true);
    // field 1 varint 53312000
    expect(Buffer.from(m.requestSerialize({ start_ledger: 53312000 })).toString("hex")).toBe("0880f4b519");
    const msg = { sequence: 5, ledger_close_meta_xdr: Buffer.from([1, 2, 3]) };
    expect(Buffer.from(m.responseSerialize(msg)).toString("hex")).toBe("08051203010203");
    expect(m.responseDeserialize(Buffer.from("08051203010203", "hex"))).toEqual(msg);
  });
});

async function collect(it: AsyncIterable<{ sequence: number; xdr: Buffer }>, n: number) {
  const out: { sequence: number; xdr: Buffer }[] = [];
  for await (const l of it) {
    out.push(l);
    if (out.length >= n) break;
  }
  return out;
}

describe.skipIf(!haveFixtures())("RawLedgerService over a Galexie datastore", () => {
  let p26: LedgerBlob[];
  let root: string;
  beforeAll(async () => {
    p26 = await readLedgerFile(fixture(P26));
    root = await mkdtemp(join(tmpdir(), "source-"));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  async function build(name: string, lpb: number, bpp: number, ledgers = p26) {
    const dir = join(root, name);
    await writeDatastore(dir, ledgers, {
      networkPassphrase: STANDALONE,
      ledgersPerBatch: lpb,
      batchesPerPartition: bpp,
    });
    return dir;
  }

  it.each([
    [1, 1],
    [4, 1],
    [4, 2],
    [1, 8],
  ])("streams exactly the fixture ledgers (ledgersPerBatch %i, batchesPerPartition %i)", async (lpb, bpp) => {
    const dir = await build(`ds-${lpb}-${bpp}`, lpb, bpp);
    if (bpp > 1) expect((await readdir(dir)).some((n) => /^[0-9A-F]{8}--\d+-\d+$/.test(n))).toBe(true);
    expect(await availableRange(new DirectoryDatastore(dir))).toEqual({ oldest: 10048, latest: 10077 });
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(dir),
      port: 0,
      host: "127.0.0.1",
      pollMs: 50,
    });
    try {
      const got = await collect(
        streamLedgers({ endpoint: `127.0.0.1:${server.port}`, startLedger: 10050 }),
        28,
      );
      expect(got.map((l) => l.sequence)).toEqual(p26.slice(2).map((b) => b.sequence));
      expect(got.every((l, i) => l.xdr.equals(p26[i + 2]!.xdr))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("serves a ledger of a protocol newer than this build's XDR as it is (the header peek reads it; the ingester decides)", async () => {
    // The last fixture ledger with protocol 30 in its header and the header hash recomputed.
    const last = p26[p26.length - 1]!;
    const bytes = withHeaderProtocol(last.xdr, 30);
    expect(peekLedgerHeader(bytes).protocolVersion).toBe(30);
    const ledgers = [...p26.slice(0, -1), { ...last, xdr: bytes }];
    const dir = await build("p30", 4, 1, ledgers);
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(dir),
      port: 0,
      host: "127.0.0.1",
      pollMs: 50,
    });
    try {
      const got = await collect(
        streamLedgers({ endpoint: `127.0.0.1:${server.port}`, startLedger: last.sequence - 1 }),
        2,
      );
      expect(got.map((l) => l.sequence)).toEqual([last.sequence - 1, last.sequence]);
      expect(got[1]!.xdr.equals(bytes)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("delivers a file added while a client streams (live tail), without reconnecting", async () => {
    const dir = await build("tail", 1, 1, p26.slice(0, 10));
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(dir),
      port: 0,
      host: "127.0.0.1",
      pollMs: 50,
    });
    let reconnects = 0;
    try {
      const stream = streamLedgers({
        endpoint: `127.0.0.1:${server.port}`,
        startLedger: 10048,
        onReconnect: () => reconnects++,
      });
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) seen.push((await stream.next()).value!.sequence);
      expect(seen.at(-1)).toBe(10057);
      setTimeout(() => void writeDatastore(dir, p26.slice(10, 12), { networkPassphrase: STANDALONE }), 200);
      for (let i = 0; i < 2; i++) seen.push((await stream.next()).value!.sequence);
      await stream.return(undefined);
      expect(seen.slice(10)).toEqual([10058, 10059]);
      expect(reconnects).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("a killed server → the client reconnects and continues with no gap and no duplicate", async () => {
    const dir = await build("kill", 1, 1);
    const port = await freePort();
    let server = await startSourceServer({
      datastore: new DirectoryDatastore(dir),
      port,
      host: "127.0.0.1",
      rate: 50,
    });
    const seen: number[] = [];
    let reconnects = 0;
    const stream = streamLedgers({
      endpoint: `127.0.0.1:${port}`,
      startLedger: 10048,
      initialBackoffMs: 50,
      onReconnect: () => reconnects++,
    });
    for await (const l of stream) {
      seen.push(l.sequence);
      if (seen.length === 5) {
        await server.close();
        setTimeout(async () => {
          server = await startSourceServer({
            datastore: new DirectoryDatastore(dir),
            port,
            host: "127.0.0.1",
          });
        }, 300);
      }
      if (seen.length === 30) break;
    }
    await server.close();
    expect(seen).toEqual(p26.map((b) => b.sequence));
    expect(reconnects).toBeGreaterThan(0);
  });

  it("answers each error case with its status and a clear message", async () => {
    const dir = await build("errors", 1, 1);
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(dir),
      port: 0,
      host: "127.0.0.1",
      pollMs: 50,
    });
    const endpoint = `127.0.0.1:${server.port}`;
    try {
      const early = await collect(streamLedgers({ endpoint, startLedger: 5 }), 1).catch((e) => e);
      expect(early).toBeInstanceOf(SourceError);
      expect(early.code).toBe(grpc.status.OUT_OF_RANGE);
      expect(early.message).toMatch(/start_ledger 5 is outside the available range 10048-10077/);

      const m = await new DirectoryDatastore(dir).manifest();
      await rm(join(dir, fileKeyFor(m, 10060)));
      const gap = await collect(streamLedgers({ endpoint, startLedger: 10055 }), 30).catch((e) => e);
      expect(gap.code).toBe(grpc.status.DATA_LOSS);
      expect(gap.message).toMatch(/ledger 10060 is missing: .*does not exist, but ledgers up to 10077 do/);

      await writeFile(join(dir, fileKeyFor(m, 10065)), Buffer.from("this is not zstd"));
      const corrupt = await collect(streamLedgers({ endpoint, startLedger: 10061 }), 30).catch((e) => e);
      expect(corrupt.code).toBe(grpc.status.DATA_LOSS);
      expect(corrupt.message).toMatch(/corrupt datastore file: .*FFFFD8AE--10065\.xdr\.zst/);
    } finally {
      await server.close();
    }
    await expect(
      startSourceServer({
        datastore: new DirectoryDatastore(dir),
        port: 0,
        networkPassphrase: "Test SDF Network ; September 2015",
      }),
    ).rejects.toThrow(/manifest is for network 'Standalone Network ; February 2017'/);
  });

  it("per-call metadata reaches the server; a cancelled client frees its stream", async () => {
    const dir = await build("auth", 1, 1);
    const server = await startSourceServer({
      datastore: new DirectoryDatastore(dir),
      port: 0,
      host: "127.0.0.1",
      pollMs: 50,
      authToken: "Bearer s3cret",
    });
    const endpoint = `127.0.0.1:${server.port}`;
    try {
      const denied = await streamLedgers({ endpoint, startLedger: 10048 })
        .next()
        .catch((e) => e);
      expect(denied.code).toBe(grpc.status.UNAUTHENTICATED);
      const stream = streamLedgers({
        endpoint,
        startLedger: 10048,
        metadata: { authorization: "Bearer s3cret" },
      });
      expect((await stream.next()).value!.sequence).toBe(10048);
      expect((await server.metrics.clients.get()).values[0]!.value).toBe(1);
      await stream.return(undefined);
      for (let i = 0; i < 50 && (await server.metrics.clients.get()).values[0]!.value !== 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await server.metrics.clients.get()).values[0]!.value).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("the HTTP (S3-compatible) backend streams the same ledgers as the directory backend", async () => {
    const dir = await build("http", 4, 2);
    const s3 = await serveDirectoryAsS3(dir, "lake", 3);
    try {
      const ds = new HttpDatastore(`${s3.url}`);
      expect(await availableRange(ds)).toEqual({ oldest: 10048, latest: 10077 });
      const viaHttp: LedgerBlob[] = [];
      for await (const b of readLedgers(ds, 10048, { pollMs: 0 })) viaHttp.push(b);
      expect(viaHttp.map((b) => b.sequence)).toEqual(p26.map((b) => b.sequence));
      expect(viaHttp.every((b, i) => b.xdr.equals(p26[i]!.xdr))).toBe(true);
      expect(s3.requests.some((r) => r.includes("list-type=2"))).toBe(true);
    } finally {
      await s3.close();
    }
  });

  it("resequences real ledgers into a contiguous, hash-chained range", async () => {
    const sources = (await readLedgerFile(fixture("lcm-real/testnet-997.FFFFFC1A--997.xdr.zst"))).map(
      (b) => b.xdr,
    );
    const out = [
      ...resequence([...sources, ...p26.slice(0, 2).map((b) => b.xdr)], {
        start: 500,
        count: 7,
        closeTimeStart: 1_700_000_000,
      }),
    ];
    expect(out.map((l) => l.sequence)).toEqual([500, 501, 502, 503, 504, 505, 506]);
    for (let i = 0; i < out.length; i++) {
      const h = peekLedgerHeader(out[i]!.xdr);
      expect(h.sequence).toBe(500 + i);
      expect(h.closeTime).toBe(1_700_000_000 + 5 * i);
      const lcm = xdr.LedgerCloseMeta.fromXDR(out[i]!.xdr);
      const header = lcm.value.ledgerHeader;
      expect(h.hash).toBe(createHash("sha256").update(header.header.toXdr()).digest("hex"));
      if (i > 0) expect(h.previousLedgerHash).toBe(peekLedgerHeader(out[i - 1]!.xdr).hash);
    }
  });
});
