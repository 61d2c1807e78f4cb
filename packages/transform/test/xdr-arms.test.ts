import { readFileSync } from "node:fs";
import { xdr } from "@stellar/stellar-sdk/base";
import { describe, expect, it } from "vitest";
import { LedgerEntryDataArm, OperationBodyArm, ScValArm, SorobanCredentialsArm } from "../src/xdr-arms";
import { xdrArmsSource } from "../src/xdr-arms-source";

describe("generated XDR arm constants", () => {
  it("src/xdr-arms.ts is what the SDK's definitions generate (run `pnpm --filter @stellar-lake/transform gen:arms`)", () => {
    expect(readFileSync(new URL("../src/xdr-arms.ts", import.meta.url), "utf8")).toBe(xdrArmsSource());
  });

  it("the constants are the discriminants the SDK encodes (protocol 27/28 arms included)", () => {
    expect(Buffer.from(xdr.ScVal.scvU32(1).toXdr()).readUInt32BE(0)).toBe(ScValArm.scvU32);
    expect(ScValArm.scvExecutableTag).toBe(22);
    expect(SorobanCredentialsArm.sorobanCredentialsAddressV2).toBe(2);
    expect(SorobanCredentialsArm.sorobanCredentialsAddressWithDelegates).toBe(3);
    expect(OperationBodyArm.invokeHostFunction).toBe(xdr.OperationType.invokeHostFunction.value);
    expect(LedgerEntryDataArm.ttl).toBe(xdr.LedgerEntryType.ttl.value);
  });
});
