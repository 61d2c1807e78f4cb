import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Manifest, parseManifest } from "./layout";
import type { Datastore } from "./store";

export class DirectoryDatastore implements Datastore {
  readonly location: string;
  private cached: Manifest | undefined;

  constructor(dir: string) {
    this.location = resolve(dir);
  }

  async manifest(): Promise<Manifest> {
    if (this.cached) return this.cached;
    const path = join(this.location, ".config.json");
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new Error(`${this.location}: no .config.json manifest (not a Galexie datastore)`);
    }
    this.cached = parseManifest(text, this.location);
    return this.cached;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.location, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    try {
      const entries = await readdir(join(this.location, prefix), { withFileTypes: true });
      return entries
        .filter((e) => !e.name.startsWith("."))
        .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
  }
}
