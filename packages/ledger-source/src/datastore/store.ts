/** A Galexie datastore behind one interface: a local directory or HTTP(S)/S3-compatible object storage. */
import type { Manifest } from "./layout";

export interface Datastore {
  /** Where it is, for messages (never includes credentials). */
  readonly location: string;
  manifest(): Promise<Manifest>;
  /** The object's bytes, or undefined when it does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  /** Names directly under `prefix` ("" = root): objects and sub-folders (ending in '/'). */
  list(prefix: string): Promise<string[]>;
}
