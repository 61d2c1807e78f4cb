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
