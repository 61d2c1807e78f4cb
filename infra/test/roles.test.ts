/**
 * The least-privilege roles on real PostgreSQL: login users in each group role can do exactly their service's
 * work, the migration tolerates roles made by other databases, and its down step leaves other databases intact.
 */
import { randomBytes } from "node:crypto";
import {
  catalogGrantStatements,
  createGroupRoleSql,
  dropGroupRoleIfUnusedSql,
  loginUserStatements,
  migrateDown,
  migrateUp,
  type PipelineRole,
  ROLES,
  table,
} from "@stellar-lake/schema";
import { insertSql, sampleRow } from "@stellar-lake/schema/testing";
import { freshDatabase } from "@stellar-lake/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const suffix = randomBytes(3).toString("hex");
const password = `pw-${randomBytes(8).toString("hex")}`;
const logins: Record<PipelineRole, string> = {
  ingester: `it_ingester_${suffix}`,
  flusher: `it_flusher_${suffix}`,
  reader: `it_reader_${suffix}`,
};

const hot = await freshDatabase("roles_hot");
const other = await freshDatabase("roles_other");
const catalog = await freshDatabase("roles_catalog");

function as(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

async function run(url: string, statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

const clients: pg.Client[] = [];
async function connect(url: string, role: PipelineRole): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: as(url, logins[role]) });
  await c.connect();
  clients.push(c);
  return c;
}

/** SQLSTATE of the statement's failure, or "ok". Each attempt runs in its own transaction. */
async function attempt(c: pg.Client, text: string, values: unknown[] = []): Promise<string> {
  await c.query("BEGIN");
  try {
    await c.query(text, values);
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await c.query("ROLLBACK");
  }
}

const ledgerInsert = insertSql(table("ledgers_row_v2"), sampleRow(table("ledgers_row_v2"), 7));
const LEDGER_INSERT = ledgerInsert.text;

let ingester: pg.Client;
let flusher: pg.Client;
let reader: pg.Client;

beforeAll(async () => {
  await migrateUp(hot.url);
  for (const role of Object.keys(logins) as PipelineRole[]) {
    await run(
      hot.url,
      loginUserStatements({ user: logins[role], password, role, catalogDatabase: catalog.name }),
    );
  }
  ingester = await connect(hot.url, "ingester");
  flusher = await connect(hot.url, "flusher");
  reader = await connect(hot.url, "reader");
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  // Test login users are cluster-wide: remove them (their privileges vanish with the test databases).
  await hot.drop();
  await other.drop();
  await catalog.drop();
  await run(
    inject("pgAdminUrl"),
    Object.values(logins).map((u) => `DROP ROLE IF EXISTS "${u}"`),
  );
});

describe("group roles in the hot database", () => {
  it("creates the three NOLOGIN group roles and adds nothing to public", async () => {
    const c = new pg.Client({ connectionString: hot.url });
    await c.connect();
    try {
      const r = await c.query(
        "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname",
        [Object.values(ROLES)],
      );
      expect(r.rows).toEqual(
        Object.values(ROLES)
          .map((rolname) => ({ rolname, rolcanlogin: false }))
          .sort((a, b) => a.rolname.localeCompare(b.rolname)),
      );
      const t = await c.query(
        "SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(t.rows[0].n).toBe(25);
    } finally {
      await c.end();
    }
  });

  it("the ingester writes hot rows, lineage and its checkpoint, but cannot drop or truncate", async () => {
    expect(await attempt(ingester, LEDGER_INSERT, ledgerInsert.values)).toBe("ok");
    expect(await attempt(ingester, "DELETE FROM public.transactions_row_v2 WHERE ledger_sequence > 5")).toBe(
      "ok",
    );
    expect(
      await attempt(
        ingester,
        `INSERT INTO public._meta_lineage (dataset, partition, source_ledger_start, source_ledger_end,
           pipeline_version, processor_name, checksum, row_count, era_id, version_label)
         VALUES ('ledgers_row_v2', '0', 1, 2, 'x', 'ingester', 'c', 1, 'e', 'v1')`,
      ),
    ).toBe("ok");
    expect(
      await attempt(
        ingester,
        `INSERT INTO stellar_lake.ingest_checkpoint (pipeline, last_ledger, last_ledger_hash) VALUES ('p', 1, 'h')
         ON CONFLICT (pipeline) DO UPDATE SET last_ledger = EXCLUDED.last_ledger`,
      ),
    ).toBe("ok");
    expect(await attempt(ingester, "TRUNCATE public.ledgers_row_v2")).toBe("42501");
    expect(await attempt(ingester, "DROP TABLE public.ledgers_row_v2")).toBe("42501");
    expect(await attempt(ingester, "CREATE TABLE public.x (a int)")).toBe("42501");
    expect(await attempt(ingester, "UPDATE public.ledgers_row_v2 SET era_id = 'x'")).toBe("42501");
    expect(await attempt(ingester, "DELETE FROM public._meta_changes")).toBe("42501");
  });

  it("the flusher reads and deletes hot rows but cannot insert them or move the checkpoint", async () => {
    expect(await attempt(flusher, "SELECT * FROM public.ledgers_row_v2")).toBe("ok");
    expect(await attempt(flusher, "COPY (SELECT * FROM public.operations_row_v2) TO STDOUT")).toBe("ok");
    expect(await attempt(flusher, "DELETE FROM public.ledgers_row_v2 WHERE sequence <= 100")).toBe("ok");
    expect(await attempt(flusher, "SELECT * FROM cleanup_flushed_data(0)")).toBe("ok");
    expect(await attempt(flusher, LEDGER_INSERT, ledgerInsert.values)).toBe("42501");
    expect(await attempt(flusher, "UPDATE stellar_lake.ingest_checkpoint SET last_ledger = 0")).toBe("42501");
    expect(await attempt(flusher, "TRUNCATE public.ledgers_row_v2")).toBe("42501");
  });

  it("the reader only reads (hot tables, metadata, pipeline state, helper functions)", async () => {
    expect(await attempt(reader, "SELECT * FROM public.ledgers_row_v2")).toBe("ok");
    expect(await attempt(reader, "SELECT * FROM public._meta_datasets")).toBe("ok");
    expect(await attempt(reader, "SELECT * FROM stellar_lake.ingest_checkpoint")).toBe("ok");
    expect(await attempt(reader, "SELECT * FROM get_high_watermark()")).toBe("ok");
    expect(await attempt(reader, LEDGER_INSERT, ledgerInsert.values)).toBe("42501");
    expect(await attempt(reader, "DELETE FROM public.ledgers_row_v2")).toBe("42501");
    expect(await attempt(reader, "SELECT * FROM cleanup_flushed_data(0)")).toBe("42501");
    expect(await attempt(reader, "INSERT INTO stellar_lake.ingest_checkpoint VALUES ('p', 1, 'h')")).toBe(
      "42501",
    );
    expect(await attempt(reader, "CREATE TABLE public.x (a int)")).toBe("42501");
  });

  it("a table added later by the migrating role is readable by every role", async () => {
    await run(hot.url, ["CREATE TABLE stellar_lake.later_state (a int)"]);
    try {
      expect(await attempt(reader, "SELECT * FROM stellar_lake.later_state")).toBe("ok");
      expect(await attempt(reader, "INSERT INTO stellar_lake.later_state VALUES (1)")).toBe("42501");
    } finally {
      await run(hot.url, ["DROP TABLE stellar_lake.later_state"]);
    }
  });
});

describe("roles are cluster-wide", () => {
  it("a second database migrates with the roles already present, and its down step leaves the first intact", async () => {
    await migrateUp(other.url);
    const privileged = async (url: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query(
          "SELECT has_table_privilege($1, 'public.ledgers_row_v2', 'INSERT') AS ins, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role",
          [ROLES.ingester],
        );
        return r.rows[0] as { ins: boolean; role: boolean };
      } finally {
        await c.end();
      }
    };
    expect(await privileged(other.url)).toEqual({ ins: true, role: true });
    // Down to before 0006 (the later migrations first: 0008 key lookup indexes, 0007 token transfers).
    expect(await migrateDown(other.url, 3)).toEqual([
      "0008_key_lookup_indexes",
      "0007_token_transfers",
      "0006_roles",
    ]);
    expect(await privileged(other.url)).toEqual({ ins: false, role: true });
    expect(await privileged(hot.url)).toEqual({ ins: true, role: true });
    expect(await attempt(ingester, LEDGER_INSERT, ledgerInsert.values)).toBe("ok");
    // And up again re-grants.
    await migrateUp(other.url);
    expect(await privileged(other.url)).toEqual({ ins: true, role: true });
  });

  it("drops a group role only once no database grants to it and no user is a member", async () => {
    const role = `it_group_${suffix}`;
    const exists = async () => {
      const c = new pg.Client({ connectionString: hot.url });
      await c.connect();
      try {
        return (await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount === 1;
      } finally {
        await c.end();
      }
    };
    await run(hot.url, [
      createGroupRoleSql(role),
      createGroupRoleSql(role),
      `GRANT SELECT ON public._meta_eras TO ${role}`,
    ]);
    await run(other.url, [createGroupRoleSql(role), `GRANT SELECT ON public._meta_eras TO ${role}`]);
    await run(other.url, [`REVOKE ALL ON public._meta_eras FROM ${role}`, dropGroupRoleIfUnusedSql(role)]);
    expect(await exists()).toBe(true);
    await run(hot.url, [`REVOKE ALL ON public._meta_eras FROM ${role}`, dropGroupRoleIfUnusedSql(role)]);
    expect(await exists()).toBe(false);
    await run(hot.url, [dropGroupRoleIfUnusedSql(role)]);
  });
});

describe("the DuckLake catalog database", () => {
  it("the flusher creates catalog tables owned by its group role; reader and ingester read them only", async () => {
    await run(catalog.url, catalogGrantStatements());
    const f = await connect(catalog.url, "flusher");
    await f.query(
      "CREATE TABLE ducklake_snapshot (snapshot_id BIGINT PRIMARY KEY, snapshot_time TIMESTAMPTZ)",
    );
    await f.query("INSERT INTO ducklake_snapshot VALUES (0, now())");
    const owner = await f.query("SELECT tableowner FROM pg_tables WHERE tablename = 'ducklake_snapshot'");
    expect(owner.rows[0].tableowner).toBe(ROLES.flusher);
    // A metadata schema of the flusher's own (ATTACH ... METADATA_SCHEMA) is readable through default privileges.
    await f.query("CREATE SCHEMA bronze_meta");
    await f.query("CREATE TABLE bronze_meta.ducklake_table (table_id BIGINT)");
    for (const role of ["reader", "ingester"] as const) {
      const c = await connect(catalog.url, role);
      expect(await attempt(c, "SELECT * FROM ducklake_snapshot")).toBe("ok");
      expect(await attempt(c, "SELECT * FROM bronze_meta.ducklake_table")).toBe("ok");
      expect(await attempt(c, "CREATE TABLE bronze_meta.z (a int)")).toBe("42501");
      expect(await attempt(c, "INSERT INTO ducklake_snapshot VALUES (1, now())")).toBe("42501");
      expect(await attempt(c, "CREATE TABLE y (a int)")).toBe("42501");
    }
  });
});
