/**
 * HTTP(S) / S3-compatible object storage with anonymous reads (the public Stellar data lake): objects by plain GET,
 * listings by S3 `ListObjectsV2` (`?list-type=2&prefix=…&delimiter=/`). An optional `authorization` header covers
 * private gateways.
 */
import { type Manifest, parseManifest } from "./layout";
import { type Datastore, pathOf } from "./store";

export class HttpDatastore implements Datastore {
  readonly location: string;
  private readonly base: URL;
  private readonly prefix: string;
  private cached: Manifest | undefined;

  constructor(
    url: string,
    private readonly opts: { authorization?: string; timeoutMs?: number } = {},
  ) {
    const u = new URL(url.endsWith("/") ? url : `${url}/`);
    u.username = "";
    u.password = "";
    this.location = u.toString();
    // Path-style: the first path segment is the bucket; the rest is the key prefix.
    const [bucket = "", ...rest] = u.pathname.replace(/^\//, "").split("/");
    this.base = new URL(`${u.protocol}//${u.host}/${bucket}`);
    this.prefix = rest.join("/");
  }

  private headers(): Record<string, string> {
    return this.opts.authorization ? { authorization: this.opts.authorization } : {};
  }

  private async fetch(url: string): Promise<Response> {
    try {
      return await fetch(url, {
        headers: this.headers(),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new Error(
        `${this.location}: ${(err as Error).message} (${(err as { cause?: Error }).cause?.message ?? "network error"})`,
      );
    }
  }

  async manifest(): Promise<Manifest> {
    if (this.cached) return this.cached;
    const body = await this.get(".config.json");
    if (!body) throw new Error(`${this.location}: no .config.json manifest (not a Galexie datastore)`);
    this.cached = parseManifest(body.toString("utf8"), this.location);
    return this.cached;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const r = await this.fetch(`${this.base}/${this.prefix}${key}`);
    if (r.status === 404 || r.status === 403) {
      await r.body?.cancel(); // release the connection
      return undefined;
    }
    if (!r.ok) throw new Error(`${pathOf(this, key)}: HTTP ${r.status}`);
    return Buffer.from(await r.arrayBuffer());
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const full = `${this.prefix}${prefix}`;
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ "list-type": "2", prefix: full, delimiter: "/" });
      if (token) q.set("continuation-token", token);
      const r = await this.fetch(`${this.base}?${q}`);
      if (!r.ok) throw new Error(`${this.location}: listing ${prefix || "/"} failed: HTTP ${r.status}`);
      const xml = await r.text();
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) out.push(decodeXml(m[1]!).slice(full.length));
      for (const m of xml.matchAll(/<Prefix>([^<]*)<\/Prefix>/g)) {
        const p = decodeXml(m[1]!);
        if (p !== full && p.startsWith(full)) out.push(p.slice(full.length));
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? decodeXml(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? "")
        : undefined;
    } while (token);
    return out.filter((n) => n && !n.startsWith("."));
  }
}

function decodeXml(s: string): string {
  return s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e]!,
  );
}
