/**
 * A TCP proxy in front of PostgreSQL that delivers the server's messages after each CopyDone ('c') in a
 * separate, delayed socket write: what a loaded machine or a real network does at random to the bytes of
 * `COPY … TO STDOUT` (the CommandComplete with the row count arriving in a later read than CopyDone).
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface SplitProxy {
  url: string;
  /** CopyDone messages after which the stream was split. */
  splits: number;
  close(): Promise<void>;
}

/** Proxies `target` (a postgres:// URL); the server's bytes after every CopyDone arrive `delayMs` later. */
export async function copyDoneSplitProxy(target: string, delayMs = 100): Promise<SplitProxy> {
  const u = new URL(target);
  const sockets = new Set<Socket>();
  const state = { splits: 0 };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(u.port), u.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    // Server → client: parse message boundaries (type byte + int32 length) to cut right after CopyDone.
    let pending = Buffer.alloc(0); // bytes of an incomplete message header
    let left = 0; // bytes of the current message body still to come
    let type = 0;
    // Writes are chained so the delayed remainder keeps its place in the stream.
    let chain: Promise<void> = Promise.resolve();
    const send = (b: Buffer, wait: number) => {
      chain = chain.then(async () => {
        if (wait) await new Promise((r) => setTimeout(r, wait));
        if (!client.destroyed) client.write(b);
      });
    };
    upstream.on("data", (data: Buffer) => {
      let buf = Buffer.concat([pending, data]);
      pending = Buffer.alloc(0);
      let start = 0;
      let i = 0;
      let delay = 0;
      while (i < buf.length) {
        if (left === 0) {
          if (buf.length - i < 5) {
            pending = buf.subarray(i);
            buf = buf.subarray(0, i);
            break;
          }
          type = buf[i]!;
          left = buf.readUInt32BE(i + 1) - 4;
          i += 5;
        }
        const n = Math.min(left, buf.length - i);
        i += n;
        left -= n;
        if (left === 0 && type === 0x63 /* CopyDone */) {
          send(buf.subarray(start, i), delay);
          start = i;
          delay = delayMs;
          state.splits++;
        }
      }
      if (start < buf.length) send(buf.subarray(start), delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    get splits() {
      return state.splits;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
