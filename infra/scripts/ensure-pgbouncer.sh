#!/usr/bin/env bash
# Installs Debian's pgbouncer when it is missing, so the PgBouncer transaction-pooling test runs in CI instead of
# skipping. Quiet on success; a no-op when pgbouncer is already on PATH or when apt-get is unavailable/not root.
set -euo pipefail
if command -v pgbouncer >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != "0" ]; then
  echo "ensure-pgbouncer: pgbouncer not installed and cannot apt-get install it here; its test will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
fi
# The package enables a system service; the tests start their own instance.
if command -v service >/dev/null 2>&1; then service pgbouncer stop >/dev/null 2>&1 || true; fi
command -v pgbouncer >/dev/null
