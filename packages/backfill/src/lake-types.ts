/** The lake library's types this package uses. */
export type { LakeTable, WrittenFile } from "@stellar-lake/lake";
