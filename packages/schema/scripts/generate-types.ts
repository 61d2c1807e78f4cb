import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderRowTypes } from "../src/render-row-types";

const target = fileURLToPath(new URL("../src/rows.generated.ts", import.meta.url));
writeFileSync(target, renderRowTypes());
console.log(`wrote ${target}`);
