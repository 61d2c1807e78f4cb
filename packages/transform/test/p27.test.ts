/**
 * Row-level checks of each protocol 27/28 construct on the development files (P27_DEVELOPMENT): CAP-71
 * credentials in operation details and the Soroban auth column, CAP-85 executables in contract instance
 * rows and the ScVal arm, CAP-83 ledgers in ledgers_row_v2, the next protocol's refusal.
 */
import { xdr } from "@stellar/stellar-sdk/base";
import { readLedgerFile } from "@stellar-lake/lcm-io";
import { fixture, haveFixtures } from "@stellar-lake/test-support";
import { parse } from "lossless-json";
import { describe, expect, it } from "vitest";
import { txBody, txSetEnvelopes } from "../src/changes/envelopes";
import { scValJson } from "../src/changes/scval-json";
import { changeInput } from "../src/changes/snapshot";
import { decodeLedger, hotRowsOf } from "../src/hot-rows";
import { closeValueSignature, ledgersRows } from "../src/tables/ledgers";
import { P27_DIR, P27_PASSPHRASE } from "./changes-fixtures";

const file = (id: string) => fixture(`${P27_DIR}/InvokeHostFunctionTests/${id}.xdr`);

async function ledger(id: string, sequence: number) {
  const b = (await readLedgerFile(file(id))).find((l) => l.sequence === sequence)!;
  const lcm = decodeLedger(b.xdr, b.sequence);
  return { lcm, rows: hotRowsOf(lcm, P27_PASSPHRASE).rows as Record<string, Record<string, unknown>[]> };
}

function authEntries(lcm: xdr.LedgerCloseMeta): xdr.SorobanAuthorizationEntry[] {
  const out: xdr.SorobanAuthorizationEntry[] = [];
  for (const env of txSetEnvelopes(lcm))
    for (const op of txBody(env).operations)
      if (op.body.type === "invokeHostFunction") out.push(...op.body.invokeHostFunctionOp.auth);
  return out;
}

describe.skipIf(!haveFixtures())("protocol 27/28 constructs, row by row", () => {
  it("CAP-71 ADDRESS_V2: operation details.auth_credentials names the address, nonce and expiration; auth required", async () => {
    const { lcm, rows } = await ledger("546a3cc311788248", 13);
    const [entry] = authEntries(lcm);
    const creds = xdr.expectUnionVariant(entry!.credentials, "sorobanCredentialsAddressV2").addressV2;
    const [op] = rows.operations_row_v2!;
    expect(op!.soroban_auth_required).toBe(true);
    const details = parse(op!.details as string) as Record<string, unknown>;
    const auth = details.auth_credentials as Record<string, { value?: string } | string>[];
    expect(auth).toHaveLength(1);
    expect(auth[0]!.type).toBe("address_v2");
    expect(auth[0]!.address).toBe(addressOf(creds.address));
    expect(String((auth[0]!.nonce as { value: string }).value)).toBe(creds.nonce.toString());
    expect(Number((auth[0]!.signature_expiration_ledger as { value: string }).value)).toBe(
      creds.signatureExpirationLedger,
    );
  });

  it("CAP-71 ADDRESS_WITH_DELEGATES: the authorizing address and its delegate tree in details", async () => {
    const { lcm, rows } = await ledger("6452cb6f030f5835", 17);
    const entry = authEntries(lcm).find(
      (a) => a.credentials.type === "sorobanCredentialsAddressWithDelegates",
    )!;
    const wd = xdr.expectUnionVariant(
      entry.credentials,
      "sorobanCredentialsAddressWithDelegates",
    ).addressWithDelegates;
    const op = rows.operations_row_v2![0]!;
    expect(op.soroban_auth_required).toBe(true);
    const auth = (parse(op.details as string) as { auth_credentials: Record<string, unknown>[] })
      .auth_credentials;
    const mine = auth.find((a) => a.type === "address_with_delegates")!;
    expect(mine.address).toBe(addressOf(wd.addressCredentials.address));
    expect((mine.delegates as { address: string }[]).map((d) => d.address)).toEqual(
      wd.delegates.map((d) => addressOf(d.address)),
    );
    expect(wd.delegates.length).toBeGreaterThan(0);
  });

  it("operations without protocol 27 credentials keep stellar-etl's details (no auth_credentials key)", async () => {
    const { rows } = await ledger("546a3cc311788248", 4);
    const op = rows.operations_row_v2![0]!;
    expect(op.soroban_auth_required).toBe(true);
    expect(parse(op.details as string)).not.toHaveProperty("auth_credentials");
  });

  it("CAP-85 external-reference executable: the contract instance row keeps the entry, the decoded JSON names owner and tag", async () => {
    const { lcm, rows } = await ledger("9de1ea718b77ffa2", 12);
    const inst = rows.contract_data_snapshot_v1!.find(
      (r) => r.contract_key_type === "ScValTypeScvLedgerKeyContractInstance",
    )!;
    const entry = xdr.ContractDataEntry.fromXdr(inst.contract_data_xdr as string, "base64");
    const val = xdr.expectUnionVariant(entry.val, "scvContractInstance").instance;
    const ext = xdr.expectUnionVariant(val.executable, "contractExecutableExternalRef").externalRef;
    expect(scValJson(entry.val)).toEqual({
      contract_instance: {
        executable: {
          external_ref: { executable_owner: addressOf(ext.executableOwner), tag: ext.tag.toString() },
        },
        storage: val.storage
          ? val.storage.map((e) => ({ key: scValJson(e.key), val: scValJson(e.val) }))
          : null,
      },
    });
    expect(ext.tag.toString()).toBe("exec ref");
    expect(lcm.value.ledgerHeader.header.ledgerVersion).toBe(28);
  });

  it("SCV_EXECUTABLE_TAG in decoded-ScVal JSON, plain and escaped text", () => {
    expect(scValJson(xdr.ScVal.scvExecutableTag(new xdr.XdrString("wasm:v1")))).toEqual({
      executable_tag: "wasm:v1",
    });
    const odd = scValJson(xdr.ScVal.scvExecutableTag(new xdr.XdrString(new Uint8Array([0x61, 0x0a, 0xff]))));
    expect(odd).toEqual({ executable_tag: "a\\n\\xff" });
  });

  it("CAP-83 empty-tx-set ledger: node id and signature from the proposed value", async () => {
    const { lcm } = await ledger("9de1ea718b77ffa2", 12);
    const header = lcm.value.ledgerHeader.header;
    const signed = xdr.expectUnionVariant(header.scpValue.ext, "stellarValueSigned").lcValueSignature;
    // The same ledger with its close value rewritten as STELLAR_VALUE_EMPTY_TX_SET carrying that signature.
    const proposed = new xdr.StellarValueProposedValue({
      txSetHash: header.scpValue.txSetHash,
      previousLedgerHash: header.previousLedgerHash,
      previousLedgerVersion: header.ledgerVersion,
      lcValueSignature: signed,
    });
    const emptySet = new xdr.LedgerHeader({
      ...header,
      scpValue: new xdr.StellarValue({
        ...header.scpValue,
        ext: xdr.StellarValueExt.stellarValueEmptyTxSet(proposed),
      }),
    });
    expect(closeValueSignature(emptySet)).toBe(signed);
    const patched = rebuild(lcm, emptySet);
    const [row] = ledgersRows(changeInput(patched, P27_PASSPHRASE));
    const [orig] = ledgersRows(changeInput(lcm, P27_PASSPHRASE));
    expect(row!.node_id).toBe(orig!.node_id);
    expect(row!.signature).toBe(orig!.signature);
    expect(row!.node_id).toMatch(/^G[A-Z2-7]{55}$/);
    expect(row!.ledger_header).toBe(Buffer.from(emptySet.toXdr()).toString("base64"));
  });
});

function addressOf(a: xdr.ScAddress): string {
  return (scValJson(xdr.ScVal.scvAddress(a)) as { address: string }).address;
}

/** The ledger with its header replaced (the rest as decoded). */
function rebuild(lcm: xdr.LedgerCloseMeta, header: xdr.LedgerHeader): xdr.LedgerCloseMeta {
  const v = xdr.expectUnionVariant(lcm, "v2").v2;
  const entry = new xdr.LedgerHeaderHistoryEntry({ ...v.ledgerHeader, header });
  return xdr.LedgerCloseMeta.v2(new xdr.LedgerCloseMetaV2({ ...v, ledgerHeader: entry }));
}
