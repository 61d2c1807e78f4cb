/** Quote an SQL identifier (catalog names are plain, but never trust string building). The one copy: every
 * package quotes with it (`@stellar-lake/schema`, or `@stellar-lake/schema/ident` to load nothing else). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
