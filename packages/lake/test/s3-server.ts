/**
 * A real S3-compatible HTTP server for tests (s3rver, objects in a temporary folder) on a free local port, and
 * storages / environments pointing at it. Used by the flusher's and the query API's S3 tests.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { lakeStorage, type S3LakeStorage } from "../src/index";

/** s3rver's fixed credentials. A test asserting they stay out of errors uses this secret. */
export const S3_ACCESS_KEY = "S3RVER";
export const S3_SECRET = "S3RVER";

export interface TestS3 {
  endpoint: string;
  /** Bytes under `dir` are the server's own storage (not to be touched by tests). */
  dir: string;
  /** The environment a service would be given for `s3://bucket/…` data paths on this server. */
  env(cacheDir: string, cacheMb?: number): Record<string, string>;
  /** A storage of `s3://<bucket>/<prefix>/` on this server with its own cache, counting the GETs it sends. */
  storage(dataPath: string, cacheDir: string, cacheBytes?: number): S3LakeStorage & { gets: () => number };
  createBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), "s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = (cacheDir: string, cacheMb?: number): Record<string, string> => ({
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: S3_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: S3_SECRET,
    DUCKLAKE_S3_PATH_STYLE: "true",
    DUCKLAKE_CACHE_DIR: cacheDir,
    ...(cacheMb !== undefined ? { DUCKLAKE_CACHE_MB: String(cacheMb) } : {}),
  });
  return {
    endpoint,
    dir,
    env,
    storage(dataPath, cacheDir, cacheBytes) {
      const s = lakeStorage(dataPath, env(cacheDir), {
        ...(cacheBytes !== undefined ? { cacheBytes } : {}),
      }) as S3LakeStorage;
      let gets = 0;
      s.client.middlewareStack.add(
        (next, context) => (args) => {
          if (context.commandName === "GetObjectCommand") gets++;
          return next(args);
        },
        { step: "initialize", name: "countGets" },
      );
      return Object.assign(s, { gets: () => gets });
    },
    async createBucket(name) {
      const c = new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET },
      });
      await c.send(new CreateBucketCommand({ Bucket: name }));
      c.destroy();
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
