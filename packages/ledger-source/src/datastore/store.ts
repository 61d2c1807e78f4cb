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

/** Where an object of `ds` is, for messages: its location and key with one separator between them. */
export function pathOf(ds: Pick<Datastore, "location">, key: string): string {
  return ds.location.endsWith("/") ? `${ds.location}${key}` : `${ds.location}/${key}`;
}
