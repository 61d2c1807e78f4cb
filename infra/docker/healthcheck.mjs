// HEALTHCHECK probe for the service images (the slim Node image has neither curl nor wget):
// exit 0 when the URL answers 2xx within the timeout, else 1.
// usage: node healthcheck.mjs URL [TIMEOUT_MS]
const [url, timeout = "4000"] = process.argv.slice(2);
if (!url) {
  console.error("usage: node healthcheck.mjs URL [TIMEOUT_MS]");
  process.exit(2);
}
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(Number(timeout)) });
  if (!res.ok) console.error(`${url}: HTTP ${res.status}`);
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  console.error(`${url}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
