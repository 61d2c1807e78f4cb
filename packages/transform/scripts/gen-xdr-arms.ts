/** Writes src/xdr-arms.ts (see src/xdr-arms-source.ts). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { xdrArmsSource } from "../src/xdr-arms-source";

writeFileSync(fileURLToPath(new URL("../src/xdr-arms.ts", import.meta.url)), xdrArmsSource());
