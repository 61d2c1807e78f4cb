/**
 * Version-independent access to the parts of a LedgerCloseMeta the change tables read. V0 carries a legacy
 * tx set and no Soroban fields; V1 (protocol 20-22) and V2 (23+) differ in the tx-processing record (V2 adds
 * the post-apply fee refunds) and in how evictions are reported.
 */
import { xdr } from "@stellar/stellar-sdk/base";

export interface TxProcessing {
  /** 1-based apply-order index (Hubble's tx index). */
  readonly index: number;
  readonly result: xdr.TransactionResultPair;
  readonly feeProcessing: readonly xdr.LedgerEntryChange[];
  readonly meta: xdr.TransactionMeta;
  /** Protocol 23+ fee refunds applied after the whole tx set (LCM V2); empty otherwise. */
  readonly postApplyFeeProcessing: readonly xdr.LedgerEntryChange[];
}

type AnyLcmBody = xdr.LedgerCloseMetaV0 | xdr.LedgerCloseMetaV1 | xdr.LedgerCloseMetaV2;

export function lcmBody(lcm: xdr.LedgerCloseMeta): AnyLcmBody {
  return lcm.value;
}

export function ledgerHeaderOf(lcm: xdr.LedgerCloseMeta): xdr.LedgerHeader {
  return lcmBody(lcm).ledgerHeader.header;
}

export function ledgerSequenceOf(lcm: xdr.LedgerCloseMeta): number {
  return ledgerHeaderOf(lcm).ledgerSeq;
}

export function txProcessingOf(lcm: xdr.LedgerCloseMeta): TxProcessing[] {
  if (lcm.type === "v2") {
    return lcm.v2.txProcessing.map((t, i) => ({
      index: i + 1,
      result: t.result,
      feeProcessing: t.feeProcessing,
      meta: t.txApplyProcessing,
      postApplyFeeProcessing: t.postTxApplyFeeProcessing,
    }));
  }
  const list: readonly (xdr.TransactionResultMeta | xdr.TransactionResultMetaV1)[] = lcm.value.txProcessing;
  return list.map((t, i) => ({
    index: i + 1,
    result: t.result,
    feeProcessing: t.feeProcessing,
    meta: t.txApplyProcessing,
    postApplyFeeProcessing: [],
  }));
}

export function upgradesOf(lcm: xdr.LedgerCloseMeta): xdr.UpgradeEntryMeta[] {
  return lcmBody(lcm).upgradesProcessing;
}

/**
 * Keys evicted from live state in this ledger: LCM V2 `evictedKeys` (protocol 23+: persistent and temporary
 * entries plus their TTL keys), LCM V1 `evictedTemporaryLedgerKeys` (named `evictedKeys` by stellar-base 15)
 * plus the keys of `evictedPersistentLedgerEntries` (named `unused`). V0 has none.
 */
export function evictedKeysOf(lcm: xdr.LedgerCloseMeta): xdr.LedgerKey[] {
  switch (lcm.type) {
    case "v1": {
      const v1 = lcm.v1;
      return [...v1.evictedKeys, ...v1.unused.map((e) => ledgerKeyOfData(e.data))];
    }
    case "v2":
      return lcm.v2.evictedKeys;
    default:
      return [];
  }
}

/** The LedgerKey identifying an entry (stellar-base has no such helper). */
export function ledgerKeyOf(entry: xdr.LedgerEntry): xdr.LedgerKey {
  return ledgerKeyOfData(entry.data);
}

export function ledgerKeyOfData(data: xdr.LedgerEntryData): xdr.LedgerKey {
  switch (data.type) {
    case "account":
      return xdr.LedgerKey.account(new xdr.LedgerKeyAccount({ accountId: data.account.accountId }));
    case "trustline": {
      const tl = data.trustLine;
      return xdr.LedgerKey.trustline(
        new xdr.LedgerKeyTrustLine({ accountId: tl.accountId, asset: tl.asset }),
      );
    }
    case "offer": {
      const o = data.offer;
      return xdr.LedgerKey.offer(new xdr.LedgerKeyOffer({ sellerId: o.sellerId, offerId: o.offerId }));
    }
    case "data": {
      const d = data.data;
      return xdr.LedgerKey.data(new xdr.LedgerKeyData({ accountId: d.accountId, dataName: d.dataName }));
    }
    case "claimableBalance":
      return xdr.LedgerKey.claimableBalance(
        new xdr.LedgerKeyClaimableBalance({ balanceId: data.claimableBalance.balanceId }),
      );
    case "liquidityPool":
      return xdr.LedgerKey.liquidityPool(
        new xdr.LedgerKeyLiquidityPool({ liquidityPoolId: data.liquidityPool.liquidityPoolId }),
      );
    case "contractData": {
      const c = data.contractData;
      return xdr.LedgerKey.contractData(
        new xdr.LedgerKeyContractData({ contract: c.contract, key: c.key, durability: c.durability }),
      );
    }
    case "contractCode":
      return xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: data.contractCode.hash }));
    case "configSetting":
      return xdr.LedgerKey.configSetting(
        new xdr.LedgerKeyConfigSetting({
          configSettingId: xdr.ConfigSettingId.fromName(data.configSetting.type),
        }),
      );
    case "ttl":
      return xdr.LedgerKey.ttl(new xdr.LedgerKeyTtl({ keyHash: data.ttl.keyHash }));
  }
}

/**
 * An entry's data arm of the type the caller already knows (from the change's entry type or a compacted
 * table), narrowed for the type checker; any other arm is an error naming both types.
 */
export function dataOf<K extends xdr.LedgerEntryData["type"]>(
  entry: xdr.LedgerEntry,
  type: K,
): Extract<xdr.LedgerEntryData, { type: K }> {
  return xdr.expectUnionVariant(entry.data, type);
}
