# syntax=docker/dockerfile:1.7
# The query API: one HTTP API over hot (PostgreSQL, through PgBouncer) and cold (DuckLake) data.
# Build from the repository root:  docker build -f infra/docker/query-api.Dockerfile -t stellar-lake/query-api .

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
# NODE_OPTIONS: API_NODE_OPTIONS of packages/query-api/src/node-options.ts (a larger young generation: less time in GC).
ENV NODE_ENV=production \
    LOG_LEVEL=info \
    DUCKLAKE_DATA_PATH=/lake \
    NODE_OPTIONS=--max-semi-space-size=64
USER stellarlake:stellarlake
EXPOSE 8092
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/usr/local/lib/stellar-lake/healthcheck.mjs", "http://127.0.0.1:8092/health/live"]
CMD ["node", "--import", "tsx", "src/main.ts", "serve"]
