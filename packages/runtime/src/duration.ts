/** Durations as people write them: `0`, `500ms`, `30s`, `10m`, `1h`, or a plain number of seconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) throw new Error(`${what}: '${text}' is not a duration (e.g. 0, 30s, 10m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
}
