/** Renders docs/schema.md (keys and documented deviations) from the catalog; a test keeps it current. */
import { allTables, dataTables } from "./catalog";
import { keyIsUnique } from "./ddl";

export function renderSchemaDoc(): string {
  const out = [
    "# Hot buffer schema",
    "",
    "Generated from `packages/schema/src/catalog.ts` by `pnpm --filter @stellar-lake/schema gen`. Do not edit.",
    "",
    "The contract is `../shared/reference/hot-buffer-schema.md`: Part B column sets for the 5 core tables, Part A for",
    "the other 14 data tables and the 5 metadata tables, in the contract's column order. This page lists, per table,",
    "its natural key and every deviation from the contract that real data forces. Added columns always come after",
    "the contract's columns; no contract column is renamed or dropped.",
    "",
    "General rules:",
    "",
    "- Every natural key includes the sequence column: re-sequenced test data repeats transaction hashes across",
    "  ledgers, and a re-ingested ledger must replace nothing and duplicate nothing.",
    "- Keys are PRIMARY KEYs, except where a key column can be NULL (pool-share trust lines): there the key is",
    "  `UNIQUE NULLS NOT DISTINCT`, so two rows with the same NULLs still collide.",
    "- Every snapshot table carries Hubble's `deleted` and `ledger_entry_change`: a removed account, offer or trust",
    "  line is a row with `deleted = true`, never a row that looks live.",
    `- The ${dataTables.length} data tables are UNLOGGED (a crash empties them; the ingester rewinds to the cold watermark); the 5`,
    "  metadata tables are logged. Pipeline state (checkpoint, migrations) lives in schema `stellar_lake`.",
    "",
    "Protocol 27/28 deviations (decisions where stellar-etl, whose latest code predates protocol 27, has no rule):",
    "",
    "- CAP-71 credentials (`SOROBAN_CREDENTIALS_ADDRESS_V2`, `…_ADDRESS_WITH_DELEGATES`): `soroban_auth_required` is",
    "  true for an invoke_host_function with any authorization entry, whatever its credential arm. The operation's",
    "  `details` (hot `operations_row_v2.details` and Hubble `history_operations`) gain `auth_credentials` when some",
    "  entry uses a CAP-71 arm: per entry `type` (`source_account`, `address`, `address_v2`, `address_with_delegates`),",
    "  the authorizing `address`, `nonce` and `signature_expiration_ledger`, and for delegates the `delegates` tree",
    "  (`address`, nested `delegates`). Operations with only earlier credentials keep stellar-etl's details exactly.",
    "- CAP-83 (`STELLAR_VALUE_EMPTY_TX_SET`): `ledgers_row_v2.node_id` / `signature` (and Hubble `history_ledgers`)",
    "  come from the proposed value's `lcValueSignature`, as for a signed value; a basic value still has none.",
    "- CAP-85 contract executables: contract data, code and instance rows keep their columns (the entry XDR carries",
    '  the executable). In decoded-ScVal JSON an instance\'s executable is `{"wasm":…}`, `"stellar_asset"` or',
    '  `{"external_ref":{"executable_owner":"<address>","tag":"…"}}`, and the new ScVal arm',
    '  `SCV_EXECUTABLE_TAG` is `{"executable_tag":"…"}` (Go arm name `ExecutableTag` in parameters):',
    "  stellar-xdr-json 27 (the latest) cannot read these protocol 28 arms, so they are written in its naming.",
    "- Config settings, result codes, effect types: protocol 27/28 add none over stellar-base 15's protocol 26 XDR",
    "  (the SDK's enums differ from stellar-base 15's only in the arms above, `ENVELOPE_TYPE_SOROBAN_AUTHORIZATION_WITH_ADDRESS`",
    "  and `ThresholdIndexes`); names of every code come from the SDK's definitions.",
    "- A ledger beyond this build (header protocol above 28, or any union arm or enum value the XDR lacks) is not",
    "  transformed: `UnsupportedProtocolError` naming the ledger, its protocol and the XDR type; the ingester stops",
    "  with its checkpoint before it, even with `--skip-bad-ledgers` (health reason `behind_protocol`).",
    "",
    "| table | kind | columns | key | storage |",
    "|---|---|---|---|---|",
  ];
  for (const t of allTables) {
    const storage = [t.unlogged ? "UNLOGGED" : "logged", t.fillfactor ? `FILLFACTOR ${t.fillfactor}` : ""]
      .filter(Boolean)
      .join(", ");
    const key = `${keyIsUnique(t) ? "UNIQUE NULLS NOT DISTINCT" : "PK"} (${t.key.join(", ")})`;
    out.push(`| \`${t.name}\` | ${t.kind} | ${t.columns.length} | ${key} | ${storage} |`);
  }
  out.push("");
  for (const t of allTables) {
    out.push(`## ${t.name}`, "", `Key (${t.key.join(", ")}): ${t.keyNote}.`, "");
    const notes = t.columns.filter((c) => c.note);
    if (notes.length === 0) {
      out.push("Exactly the contract's columns.", "");
      continue;
    }
    for (const c of notes) {
      out.push(`- \`${c.name}\` ${c.pg}${c.nullable ? "" : " NOT NULL"}: ${c.note}`);
    }
    out.push("");
  }
  return out.join("\n");
}
