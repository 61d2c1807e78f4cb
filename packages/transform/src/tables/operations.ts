import type { xdr } from "@stellar/stellar-sdk/base";
import type { Rows } from "@stellar-lake/schema";
import {
  accountIdString,
  assetParts,
  base64,
  canonicalAsset,
  claimableBalanceIdHex,
  hex,
  rfc3339,
  view,
} from "../changes/format";
import { type Details, type OpContext, operationDetails } from "../changes/op-details";
import { ledgerChanges } from "../changes/reader";
import type { ChangeInput } from "../changes/snapshot";
import { toid } from "../changes/trades";
import { toJson } from "../ndjson";
import { OperationBodyArm } from "../xdr-arms";
import { baseAccount, type CoreTx, coreTransactions, goEnumName, muxedAddress } from "./core-common";

type OpRow = Rows["operations_row_v2"];

/** `pathPaymentStrictReceive` → `path_payment_strict_receive` (Hubble's type_string). */
const snake = new Map<string, string>();
export function snakeCase(name: string): string {
  let s = snake.get(name);
  if (s === undefined) {
    s = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snake.set(name, s);
  }
  return s;
}

/**
 * A row with every column, in catalog order; typed columns are then assigned into it. One literal shape for
 * every row keeps V8's fast properties (spreading partial objects into a 62-key row was a hot spot).
 */
function emptyRow(): OpRow {
  return {
    transaction_hash: "",
    operation_index: 0,
    ledger_sequence: 0n,
    source_account: "",
    type: 0,
    type_string: "",
    created_at: EPOCH,
    transaction_successful: false,
    ledger_range: 0n,
    operation_id: 0n,
    operation_result_code: null,
    operation_trace_code: null,
    source_account_muxed: null,
    asset: null,
    asset_type: null,
    asset_code: null,
    asset_issuer: null,
    source_asset: null,
    source_asset_type: null,
    source_asset_code: null,
    source_asset_issuer: null,
    amount: null,
    source_amount: null,
    destination_min: null,
    starting_balance: null,
    destination: null,
    trustline_limit: null,
    trustor: null,
    authorize: null,
    authorize_to_maintain_liabilities: null,
    trust_line_flags: null,
    balance_id: null,
    claimants_count: null,
    sponsored_id: null,
    offer_id: null,
    price: null,
    price_r: null,
    buying_asset: null,
    buying_asset_type: null,
    buying_asset_code: null,
    buying_asset_issuer: null,
    selling_asset: null,
    selling_asset_type: null,
    selling_asset_code: null,
    selling_asset_issuer: null,
    soroban_operation: null,
    soroban_function: null,
    soroban_contract_id: null,
    soroban_auth_required: null,
    bump_to: null,
    set_flags: null,
    clear_flags: null,
    home_domain: null,
    master_weight: null,
    low_threshold: null,
    medium_threshold: null,
    high_threshold: null,
    data_name: null,
    data_value: null,
    era_id: null,
    version_label: null,
    details: null,
  };
}

const EPOCH = new Date(0);

/** Writes the asset columns of one prefix ("" | source_ | buying_ | selling_) into the row. */
function setAsset(
  row: OpRow,
  prefix: "" | "source_" | "buying_" | "selling_",
  a: xdr.Asset | xdr.ChangeTrustAsset,
): void {
  const p = assetParts(a);
  const canonical = p.type === "liquidity_pool_shares" ? `liquidity_pool:${p.poolId}` : canonicalAsset(p);
  const code = p.code || null;
  const issuer = p.issuer || null;
  switch (prefix) {
    case "":
      row.asset = canonical;
      row.asset_type = p.type;
      row.asset_code = code;
      row.asset_issuer = issuer;
      break;
    case "source_":
      row.source_asset = canonical;
      row.source_asset_type = p.type;
      row.source_asset_code = code;
      row.source_asset_issuer = issuer;
      break;
    case "buying_":
      row.buying_asset = canonical;
      row.buying_asset_type = p.type;
      row.buying_asset_code = code;
      row.buying_asset_issuer = issuer;
      break;
    case "selling_":
      row.selling_asset = canonical;
      row.selling_asset_type = p.type;
      row.selling_asset_code = code;
      row.selling_asset_issuer = issuer;
      break;
  }
}

function setPrice(row: OpRow, p: xdr.Price): void {
  row.price = String(p.n / p.d);
  row.price_r = `{"n":${p.n},"d":${p.d}}`;
}

/** Writes the columns specific to the operation's type into the row (the rest stay null). */
function setTyped(row: OpRow, op: xdr.Operation): void {
  const b = op.body;
  switch (b.type) {
    case "createAccount": {
      const o = b.createAccountOp;
      row.destination = accountIdString(o.destination);
      row.starting_balance = o.startingBalance;
      return;
    }
    case "payment": {
      const o = b.paymentOp;
      setAsset(row, "", o.asset);
      row.amount = o.amount;
      row.destination = baseAccount(o.destination);
      return;
    }
    case "pathPaymentStrictReceive": {
      const o = b.pathPaymentStrictReceiveOp;
      setAsset(row, "", o.destAsset);
      setAsset(row, "source_", o.sendAsset);
      row.amount = o.destAmount;
      row.source_amount = o.sendMax;
      row.destination = baseAccount(o.destination);
      return;
    }
    case "pathPaymentStrictSend": {
      const o = b.pathPaymentStrictSendOp;
      setAsset(row, "", o.destAsset);
      setAsset(row, "source_", o.sendAsset);
      row.source_amount = o.sendAmount;
      row.destination_min = o.destMin;
      row.destination = baseAccount(o.destination);
      return;
    }
    case "manageSellOffer": {
      const o = b.manageSellOfferOp;
      setAsset(row, "selling_", o.selling);
      setAsset(row, "buying_", o.buying);
      row.amount = o.amount;
      row.offer_id = o.offerId;
      setPrice(row, o.price);
      return;
    }
    case "manageBuyOffer": {
      const o = b.manageBuyOfferOp;
      setAsset(row, "selling_", o.selling);
      setAsset(row, "buying_", o.buying);
      row.amount = o.buyAmount;
      row.offer_id = o.offerId;
      setPrice(row, o.price);
      return;
    }
    case "createPassiveSellOffer": {
      const o = b.createPassiveSellOfferOp;
      setAsset(row, "selling_", o.selling);
      setAsset(row, "buying_", o.buying);
      row.amount = o.amount;
      setPrice(row, o.price);
      return;
    }
    case "setOptions": {
      const o = b.setOptionsOp;
      row.set_flags = o.setFlags ?? null;
      row.clear_flags = o.clearFlags ?? null;
      row.home_domain = o.homeDomain === undefined || o.homeDomain === null ? null : String(o.homeDomain);
      row.master_weight = o.masterWeight ?? null;
      row.low_threshold = o.lowThreshold ?? null;
      row.medium_threshold = o.medThreshold ?? null;
      row.high_threshold = o.highThreshold ?? null;
      return;
    }
    case "changeTrust": {
      const o = b.changeTrustOp;
      setAsset(row, "", o.line);
      row.trustline_limit = o.limit;
      return;
    }
    case "allowTrust": {
      const o = b.allowTrustOp;
      const code = o.asset.type === "assetTypeCreditAlphanum4" ? o.asset.assetCode4 : o.asset.assetCode12;
      const auth = o.authorize;
      row.trustor = accountIdString(o.trustor);
      row.asset_code = view(code).toString("latin1").replace(/\0+$/, "");
      row.authorize = (auth & 1) !== 0;
      row.authorize_to_maintain_liabilities = (auth & 2) !== 0;
      return;
    }
    case "accountMerge":
      row.destination = baseAccount(b.destination);
      return;
    case "manageData": {
      const o = b.manageDataOp;
      const v = o.dataValue;
      row.data_name = o.dataName.toString();
      row.data_value = v ? base64(v) : null;
      return;
    }
    case "bumpSequence":
      row.bump_to = b.bumpSequenceOp.bumpTo;
      return;
    case "createClaimableBalance": {
      const o = b.createClaimableBalanceOp;
      setAsset(row, "", o.asset);
      row.amount = o.amount;
      row.claimants_count = o.claimants.length;
      return;
    }
    case "claimClaimableBalance":
      row.balance_id = claimableBalanceIdHex(b.claimClaimableBalanceOp.balanceId);
      return;
    case "beginSponsoringFutureReserves":
      row.sponsored_id = accountIdString(b.beginSponsoringFutureReservesOp.sponsoredId);
      return;
    case "clawback": {
      const o = b.clawbackOp;
      setAsset(row, "", o.asset);
      row.amount = o.amount;
      row.destination = baseAccount(o.from);
      return;
    }
    case "clawbackClaimableBalance":
      row.balance_id = claimableBalanceIdHex(b.clawbackClaimableBalanceOp.balanceId);
      return;
    case "setTrustLineFlags": {
      const o = b.setTrustLineFlagsOp;
      setAsset(row, "", o.asset);
      row.trustor = accountIdString(o.trustor);
      row.set_flags = o.setFlags;
      row.clear_flags = o.clearFlags;
      row.trust_line_flags = o.setFlags;
      return;
    }
    case "invokeHostFunction": {
      const fn = b.invokeHostFunctionOp.hostFunction;
      let contract: string | null = null;
      let fnName: string | null = null;
      if (fn.type === "hostFunctionTypeInvokeContract") {
        const args = fn.invokeContract;
        const addr = args.contractAddress;
        if (addr.type === "scAddressTypeContract") contract = hex(addr.contractId);
        fnName = args.functionName.toString();
      }
      row.soroban_operation = "invoke_host_function";
      row.soroban_function = fnName ?? snakeCase(fn.type);
      row.soroban_contract_id = contract;
      row.soroban_auth_required = b.invokeHostFunctionOp.auth.length > 0;
      return;
    }
    case "extendFootprintTtl":
      row.soroban_operation = "extend_footprint_ttl";
      return;
    case "restoreFootprint":
      row.soroban_operation = "restore_footprint";
      return;
    default:
      return;
  }
}

function opResults(res: xdr.TransactionResult): xdr.OperationResult[] | null {
  const r = res.result;
  // txFEE_BUMP_INNER_SUCCESS / _FAILED carry the inner transaction's result; txSUCCESS / txFAILED their own.
  if (r.type === "txFeeBumpInnerSuccess" || r.type === "txFeeBumpInnerFailed") {
    const inner = r.innerResultPair.result.result;
    return inner.type === "txSuccess" || inner.type === "txFailed" ? inner.results : null;
  }
  if (r.type === "txSuccess" || r.type === "txFailed") return r.results;
  return null;
}

/** Hubble's result codes of an operation: `""` where the tx has no op results or the op no inner result. */
/** Go enum names of (result, arm, code), memoised: a ledger repeats the same few combinations. */
const codeNames = new Map<string, { result: string; trace: string }>();
const NO_CODES = { result: "", trace: "" };

function resultCodes(r: xdr.OperationResult | undefined): { result: string; trace: string } {
  if (!r) return NO_CODES;
  const resultName = r.type;
  if (r.type !== "opInner") {
    let hit = codeNames.get(resultName);
    if (!hit) {
      hit = { result: goEnumName("OperationResultCode", resultName), trace: "" };
      codeNames.set(resultName, hit);
    }
    return hit;
  }
  const tr = r.tr;
  const arm = tr.type;
  const code: string = tr.value.type;
  const key = `${arm}/${code}`;
  let hit = codeNames.get(key);
  if (!hit) {
    // The Go enum <ArmType>ResultCode<Code>, chosen by the result arm (create_passive's is ManageSellOffer).
    const typeName = goEnumName("", arm);
    hit = {
      result: goEnumName("OperationResultCode", resultName),
      trace: goEnumName(`${typeName}ResultCode`, code),
    };
    codeNames.set(key, hit);
  }
  return hit;
}

interface OpView {
  readonly tx: CoreTx;
  readonly op: xdr.Operation;
  readonly index: number;
  readonly codes: { result: string; trace: string };
  readonly details: Details;
}

const viewCache = new WeakMap<xdr.LedgerCloseMeta, OpView[]>();

/** Every operation of the ledger in apply order with its result codes and Hubble details (computed once). */
function operationViews(ctx: ChangeInput): OpView[] {
  const hit = viewCache.get(ctx.lcm);
  if (hit) return hit;
  const out: OpView[] = [];
  const changes = ledgerChanges(ctx.lcm);
  for (const t of coreTransactions(ctx)) {
    const results = opResults(t.proc.result.result);
    const txChanges = changes.transactions[t.proc.index - 1];
    t.operations.forEach((op, i) => {
      const opCtx: OpContext = {
        lcm: ctx.lcm,
        networkPassphrase: ctx.networkPassphrase,
        txIndex: t.proc.index,
        successful: t.successful,
        txSource: t.source,
        operations: t.operations,
        sorobanData: t.sorobanData,
        results,
        changes: txChanges?.operations[i] ?? [],
      };
      let details: Details;
      try {
        details = operationDetails(op, i, opCtx);
      } catch (err) {
        throw new Error(`tx ${t.proc.index} (${t.hash}) op ${i}: ${(err as Error).message}`);
      }
      out.push({ tx: t, op, index: i, codes: resultCodes(results?.[i]), details });
    });
  }
  viewCache.set(ctx.lcm, out);
  return out;
}

/** operations_row_v2: one row per operation; typed columns filled where they apply to the type. */
export function operationsRows(ctx: ChangeInput): OpRow[] {
  const seq = BigInt(ctx.sequence);
  const range = (seq / 10000n) * 10000n;
  return operationViews(ctx).map(({ tx: t, op, index: i, codes, details }) => {
    const src = op.sourceAccount ?? t.source;
    const row = emptyRow();
    setTyped(row, op);
    row.transaction_hash = t.hash;
    row.operation_index = i;
    row.ledger_sequence = seq;
    row.source_account = baseAccount(src);
    row.source_account_muxed = muxedAddress(src);
    row.type = OperationBodyArm[op.body.type];
    row.type_string = snakeCase(op.body.type);
    row.created_at = ctx.closedAt;
    row.transaction_successful = t.successful;
    row.operation_result_code = codes.result || null;
    row.operation_trace_code = codes.trace || null;
    row.ledger_range = range;
    row.operation_id = toid(ctx.sequence, t.proc.index, i + 1);
    row.details = toJson(details);
    return row;
  });
}

/** Hubble `history_operations` records (stellar-etl OperationOutput; `details_json` repeats `details`). */
export function operationsRecords(ctx: ChangeInput): Record<string, unknown>[] {
  const closedAt = rfc3339(ctx.closedAt);
  return operationViews(ctx).map(({ tx: t, op, index: i, codes, details }) => {
    const src = op.sourceAccount ?? t.source;
    const muxed = muxedAddress(src);
    return {
      closed_at: closedAt,
      details,
      details_json: details,
      id: toid(ctx.sequence, t.proc.index, i + 1),
      ledger_sequence: ctx.sequence,
      operation_result_code: codes.result,
      operation_trace_code: codes.trace,
      source_account: baseAccount(src),
      ...(muxed ? { source_account_muxed: muxed } : {}),
      transaction_id: t.transactionId,
      type: OperationBodyArm[op.body.type],
      type_string: snakeCase(op.body.type),
    };
  });
}
