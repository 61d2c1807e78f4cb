/**
 * Where the lake's Parquet files live: a local directory or an S3-compatible bucket (`s3://bucket/prefix/`).
 * DuckDB here can only read and write local files (no httpfs offline), so writers write a local file and `put`
 * it at its lake path, and readers ask `localPath` for a local file to open: the file itself for a local lake,
 * a copy in a bounded LRU cache of the (immutable) objects for S3.
 *
 * Lake paths are relative to the data path (`main/ledgers/ducklake-….parquet`); `localPath` and `lakePathOf`
 * also take a full location (the data path + lake path, as the reader joins them from the catalog).
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

export interface LakeObject {
  /** Lake path (relative to the data path). */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface LakeStorage {
  /** The data path as the catalog records it: an absolute directory or `s3://bucket/prefix/`, ending in '/'. */
  readonly dataPath: string;
  /** True when files are not local (writers stage them in a temporary directory, then `put` them). */
  readonly remote: boolean;
  /** Store the local file `localFile` at `lakePath` (for a local lake: moved there unless it already is). */
  put(localFile: string, lakePath: string): Promise<void>;
  delete(lakePath: string): Promise<void>;
  exists(lakePath: string): Promise<boolean>;
  /** Every file under `prefix` (a lake path folder, e.g. `main/`), recursively. */
  list(prefix: string): Promise<LakeObject[]>;
  /** A local file with the content at `location` (a lake path or a full location under the data path). */
  localPath(location: string): Promise<string>;
  /**
   * Like `localPath`, and the local file is not evicted until `release` (the cache may exceed its budget
   * meanwhile): for reads that open many files at once, e.g. a compaction's sources.
   */
  pin(location: string): Promise<PinnedFile>;
  /** The lake path of a full location (or of a lake path: unchanged). */
  lakePathOf(location: string): string;
}

export interface PinnedFile {
  path: string;
  release(): Promise<void>;
}

export class LakeStorageError extends Error {
  override readonly name = "LakeStorageError";
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

export class LocalLakeStorage implements LakeStorage {
  readonly remote = false;
  readonly dataPath: string;
  constructor(dataPath: string) {
    this.dataPath = `${resolve(dataPath)}/`;
  }
  lakePathOf(location: string): string {
    return location.startsWith(this.dataPath) ? location.slice(this.dataPath.length) : location;
  }
  private abs(location: string): string {
    return location.startsWith("/") ? location : join(this.dataPath, location);
  }
  async put(localFile: string, lakePath: string): Promise<void> {
    const target = this.abs(lakePath);
    if (resolve(localFile) === target) return;
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(localFile, target);
    } catch {
      await copyFile(localFile, target);
      await rm(localFile, { force: true });
    }
  }
  async delete(lakePath: string): Promise<void> {
    await rm(this.abs(lakePath), { force: true });
  }
  async exists(lakePath: string): Promise<boolean> {
    return stat(this.abs(lakePath)).then(
      () => true,
      () => false,
    );
  }
  async list(prefix: string): Promise<LakeObject[]> {
    const out: LakeObject[] = [];
    const walk = async (rel: string) => {
      let names: string[];
      try {
        names = await readdir(join(this.dataPath, rel));
      } catch {
        return;
      }
      for (const n of names) {
        const p = rel ? `${rel.replace(/\/$/, "")}/${n}` : n;
        const st = await stat(join(this.dataPath, p)).catch(() => undefined);
        if (!st) continue;
        if (st.isDirectory()) await walk(`${p}/`);
        else out.push({ path: p, size: st.size, mtimeMs: st.mtimeMs });
      }
    };
    await walk(prefix);
    return out;
  }
  async localPath(location: string): Promise<string> {
    return this.abs(location);
  }
  async pin(location: string): Promise<PinnedFile> {
    return { path: this.abs(location), release: async () => {} };
  }
}

export interface S3LakeStorageOptions {
  /** `s3://bucket/prefix/` */
  dataPath: string;
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  /** Local cache of downloaded objects (default: `<tmpdir>/stellar-lake-cache`). */
  cacheDir?: string;
  /** Byte budget of the cache (default 2 GiB); least recently used files are evicted beyond it. */
  cacheBytes?: number;
  /** Use this client instead of one built from the options above. */
  client?: S3Client;
}

interface CacheEntry {
  size: number;
  used: number;
}

/** A bounded LRU cache of downloaded objects: each object downloaded once, even under concurrent requests. */
class ObjectCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<string>>();
  /** key → how many holders; pinned files are never evicted. */
  private readonly pins = new Map<string, number>();
  private bytes = 0;
  private clock = 0;
  private scanned?: Promise<void>;
  /** Downloads done (for tests and metrics). */
  downloads = 0;
  evictions = 0;
  constructor(
    readonly dir: string,
    readonly budget: number,
  ) {}

  get usedBytes(): number {
    return this.bytes;
  }

  /** The local file of `key`, downloaded unless cached; with `pin`, held until `unpin(key)`. */
  async get(key: string, download: (tmpFile: string) => Promise<void>, pin = false): Promise<string> {
    if (!pin) return this.fetch(key, download);
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
    try {
      return await this.fetch(key, download);
    } catch (err) {
      await this.unpin(key);
      throw err;
    }
  }

  async unpin(key: string): Promise<void> {
    const n = (this.pins.get(key) ?? 0) - 1;
    if (n > 0) this.pins.set(key, n);
    else this.pins.delete(key);
    await this.evict();
  }

  /**
   * Files a previous process left in the cache folder count against the budget (as least recently used) and
   * are served without a download; temporary files older than an hour (a download that died) are removed.
   */
  private scan(): Promise<void> {
    this.scanned ??= (async () => {
      const walk = async (rel: string): Promise<void> => {
        const names = await readdir(join(this.dir, rel)).catch(() => [] as string[]);
        for (const n of names) {
          const r = rel ? `${rel}/${n}` : n;
          const st = await stat(join(this.dir, r)).catch(() => undefined);
          if (!st) continue;
          if (st.isDirectory()) await walk(r);
          else if (/\.tmp-[0-9a-f-]{36}$/.test(n)) {
            if (st.mtimeMs < Date.now() - 3600_000) await rm(join(this.dir, r), { force: true });
          } else if (!this.entries.has(r)) {
            this.entries.set(r, { size: st.size, used: 0 });
            this.bytes += st.size;
          }
        }
      };
      await walk("");
      await this.evict();
    })();
    return this.scanned;
  }

  private async fetch(key: string, download: (tmpFile: string) => Promise<void>): Promise<string> {
    await this.scan();
    const file = join(this.dir, key);
    const e = this.entries.get(key);
    if (e) {
      e.used = ++this.clock;
      // Still there (something outside may have removed it): serve it, else download again.
      if (
        await stat(file).then(
          () => true,
          () => false,
        )
      )
        return file;
      this.forget(key);
    }
    let p = this.inflight.get(key);
    if (!p) {
      p = (async () => {
        await mkdir(dirname(file), { recursive: true });
        const tmp = `${file}.tmp-${randomUUID()}`;
        try {
          await download(tmp);
          const size = (await stat(tmp)).size;
          await rename(tmp, file);
          this.downloads++;
          this.entries.set(key, { size, used: ++this.clock });
          this.bytes += size;
          await this.evict(key);
          return file;
        } catch (err) {
          await rm(tmp, { force: true });
          throw err;
        }
      })().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private forget(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.size;
  }

  /** Least recently used first, never the file just fetched nor a pinned one, until within the budget. */
  private async evict(keep?: string): Promise<void> {
    if (this.bytes <= this.budget) return;
    const order = [...this.entries]
      .filter(([k]) => k !== keep && !this.pins.has(k))
      .sort((a, b) => a[1].used - b[1].used);
    for (const [k] of order) {
      if (this.bytes <= this.budget) break;
      this.forget(k);
      this.evictions++;
      await rm(join(this.dir, k), { force: true });
    }
  }

  async drop(key: string): Promise<void> {
    this.forget(key);
    await rm(join(this.dir, key), { force: true });
  }
}

export class S3LakeStorage implements LakeStorage {
  readonly remote = true;
  readonly dataPath: string;
  readonly bucket: string;
  /** Key prefix ('' or ending in '/'). */
  readonly prefix: string;
  readonly client: S3Client;
  readonly cache: ObjectCache;

  constructor(o: S3LakeStorageOptions) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(o.dataPath);
    if (!m) throw new LakeStorageError(`not an s3:// data path: ${o.dataPath}`);
    this.bucket = m[1]!;
    this.prefix = m[2] ? (m[2].endsWith("/") ? m[2] : `${m[2]}/`) : "";
    this.dataPath = `s3://${this.bucket}/${this.prefix}`;
    this.client =
      o.client ??
      new S3Client({
        region: o.region ?? "us-east-1",
        // No default CRC trailers (aws-chunked uploads): plain PUTs with Content-Length work on every
        // S3-compatible server (MinIO, Ceph, s3rver), and the Parquet footer is checked by DuckDB anyway.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.forcePathStyle !== undefined ? { forcePathStyle: o.forcePathStyle } : {}),
        ...(o.accessKeyId && o.secretAccessKey
          ? { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } }
          : {}),
      });
    this.cache = new ObjectCache(
      resolve(o.cacheDir ?? join(tmpdir(), "stellar-lake-cache")),
      o.cacheBytes ?? 2 * 1024 ** 3,
    );
  }

  lakePathOf(location: string): string {
    if (location.startsWith(this.dataPath)) return location.slice(this.dataPath.length);
    if (isUrl(location))
      throw new LakeStorageError(`${location} is not under the data path ${this.dataPath}`);
    return location;
  }
  private key(location: string): string {
    const p = this.lakePathOf(location);
    // Keys become cache file names: nothing that could leave the cache folder.
    if (p.split("/").some((x) => x === ".." || x === ".")) {
      throw new LakeStorageError(`lake path ${p} has '.' or '..' segments`);
    }
    return `${this.prefix}${p}`;
  }
  /** The cache file of an object: `<cache dir>/<bucket>/<key>`. */
  private cacheKey(key: string): string {
    return `${this.bucket}/${key}`;
  }
  private where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
  /** An SDK error as a message without request details that could carry credentials. */
  private fail(op: string, key: string, err: unknown): LakeStorageError {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
    return new LakeStorageError(
      `${op} ${this.where(key)} failed${status}: ${e.name ?? "Error"}: ${e.message ?? ""}`,
    );
  }

  async put(localFile: string, lakePath: string): Promise<void> {
    const key = this.key(lakePath);
    try {
      const size = (await stat(localFile)).size;
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: createReadStream(localFile),
          ContentLength: size,
        }),
      );
    } catch (err) {
      throw this.fail("upload of", key, err);
    }
  }
  async delete(lakePath: string): Promise<void> {
    const key = this.key(lakePath);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      throw this.fail("delete of", key, err);
    }
    await this.cache.drop(this.cacheKey(key));
  }
  async exists(lakePath: string): Promise<boolean> {
    const key = this.key(lakePath);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.$metadata?.httpStatusCode === 404 || e.name === "NotFound" || e.name === "NoSuchKey")
        return false;
      throw this.fail("HEAD of", key, err);
    }
  }
  async list(prefix: string): Promise<LakeObject[]> {
    const out: LakeObject[] = [];
    const full = `${this.prefix}${prefix}`;
    let token: string | undefined;
    do {
      let r: ListObjectsV2CommandOutput;
      try {
        r = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: full,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
      } catch (err) {
        throw this.fail("listing of", full, err);
      }
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        out.push({
          path: o.Key.slice(this.prefix.length),
          size: Number(o.Size ?? 0),
          mtimeMs: o.LastModified ? o.LastModified.getTime() : 0,
        });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }
  async localPath(location: string): Promise<string> {
    return this.cached(location, false);
  }
  async pin(location: string): Promise<PinnedFile> {
    const ck = this.cacheKey(this.key(location));
    const path = await this.cached(location, true);
    let released = false;
    return {
      path,
      release: async () => {
        if (released) return;
        released = true;
        await this.cache.unpin(ck);
      },
    };
  }
  private cached(location: string, pin: boolean): Promise<string> {
    const key = this.key(location);
    return this.cache.get(
      this.cacheKey(key),
      async (tmp) => {
        try {
          const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
          if (!r.Body) throw new Error("empty response body");
          await pipeline(r.Body as NodeJS.ReadableStream, createWriteStream(tmp));
        } catch (err) {
          throw this.fail("download of", key, err);
        }
      },
      pin,
    );
  }
}

/** The storage of a data path: `s3://…` → S3 (settings from `env`), anything else a local directory. */
export function lakeStorage(
  dataPath: string,
  env: Record<string, string | undefined> = process.env,
  extra: Partial<S3LakeStorageOptions> = {},
): LakeStorage {
  if (!dataPath.startsWith("s3://")) return new LocalLakeStorage(dataPath);
  const endpoint = env.DUCKLAKE_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const pathStyle = env.DUCKLAKE_S3_PATH_STYLE ?? env.AWS_S3_FORCE_PATH_STYLE;
  const mb = env.DUCKLAKE_CACHE_MB ? Number(env.DUCKLAKE_CACHE_MB) : undefined;
  if (mb !== undefined && !(mb > 0)) {
    throw new LakeStorageError(
      `DUCKLAKE_CACHE_MB must be a positive number of MiB, got '${env.DUCKLAKE_CACHE_MB}'`,
    );
  }
  return new S3LakeStorage({
    dataPath,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    ...(endpoint ? { endpoint } : {}),
    ...(env.AWS_ACCESS_KEY_ID ? { accessKeyId: env.AWS_ACCESS_KEY_ID } : {}),
    ...(env.AWS_SECRET_ACCESS_KEY ? { secretAccessKey: env.AWS_SECRET_ACCESS_KEY } : {}),
    // Path-style by default with a custom endpoint (MinIO, s3rver, Ceph), virtual-hosted on AWS.
    forcePathStyle: pathStyle !== undefined ? /^(1|true|yes)$/i.test(pathStyle) : Boolean(endpoint),
    ...(env.DUCKLAKE_CACHE_DIR ? { cacheDir: env.DUCKLAKE_CACHE_DIR } : {}),
    ...(mb !== undefined ? { cacheBytes: Math.floor(mb * 1024 * 1024) } : {}),
    ...extra,
  });
}

/** The data path from `DUCKLAKE_DATA_PATH`: an s3:// URL as is (ending in '/'), a directory made absolute. */
export function normalizeDataPath(p: string): string {
  if (p.startsWith("s3://")) return p.endsWith("/") ? p : `${p}/`;
  return `${resolve(p)}/`;
}
