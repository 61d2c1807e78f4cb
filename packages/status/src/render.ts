/** The status page: one server-rendered HTML document, no scripts, refreshing itself every 10 seconds. */
import type { PipelineStatus } from "./collect";

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

const num = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-US");

function rateChart(points: PipelineStatus["ingestRate"]): string {
  const w = 600;
  const h = 120;
  const max = Math.max(1, ...points.map((p) => p.ledgers));
  const bw = w / Math.max(1, points.length);
  const bars = points
    .map((p, i) => {
      const bh = Math.round((p.ledgers / max) * (h - 20));
      return `<rect x="${(i * bw).toFixed(1)}" y="${h - bh}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh}"><title>${esc(p.minute)}: ${p.ledgers} ledgers</title></rect>`;
    })
    .join("");
  const first = points[0]?.minute ?? "";
  const last = points.at(-1)?.minute ?? "";
  return `<svg class="chart" viewBox="0 0 ${w} ${h + 16}" role="img" aria-label="ledgers ingested per minute, last hour">
  <text x="0" y="10" class="axis">max ${max}/min</text>${bars}
  <text x="0" y="${h + 14}" class="axis">${esc(first)}</text><text x="${w}" y="${h + 14}" class="axis" text-anchor="end">${esc(last)}</text>
</svg>`;
}

export function renderStatusPage(s: PipelineStatus): string {
  const lag =
    s.source.tip !== null && s.checkpoint.ledger !== null ? s.source.tip - s.checkpoint.ledger : null;
  const hotRows = s.hot.reduce((a, t) => a + t.rows, 0);
  const hotBytes = s.hot.reduce((a, t) => a + t.bytes, 0);
  const coldRows = s.cold.reduce((a, t) => a + t.rows, 0);
  const coldBytes = s.cold.reduce((a, t) => a + t.bytes, 0);
  const watermark = s.flushes[0]?.watermark ?? null;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
<title>stellar-lake status</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2433;background:#f7f8fa}
h1{font-size:20px;margin:0 0 4px} h2{font-size:15px;margin:24px 0 8px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}.muted{color:#667085}
table{border-collapse:collapse;background:#fff;border:1px solid #dde1e8}th,td{padding:4px 10px;text-align:right;border-bottom:1px solid #eef0f4}
th:first-child,td:first-child{text-align:left}.chart rect{fill:#3b6fd8}.axis{font-size:10px;fill:#667085}
.err{background:#fde8e8;border:1px solid #f5b5b5;padding:8px;border-radius:6px}
</style></head><body>
<h1>stellar-lake</h1><div class="muted">generated ${esc(s.generatedAt)} · refreshes every 10 s · <a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI</a></div>
${s.errors.length ? `<p class="err">${s.errors.map(esc).join("<br>")}</p>` : ""}
<div class="cards" id="summary">
<div class="card">source tip<b id="source-tip">${num(s.source.tip)}</b></div>
<div class="card">ingested checkpoint<b id="checkpoint">${num(s.checkpoint.ledger)}</b></div>
<div class="card">lag (ledgers)<b id="lag">${num(lag)}</b></div>
<div class="card">cold watermark<b id="watermark">${num(watermark)}</b></div>
<div class="card">hot rows<b>${num(hotRows)}</b><span class="muted">${bytes(hotBytes)}</span></div>
<div class="card">cold rows<b>${num(coldRows)}</b><span class="muted">${bytes(coldBytes)}</span></div>
</div>
<h2>Ingest rate, last hour (ledgers per minute)</h2>
${rateChart(s.ingestRate)}
<h2>Hot buffer (PostgreSQL)</h2>
<table id="hot"><tr><th>table</th><th>rows</th><th>size</th><th>oldest ledger</th><th>newest ledger</th></tr>
${s.hot.map((t) => `<tr><td>${esc(t.table)}</td><td>${num(t.rows)}</td><td>${bytes(t.bytes)}</td><td>${num(t.minLedger)}</td><td>${num(t.maxLedger)}</td></tr>`).join("\n")}
</table>
<h2>Flush history (DuckLake snapshots)</h2>
<table id="flushes"><tr><th>snapshot</th><th>at</th><th>watermark</th><th>from</th><th>rows</th><th>seconds</th></tr>
${s.flushes.map((f) => `<tr><td>${f.snapshotId}</td><td>${esc(f.at)}</td><td>${num(f.watermark)}</td><td>${num(f.from)}</td><td>${num(f.rows)}</td><td>${f.seconds === null ? "–" : f.seconds.toFixed(2)}</td></tr>`).join("\n") || '<tr><td colspan="6" class="muted">no flush yet</td></tr>'}
</table>
<h2>Cold storage (DuckLake bronze)</h2>
<table id="cold"><tr><th>table</th><th>files</th><th>rows</th><th>bytes</th></tr>
${s.cold.map((t) => `<tr><td>${esc(t.table)}</td><td>${num(t.files)}</td><td>${num(t.rows)}</td><td>${bytes(t.bytes)}</td></tr>`).join("\n") || '<tr><td colspan="4" class="muted">no catalog yet</td></tr>'}
</table>
</body></html>
`;
}
