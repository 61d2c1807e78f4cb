/** Types of the lake library that its index does not name, derived from its functions. */
import type { commitFiles, ensureLakeTables } from "@stellar-lake/flusher";

export type LakeTable = Awaited<ReturnType<typeof ensureLakeTables>> extends Map<string, infer T> ? T : never;
export type WrittenFile = Parameters<typeof commitFiles>[1]["files"][number];
