/**
 * The Node.js this project runs on. `engines.node` in the root package.json says the same (a test holds them
 * together); the project brings Node 24 LTS itself as the root devDependency `node`, so `pnpm …` scripts run on it
 * whatever Node started pnpm.
 */
export const MIN_NODE = "22.12.0";

function parts(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`not a Node.js version: '${version}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Whether `version` (e.g. `process.versions.node`) is at least MIN_NODE. */
export function nodeSupported(version: string): boolean {
  const [a, b, c] = parts(version);
  const [x, y, z] = parts(MIN_NODE);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
}

/** Why this Node cannot run stellar-lake, with what to do instead; undefined when it can. */
export function unsupportedNodeMessage(version: string = process.versions.node): string | undefined {
  if (nodeSupported(version)) return undefined;
  return (
    `stellar-lake needs Node.js ≥ ${MIN_NODE}, this is ${version}. ` +
    "Run it through pnpm (`npx -y pnpm@10 install`, then `npx -y pnpm@10 stellar-lake …` or `npx -y pnpm@10 dev`): " +
    "the project installs Node 24 LTS into node_modules and pnpm's scripts use it."
  );
}
