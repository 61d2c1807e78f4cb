/**
 * What the API serves, derived from the schema catalog: one resource per data table, its sequence column, its
 * stable sort key (sequence first, then the rest of the natural key), which columns may be filtered on, and how
 * each filter value is validated. Nothing here re-types a column: names and types come from `@stellar-lake/schema`.
 */
import { type ColumnDef, dataTables, type TableDef } from "@stellar-lake/schema";

export interface Resource {
  /** URL segment and envelope key, e.g. `transactions` (the original API's names where it had them). */
  readonly name: string;
  readonly table: TableDef;
  readonly seq: string;
  /** Snapshot tables: latest state per key (`/<name>`) and change history (`/<name>/history`). */
  readonly snapshot: boolean;
  /** The natural key without the sequence column: a snapshot table's entity key. */
  readonly entityKey: readonly ColumnDef[];
  /** Range order: sequence, then the entity key. */
  readonly sortKey: readonly ColumnDef[];
  /** Columns that may be filtered by equality (query parameter = column name). */
  readonly filters: readonly ColumnDef[];
  /** Query parameter aliases kept for the original API (e.g. offers' `seller_id`). */
  readonly aliases: Readonly<Record<string, string>>;
}

const NAMES: Record<string, string> = {
  ledgers_row_v2: "ledgers",
  transactions_row_v2: "transactions",
  operations_row_v2: "operations",
  effects_row_v1: "effects",
  trades_row_v1: "trades",
  contract_events_stream_v1: "contract_events",
  accounts_snapshot_v1: "accounts",
  trustlines_snapshot_v1: "trustlines",
  native_balances_snapshot_v1: "native_balances",
  account_signers_snapshot_v1: "signers",
  offers_snapshot_v1: "offers",
  claimable_balances_snapshot_v1: "claimable_balances",
  liquidity_pools_snapshot_v1: "liquidity_pools",
  contract_data_snapshot_v1: "contract_data",
  contract_code_snapshot_v1: "contract_code",
  config_settings_snapshot_v1: "config_settings",
  ttl_snapshot_v1: "ttl",
  evicted_keys_state_v1: "evicted_keys",
  restored_keys_state_v1: "restored_keys",
  token_transfers_row_v1: "token_transfers",
};

/** Filterable columns beyond the natural key (the lookups users make most). */
const EXTRA_FILTERS: Record<string, readonly string[]> = {
  transactions_row_v2: ["source_account", "successful"],
  operations_row_v2: ["source_account", "type", "type_string"],
  effects_row_v1: ["transaction_hash", "account_id", "effect_type", "effect_type_string", "operation_id"],
  trades_row_v1: ["seller_account", "buyer_account", "liquidity_pool_id", "history_operation_id"],
  contract_events_stream_v1: ["contract_id", "transaction_hash", "event_type"],
  offers_snapshot_v1: ["seller_account"],
  claimable_balances_snapshot_v1: ["sponsor"],
  contract_data_snapshot_v1: ["balance_holder", "contract_key_type", "contract_durability"],
  evicted_keys_state_v1: ["contract_id"],
  restored_keys_state_v1: ["contract_id"],
  account_signers_snapshot_v1: ["sponsor"],
  token_transfers_row_v1: ["asset", "contract_id", "from", "to", "event_topic", "transaction_hash"],
};

const ALIASES: Record<string, Record<string, string>> = {
  offers_snapshot_v1: { seller_id: "seller_account" },
};

function resourceOf(t: TableDef): Resource {
  const name = NAMES[t.name];
  if (!name) throw new Error(`query-api: no resource name for table ${t.name}`);
  const seq = t.sequenceColumn;
  if (!seq) throw new Error(`query-api: ${t.name} has no sequence column`);
  const col = (n: string) => {
    const c = t.columns.find((x) => x.name === n);
    if (!c) throw new Error(`query-api: ${t.name} has no column ${n}`);
    return c;
  };
  const entityKey = t.key.filter((k) => k !== seq).map(col);
  const filterNames = [...new Set([...t.key.filter((k) => k !== seq), ...(EXTRA_FILTERS[t.name] ?? [])])];
  return {
    name,
    table: t,
    seq,
    snapshot: t.kind === "snapshot",
    entityKey,
    sortKey: [col(seq), ...entityKey],
    filters: filterNames.map(col),
    aliases: ALIASES[t.name] ?? {},
  };
}

export const resources: readonly Resource[] = dataTables.map(resourceOf);

export function resource(name: string): Resource {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`query-api: unknown resource ${name}`);
  return r;
}

const G = "^G[A-Z2-7]{55}$";
const ACCOUNT = "^[GM][A-Z2-7]{55}([A-Z2-7]{13})?$";
const CONTRACT = "^C[A-Z2-7]{55}$";
const ADDRESS = "^[GMC][A-Z2-7]{55}([A-Z2-7]{13})?$";
const HEX64 = "^[0-9a-f]{64}$";
const PARTY = "^[GCL][A-Z2-7]{55}$|^B[A-Z2-7]{57}$";

/** The kind of value a filter column holds, from its name (strkeys and hashes are checked, not just typed). */
export type ValueKind =
  | "account"
  | "contract"
  | "address"
  | "party"
  | "hash"
  | "signer"
  | "balance_id"
  | "text";

export function valueKind(c: ColumnDef): ValueKind {
  const n = c.name;
  if (n === "contract_id") return "contract";
  if (n === "balance_holder") return "address";
  // A token transfer's parties: accounts, contracts, claimable balances (B…) and liquidity pools (L…).
  if (n === "from" || n === "to") return "party";
  if (n === "signer") return "signer";
  if (n === "balance_id") return "balance_id";
  if (n.endsWith("_hash") || n === "key_hash" || n === "liquidity_pool_id") return "hash";
  if (n === "account_id" || n.endsWith("_account") || n === "sponsor" || n === "trustor") return "account";
  return "text";
}

/** The JSON schema of a filter parameter (Fastify validates every request against it). */
export function filterSchema(c: ColumnDef): Record<string, unknown> {
  const described = (s: Record<string, unknown>, what: string) => ({
    ...s,
    description: `${c.name}: ${what}`,
  });
  if (c.pg === "BIGINT" || c.pg === "INTEGER")
    return described({ type: "string", pattern: "^-?[0-9]{1,19}$" }, "an integer");
  if (c.pg === "BOOLEAN") return described({ type: "string", enum: ["true", "false"] }, "true or false");
  switch (valueKind(c)) {
    case "account":
      return described({ type: "string", pattern: ACCOUNT }, "a G… (or muxed M…) account strkey");
    case "contract":
      return described({ type: "string", pattern: CONTRACT }, "a C… contract strkey");
    case "address":
      return described({ type: "string", pattern: ADDRESS }, "a G…, M… or C… address");
    case "party":
      return described(
        { type: "string", pattern: PARTY },
        "a G…, C…, B… (claimable balance) or L… (pool) strkey",
      );
    case "hash":
      return described({ type: "string", pattern: HEX64 }, "64 lowercase hex digits");
    case "signer":
      return described(
        { type: "string", pattern: "^[GTXP][A-Z2-7]{55,}$" },
        "a signer strkey (G…, T…, X… or P…)",
      );
    case "balance_id":
      return described(
        { type: "string", pattern: "^[0-9a-f]{72}$" },
        "a claimable balance id (72 hex digits)",
      );
    default:
      return described({ type: "string", minLength: 1, maxLength: 256 }, "exact value");
  }
}

export const patterns = { G, ACCOUNT, CONTRACT, HEX64 };
