#!/usr/bin/env bash
# Installs what the tests run for real when it is missing: Debian's pgbouncer (the transaction-pooling tests),
# psql (postgresql-client: the compose init SQL test) and chromium (the status page in a headless browser). Without them those tests skip with a message, so this
# belongs in CI's setup. Quiet on success; a no-op when both are present, or without apt-get/root.
set -euo pipefail
missing=()
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != "0" ]; then
  echo "ensure-pgbouncer: cannot apt-get install ${missing[*]} here; the tests that need them will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 || true
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The pgbouncer package starts a system service; the tests run their own instance.
if command -v service >/dev/null 2>&1; then service pgbouncer stop >/dev/null 2>&1 || true; fi
exit 0
