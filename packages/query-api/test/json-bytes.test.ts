/**
 * The byte encoder (values.ts) against the plain definition of the answer: every value as JSON.stringify writes it
 * (int64/int32 as their decimal text, timestamps as RFC 3339), joined with the keys, then UTF-8. Seeded random
 * rows over every column type, with strings drawn from every character class the encoder treats apart (printable
 * ASCII, quote and backslash, control characters, DEL, Latin-1, BMP, astral, lone surrogates) and pages large
 * enough to grow the scratch buffer.
 */
import type { ColumnDef } from "@stellar-lake/schema";
import { seededRandom } from "@stellar-lake/test-support";
import { describe, expect, it } from "vitest";
import { jsonBytes, rfc3339FromUtcText, type WireRow } from "../src/values";

const COLUMNS: ColumnDef[] = [
  { name: "t", pg: "TEXT", nullable: true },
  { name: "i", pg: "INTEGER", nullable: true },
  { name: "b", pg: "BIGINT", nullable: true },
  { name: "ok", pg: "BOOLEAN", nullable: true },
  { name: "at", pg: "TIMESTAMPTZ", nullable: true },
  { name: "long_text", pg: "TEXT", nullable: true },
] as ColumnDef[];

const PIECES = [
  "a",
  "Z",
  " ",
  "~",
  '"',
  "\\",
  "\n",
  "\u0000",
  "\u001f",
  "\u007f",
  "é",
  "€",
  "日",
  "😀",
  "\ud800",
  "\udc00",
];

/** Mostly plain ASCII (the fast paths), a special piece at a position's chance `special`. */
function randomText(r: () => number, max: number, special = 0.1): string {
  let s = "";
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++)
    s +=
      r() >= special
        ? String.fromCharCode(32 + Math.floor(r() * 95))
        : PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function randomRow(r: () => number): WireRow {
  const nul = () => r() < 0.2;
  const int32 = [0, -1, 7, 2147483647, -2147483648, 10, -10, 99999][Math.floor(r() * 8)]!;
  return [
    nul() ? null : randomText(r, 40),
    nul() ? null : r() < 0.5 ? int32 : Math.floor((r() - 0.5) * 2 ** 32),
    nul()
      ? null
      : ["9223372036854775807", "-9223372036854775808", "0", "9007199254740993"][Math.floor(r() * 4)]!,
    nul() ? null : r() < 0.5,
    nul() ? null : ["2024-02-29 23:59:59.123456+00", "0999-01-01 00:00:00+00"][Math.floor(r() * 2)]!,
    // Long text: often with nothing to escape, or a single special piece (the long-string path and its way out).
    nul() ? null : randomText(r, 3000, [0, 0.0005, 0.1][Math.floor(r() * 3)]!),
  ];
}

/** The answer written the plain way. */
function expected(head: string, rows: readonly WireRow[], tail: string): Buffer {
  const row = (v: WireRow) =>
    `{${COLUMNS.map((c, i) => {
      const x = v[i];
      const json =
        x === null || x === undefined
          ? "null"
          : c.pg === "TEXT"
            ? JSON.stringify(x)
            : c.pg === "TIMESTAMPTZ"
              ? `"${rfc3339FromUtcText(String(x))}"`
              : String(x);
      return `${JSON.stringify(c.name)}:${json}`;
    }).join(",")}}`;
  return Buffer.from(`${head}${rows.map(row).join(",")}${tail}`);
}

describe("JSON bytes", () => {
  it("match JSON.stringify's text as UTF-8, value for value", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seededRandom(seed);
      const rows = Array.from({ length: Math.floor(r() * (seed % 10 === 0 ? 2000 : 50)) }, () =>
        randomRow(r),
      );
      const head = `{"rows ${randomText(r, 5)}":[`;
      const tail = `],"next":${JSON.stringify(randomText(r, 10))}}`;
      expect(jsonBytes(head, COLUMNS, rows, tail).equals(expected(head, rows, tail)), `seed ${seed}`).toBe(
        true,
      );
    }
  });

  it("refuses a timestamp that is not UTC text and is whole again for the next page", () => {
    expect(() =>
      jsonBytes("[", COLUMNS, [[null, null, null, null, "2024-01-01 00:00:00+01", null]], "]"),
    ).toThrow(/not a UTC timestamp/);
    const rows: WireRow[] = [["x", 1, "2", true, "2024-01-01 00:00:00+00", "y"]];
    expect(jsonBytes("[", COLUMNS, rows, "]").equals(expected("[", rows, "]"))).toBe(true);
  });
});
