/** A one-line progress bar for bounded backfills on a terminal: ledgers, rate and ETA. */
export function progressBar(first: number, last: number, out: NodeJS.WriteStream = process.stderr) {
  const total = last - first + 1;
  const t0 = Date.now();
  let lastDraw = 0;
  return {
    update(done: number, force = false) {
      const now = Date.now();
      if (!force && now - lastDraw < 200) return;
      lastDraw = now;
      const frac = Math.min(1, done / total);
      const rate = done / Math.max(0.001, (now - t0) / 1000);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const width = 30;
      const filled = Math.round(frac * width);
      out.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${done}/${total} ledgers  ${rate.toFixed(1)} ledgers/s  ETA ${eta.toFixed(0)}s `,
      );
    },
    finish() {
      out.write("\n");
    },
  };
}
