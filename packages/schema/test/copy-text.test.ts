import { describe, expect, it } from "vitest";
import { CopyEncodingError, encodeLedgerCopy, encodeRows, table } from "../src/index";

const ttl = table("ttl_snapshot_v1");

function ttlRow(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key_hash: "ab",
    ledger_sequence: 5n,
    live_until_ledger_seq: 9_223_372_036_854_775_807n,
    ttl_remaining: 4,
    expired: false,
    last_modified_ledger: 3,
    deleted: true,
    closed_at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    created_at: new Date(0),
    ledger_range: 0n,
    era_id: null,
    version_label: undefined,
    ledger_entry_change: 1,
    ...o,
  };
}

describe("COPY text encoding", () => {
  it("writes each type as PostgreSQL's text format reads it, columns in catalog order", () => {
    const line = encodeRows(ttl, [ttlRow()]);
    const byName = Object.fromEntries(ttl.columns.map((c, i) => [c.name, line.slice(0, -1).split("\t")[i]]));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.split("\t")).toHaveLength(ttl.columns.length);
    expect(byName).toMatchObject({
      key_hash: "ab",
      ledger_sequence: "5",
      live_until_ledger_seq: "9223372036854775807",
      ttl_remaining: "4",
      expired: "f",
      deleted: "t",
      closed_at: "2024-01-02T03:04:05.678Z",
      created_at: "1970-01-01T00:00:00.000Z",
      era_id: "\\N",
      version_label: "\\N",
      ledger_entry_change: "1",
    });
  });

  it("escapes backslash, tab, newline and carriage return, and marks a NUL with U+FFFD", () => {
    const line = encodeRows(ttl, [ttlRow({ key_hash: "a\\b\tc\nd\re\0f😀" })]);
    expect(line.split("\t")[0]).toBe("a\\\\b\\tc\\nd\\re\uFFFDf😀");
  });

  it("names the table and column of a value that does not fit, for every type", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ key_hash: null }, "ttl_snapshot_v1.key_hash is NOT NULL but the row has no value"],
      [{ key_hash: 7 }, "ttl_snapshot_v1.key_hash: expected a string, got number"],
      [{ ttl_remaining: 1.5 }, "ttl_snapshot_v1.ttl_remaining: expected an integer, got number 1.5"],
      [{ ledger_sequence: "5" }, "ttl_snapshot_v1.ledger_sequence: expected an integer, got string 5"],
      [{ expired: 0 }, "ttl_snapshot_v1.expired: expected a boolean, got number"],
      [{ closed_at: "2024-01-02" }, "ttl_snapshot_v1.closed_at: expected a Date, got string"],
    ];
    for (const [o, message] of cases) {
      const attempt = () => encodeRows(ttl, [ttlRow(), ttlRow(o)]);
      expect(attempt).toThrow(CopyEncodingError);
      expect(attempt).toThrow(message);
    }
  });

  it("encodes many rows as the concatenation of each row's line", () => {
    const rows = [ttlRow(), ttlRow({ key_hash: "x\ty", ledger_sequence: 6n }), ttlRow({ era_id: "e" })];
    expect(encodeRows(ttl, rows)).toBe(rows.map((r) => encodeRows(ttl, [r])).join(""));
    expect(encodeRows(ttl, [])).toBe("");
  });

  it("a ledger's payload is the stamped rows' text as UTF-8, tables kept as rows left alone", () => {
    const rows = { ttl_snapshot_v1: [ttlRow({ key_hash: "ü" })], ledgers_row_v2: [{ sequence: 5n }] };
    const out = encodeLedgerCopy(rows, { eraId: "era", versionLabel: "v2" });
    expect(Object.keys(out.copy)).toEqual(["ttl_snapshot_v1"]);
    expect(out.rows).toEqual({ ledgers_row_v2: [{ sequence: 5n }] });
    const text = new TextDecoder().decode(out.copy.ttl_snapshot_v1!.data);
    expect(text).toBe(encodeRows(ttl, [ttlRow({ key_hash: "ü", era_id: "era", version_label: "v2" })]));
    expect(out.copy.ttl_snapshot_v1!.rows).toBe(1);
    // Its own buffer, so handing it to another thread detaches nothing else.
    expect(out.copy.ttl_snapshot_v1!.data.byteLength).toBe(out.copy.ttl_snapshot_v1!.data.buffer.byteLength);
  });
});
