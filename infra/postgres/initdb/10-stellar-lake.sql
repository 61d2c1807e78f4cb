-- GENERATED from packages/schema/src/roles.ts by `pnpm --filter @stellar-lake/infra roles init-sql`; do not edit.
-- Run once by the postgres image's entrypoint on a fresh data volume, as the superuser, in POSTGRES_DB.
\set ON_ERROR_STOP on
SELECT 'CREATE DATABASE stellar_lake_catalog' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'stellar_lake_catalog')\gexec
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stellar_lake_ingester') THEN
    CREATE ROLE "stellar_lake_ingester" NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$;
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stellar_lake_flusher') THEN
    CREATE ROLE "stellar_lake_flusher" NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$;
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stellar_lake_reader') THEN
    CREATE ROLE "stellar_lake_reader" NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$;
\getenv ingester_password INGESTER_DB_PASSWORD
\if :{?ingester_password}
\else
DO $do$ BEGIN RAISE EXCEPTION 'environment variable INGESTER_DB_PASSWORD is not set'; END $do$;
\endif
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'svc_ingester') THEN
    CREATE ROLE "svc_ingester" LOGIN INHERIT;
  END IF;
END
$do$;
ALTER ROLE "svc_ingester" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION CONNECTION LIMIT -1 PASSWORD :'ingester_password';
GRANT "stellar_lake_ingester" TO "svc_ingester";
\getenv flusher_password FLUSHER_DB_PASSWORD
\if :{?flusher_password}
\else
DO $do$ BEGIN RAISE EXCEPTION 'environment variable FLUSHER_DB_PASSWORD is not set'; END $do$;
\endif
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'svc_flusher') THEN
    CREATE ROLE "svc_flusher" LOGIN INHERIT;
  END IF;
END
$do$;
ALTER ROLE "svc_flusher" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION CONNECTION LIMIT -1 PASSWORD :'flusher_password';
GRANT "stellar_lake_flusher" TO "svc_flusher";
ALTER ROLE "svc_flusher" IN DATABASE "stellar_lake_catalog" SET role = 'stellar_lake_flusher';
\getenv reader_password API_DB_PASSWORD
\if :{?reader_password}
\else
DO $do$ BEGIN RAISE EXCEPTION 'environment variable API_DB_PASSWORD is not set'; END $do$;
\endif
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'svc_api') THEN
    CREATE ROLE "svc_api" LOGIN INHERIT;
  END IF;
END
$do$;
ALTER ROLE "svc_api" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION CONNECTION LIMIT -1 PASSWORD :'reader_password';
GRANT "stellar_lake_reader" TO "svc_api";
\connect stellar_lake_catalog
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stellar_lake_ingester') THEN
    CREATE ROLE "stellar_lake_ingester" NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$;
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stellar_lake_flusher') THEN
    CREATE ROLE "stellar_lake_flusher" NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$;
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stellar_lake_reader') THEN
    CREATE ROLE "stellar_lake_reader" NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$do$;
DO $do$ BEGIN EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO "stellar_lake_flusher"', current_database()); END $do$;
DO $do$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO "stellar_lake_reader", "stellar_lake_ingester"', current_database()); END $do$;
CREATE SCHEMA IF NOT EXISTS "public";
GRANT USAGE, CREATE ON SCHEMA "public" TO "stellar_lake_flusher";
GRANT USAGE ON SCHEMA "public" TO "stellar_lake_reader", "stellar_lake_ingester";
GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "stellar_lake_reader", "stellar_lake_ingester";
ALTER DEFAULT PRIVILEGES FOR ROLE "stellar_lake_flusher" GRANT SELECT ON TABLES TO "stellar_lake_reader", "stellar_lake_ingester";
ALTER DEFAULT PRIVILEGES FOR ROLE "stellar_lake_flusher" GRANT USAGE ON SCHEMAS TO "stellar_lake_reader", "stellar_lake_ingester";
