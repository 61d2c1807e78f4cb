/**
 * Writes the typed client's `api.generated.ts` (package @stellar-lake/client) from this API's OpenAPI document.
 * `test/client.test.ts` fails when the written file differs from what this would write.
 */
import { writeFile } from "node:fs/promises";
import { clientTypesFile, renderClientTypes } from "@stellar-lake/client/render";
import { openApiDocument } from "./openapi";

await writeFile(clientTypesFile, renderClientTypes(await openApiDocument()));
console.log(`wrote ${clientTypesFile}`);
