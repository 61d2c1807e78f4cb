import { readdir, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";

/**
 * A minimal S3-compatible HTTP server over a local directory, path-style: `GET /<bucket>/<key>` and
 * `GET /<bucket>?list-type=2&prefix=&delimiter=/` (ListObjectsV2, with paging every `pageSize` entries).
 */
export async function serveDirectoryAsS3(
  dir: string,
  bucket = "lake",
  pageSize = 1000,
): Promise<{ url: string; close(): Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    requests.push(u.pathname + u.search);
    const [, b, ...rest] = u.pathname.split("/");
    if (b !== bucket) {
      res.writeHead(404).end();
      return;
    }
    const key = decodeURIComponent(rest.join("/"));
    if (!key && u.searchParams.get("list-type") === "2") {
      const prefix = u.searchParams.get("prefix") ?? "";
      const slash = prefix.lastIndexOf("/");
      const folder = prefix.slice(0, slash + 1);
      let names: string[] = [];
      try {
        const entries = await readdir(join(dir, folder), { withFileTypes: true });
        names = entries
          .map((e) => `${folder}${e.name}${e.isDirectory() ? "/" : ""}`)
          .filter((n) => n.startsWith(prefix));
      } catch {}
      names.sort();
      const after = u.searchParams.get("continuation-token") ?? "";
      const page = names.filter((n) => n > after).slice(0, pageSize);
      const truncated = names.filter((n) => n > after).length > page.length;
      const body = [
        "<ListBucketResult>",
        ...page.map((n) =>
          n.endsWith("/")
            ? `<CommonPrefixes><Prefix>${n}</Prefix></CommonPrefixes>`
            : `<Contents><Key>${n}</Key></Contents>`,
        ),
        `<IsTruncated>${truncated}</IsTruncated>`,
        truncated ? `<NextContinuationToken>${page.at(-1)}</NextContinuationToken>` : "",
        "</ListBucketResult>",
      ].join("");
      res.writeHead(200, { "content-type": "application/xml" }).end(body);
      return;
    }
    try {
      const path = join(dir, key);
      if (!(await stat(path)).isFile()) throw new Error("not a file");
      const body = await readFile(path);
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/${bucket}/`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * A stand-in Stellar RPC (no real RPC is reachable here): `getLedgers` over the given ledgers with a
 * retention window [oldest, latest] the test moves, a page-size cap and opaque cursors; `getLatestLedger`,
 * `getNetwork`. Asking outside the window answers the JSON-RPC error real RPC gives.
 */
export async function serveFakeRpc(
  ledgers: { sequence: number; xdr: Buffer }[],
  window: { oldest: number; latest: number },
  opts: { maxPage?: number; passphrase?: string } = {},
) {
  const bySeq = new Map(ledgers.map((l) => [l.sequence, l]));
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const { id, method, params } = JSON.parse(body) as {
      id: number;
      method: string;
      params: Record<string, unknown>;
    };
    calls.push({ method, params });
    const reply = (x: object) =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ jsonrpc: "2.0", id, ...x }));
    if (method === "getNetwork")
      return reply({ result: { passphrase: opts.passphrase ?? "Standalone Network ; February 2017" } });
    if (method === "getLatestLedger") return reply({ result: { sequence: window.latest } });
    if (method !== "getLedgers") return reply({ error: { code: -32601, message: "method not found" } });
    const pagination = (params.pagination ?? {}) as { cursor?: string; limit?: number };
    const limit = Math.min(pagination.limit ?? 5, opts.maxPage ?? 5);
    const start = pagination.cursor
      ? Number(pagination.cursor) + 1
      : Number(params.startLedger ?? window.oldest);
    if (start < window.oldest || start > window.latest) {
      return reply({
        error: {
          code: -32600,
          message: `start ledger must be between the oldest ledger: ${window.oldest} and the latest ledger: ${window.latest} for this rpc instance.`,
        },
      });
    }
    const page = [];
    for (let s = start; s <= window.latest && page.length < limit; s++) {
      const l = bySeq.get(s);
      if (l)
        page.push({ sequence: s, hash: "", ledgerCloseTime: "0", metadataXdr: l.xdr.toString("base64") });
    }
    reply({
      result: {
        ledgers: page,
        latestLedger: window.latest,
        oldestLedger: window.oldest,
        cursor: String(page.at(-1)?.sequence ?? start - 1),
      },
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
