import { xdr } from "@stellar/stellar-sdk/base";
import { xdrJsonText } from "./src/changes/xdr-json";

const inst = xdr.ScVal.scvContractInstance(
  new xdr.ScContractInstance({
    executable: xdr.ContractExecutable.contractExecutableWasm(new xdr.Hash(new Uint8Array(32).fill(0xab))),
    storage: [new xdr.ScMapEntry({ key: xdr.ScVal.scvSymbol("k"), val: xdr.ScVal.scvU32(1) })],
  }),
);
console.log(xdrJsonText("ScVal", inst.toXdr("base64")));
const inst2 = xdr.ScVal.scvContractInstance(
  new xdr.ScContractInstance({
    executable: xdr.ContractExecutable.contractExecutableStellarAsset(),
    storage: null,
  }),
);
console.log(xdrJsonText("ScVal", inst2.toXdr("base64")));
