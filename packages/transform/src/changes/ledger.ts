/**
 * Version-independent access to the parts of a LedgerCloseMeta the change tables read. V0 carries a legacy
 * tx set and no Soroban fields; V1 (protocol 20-22) and V2 (23+) differ in the tx-processing record (V2 adds
 * the post-apply fee refunds) and in how evictions are reported.
 */
import { xdr } from "@stellar/stellar-base";

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
  switch (lcm.switch()) {
    case 0:
      return lcm.v0();
    case 1:
      return lcm.v1();
    case 2:
      return lcm.v2();
    default:
      throw new Error(`unsupported LedgerCloseMeta version ${lcm.switch()}`);
  }
}

export function ledgerHeaderOf(lcm: xdr.LedgerCloseMeta): xdr.LedgerHeader {
  return lcmBody(lcm).ledgerHeader().header();
}

export function ledgerSequenceOf(lcm: xdr.LedgerCloseMeta): number {
  return ledgerHeaderOf(lcm).ledgerSeq();
}

export function txProcessingOf(lcm: xdr.LedgerCloseMeta): TxProcessing[] {
  const v = lcm.switch();
  if (v === 2) {
    return lcm
      .v2()
      .txProcessing()
      .map((t, i) => ({
        index: i + 1,
        result: t.result(),
        feeProcessing: t.feeProcessing(),
        meta: t.txApplyProcessing(),
        postApplyFeeProcessing: t.postTxApplyFeeProcessing(),
      }));
  }
  const list = v === 0 ? lcm.v0().txProcessing() : lcm.v1().txProcessing();
  return list.map((t, i) => ({
    index: i + 1,
    result: t.result(),
    feeProcessing: t.feeProcessing(),
    meta: t.txApplyProcessing(),
    postApplyFeeProcessing: [],
  }));
}

export function upgradesOf(lcm: xdr.LedgerCloseMeta): xdr.UpgradeEntryMeta[] {
  return lcmBody(lcm).upgradesProcessing();
}

/**
 * Keys evicted from live state in this ledger: LCM V2 `evictedKeys` (protocol 23+: persistent and temporary
 * entries plus their TTL keys), LCM V1 `evictedTemporaryLedgerKeys` (named `evictedKeys` by stellar-base 15)
 * plus the keys of `evictedPersistentLedgerEntries` (named `unused`). V0 has none.
 */
export function evictedKeysOf(lcm: xdr.LedgerCloseMeta): xdr.LedgerKey[] {
  switch (lcm.switch()) {
    case 1: {
      const v1 = lcm.v1();
      return [...v1.evictedKeys(), ...v1.unused().map((e) => ledgerKeyOfData(e.data()))];
    }
    case 2:
      return lcm.v2().evictedKeys();
    default:
      return [];
  }
}

/** The LedgerKey identifying an entry (stellar-base has no such helper). */
export function ledgerKeyOf(entry: xdr.LedgerEntry): xdr.LedgerKey {
  return ledgerKeyOfData(entry.data());
}

export function ledgerKeyOfData(data: xdr.LedgerEntryData): xdr.LedgerKey {
  switch (data.switch().value) {
    case 0:
      return xdr.LedgerKey.account(new xdr.LedgerKeyAccount({ accountId: data.account().accountId() }));
    case 1: {
      const tl = data.trustLine();
      return xdr.LedgerKey.trustline(
        new xdr.LedgerKeyTrustLine({ accountId: tl.accountId(), asset: tl.asset() }),
      );
    }
    case 2: {
      const o = data.offer();
      return xdr.LedgerKey.offer(new xdr.LedgerKeyOffer({ sellerId: o.sellerId(), offerId: o.offerId() }));
    }
    case 3: {
      const d = data.data();
      return xdr.LedgerKey.data(new xdr.LedgerKeyData({ accountId: d.accountId(), dataName: d.dataName() }));
    }
    case 4:
      return xdr.LedgerKey.claimableBalance(
        new xdr.LedgerKeyClaimableBalance({ balanceId: data.claimableBalance().balanceId() }),
      );
    case 5:
      return xdr.LedgerKey.liquidityPool(
        new xdr.LedgerKeyLiquidityPool({ liquidityPoolId: data.liquidityPool().liquidityPoolId() }),
      );
    case 6: {
      const c = data.contractData();
      return xdr.LedgerKey.contractData(
        new xdr.LedgerKeyContractData({ contract: c.contract(), key: c.key(), durability: c.durability() }),
      );
    }
    case 7:
      return xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: data.contractCode().hash() }));
    case 8:
      return xdr.LedgerKey.configSetting(
        new xdr.LedgerKeyConfigSetting({ configSettingId: data.configSetting().switch() }),
      );
    case 9:
      return xdr.LedgerKey.ttl(new xdr.LedgerKeyTtl({ keyHash: data.ttl().keyHash() }));
    default:
      throw new Error(`unknown LedgerEntryType ${data.switch().value}`);
  }
}
