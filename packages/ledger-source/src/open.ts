import { DirectoryDatastore } from "./datastore/directory";
import { HttpDatastore } from "./datastore/http";
import type { Datastore } from "./datastore/store";

/** A directory path or an http(s):// URL (S3-compatible, path-style) → its datastore. */
export function openDatastoreAt(location: string, opts: { authorization?: string } = {}): Datastore {
  return /^https?:\/\//.test(location) ? new HttpDatastore(location, opts) : new DirectoryDatastore(location);
}
