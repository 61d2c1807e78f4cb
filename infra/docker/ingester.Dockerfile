# syntax=docker/dockerfile:1.7
# The ingester: streams ledgers from the ledger source into the PostgreSQL hot buffer (connects to PostgreSQL directly).
# Build from the repository root:  docker build -f infra/docker/ingester.Dockerfile -t stellar-lake/ingester .

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install the workspace, then keep only the CLI's production dependency closure ----
FROM ${NODE_IMAGE} AS build
# Native addons without a prebuilt binary for this platform compile from source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.8
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY infra/package.json infra/package.json
COPY packages/ packages/
RUN pnpm install --frozen-lockfile
# Services run through the `stellar-lake` CLI (TypeScript run by tsx, a production dependency of the CLI).
RUN pnpm --filter @stellar-lake/cli deploy --prod --legacy /out

# ---- runtime: Node LTS, production dependencies only, unprivileged user ----
FROM ${NODE_IMAGE} AS runtime
RUN groupadd --system --gid 10001 stellarlake \
 && useradd --system --uid 10001 --gid stellarlake --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin stellarlake
WORKDIR /app
COPY --from=build --chown=root:root /out /app
COPY --chown=root:root infra/docker/healthcheck.mjs /usr/local/lib/stellar-lake/healthcheck.mjs
ENV NODE_ENV=production \
    LOG_LEVEL=info \
    NETWORK_PASSPHRASE="Public Global Stellar Network ; September 2015" \
    LEDGER_SOURCE=ledger-source:50053 \
    INGESTER_HEALTH_PORT=8088
USER stellarlake:stellarlake
EXPOSE 8088
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/usr/local/lib/stellar-lake/healthcheck.mjs", "http://127.0.0.1:8088/health/live"]
CMD ["node", "--import", "tsx", "src/main.ts", "ingest"]
