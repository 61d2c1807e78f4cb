import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderRowTypes } from "../src/render-row-types";
import { renderSchemaDoc } from "../src/render-schema-doc";

for (const [path, text] of [
  ["../src/rows.generated.ts", renderRowTypes()],
  ["../../../docs/schema.md", renderSchemaDoc()],
] as const) {
  const target = fileURLToPath(new URL(path, import.meta.url));
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
