# syntax=docker/dockerfile:1.7
# PgBouncer (Debian's package) in transaction pooling for the query API; the userlist comes from the environment.
# Build from the repository root:  docker build -f infra/docker/pgbouncer.Dockerfile -t stellar-lake/pgbouncer .
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends pgbouncer \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/pgbouncer && chown postgres:postgres /run/pgbouncer
COPY --chown=root:root infra/pgbouncer/pgbouncer.ini /etc/pgbouncer/pgbouncer.ini
COPY --chown=root:root --chmod=0755 infra/pgbouncer/write-userlist.sh /usr/local/bin/write-userlist.sh
COPY --chown=root:root --chmod=0755 infra/pgbouncer/entrypoint.sh /usr/local/bin/pgbouncer-entrypoint.sh
USER postgres
EXPOSE 6432
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/6432"]
CMD ["/usr/local/bin/pgbouncer-entrypoint.sh"]
