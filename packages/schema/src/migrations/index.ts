/**
 * The ordered migration list. `pnpm stellar-lake migrate create <name>` appends a file and a line here.
 * Names sort in apply order; never rename or remove an applied migration.
 */
import type { Migration } from "kysely/migration";
import * as m0001 from "./0001_hot_buffer_tables";
import * as m0002 from "./0002_metadata_tables";
import * as m0003 from "./0003_flush_indexes";
import * as m0004 from "./0004_helper_functions";
import * as m0005 from "./0005_pipeline_state";
import * as m0006 from "./0006_roles";
import * as m0007 from "./0007_token_transfers";
import * as m0008 from "./0008_key_lookup_indexes";

export const migrations: Record<string, Migration> = {
  "0001_hot_buffer_tables": m0001,
  "0002_metadata_tables": m0002,
  "0003_flush_indexes": m0003,
  "0004_helper_functions": m0004,
  "0005_pipeline_state": m0005,
  "0006_roles": m0006,
  "0007_token_transfers": m0007,
  "0008_key_lookup_indexes": m0008,
};
