import type { Rows } from "@stellar-lake/schema";
import { accountInfo } from "../changes/account";
import { accountIdString } from "../changes/format";
import { dataOf } from "../changes/ledger";
import {
  type ChangeInput,
  compactedOfType,
  ENTRY_ACCOUNT,
  entryOf,
  isRemoval,
  rowBase,
} from "../changes/snapshot";

/** native_balances_snapshot_v1: XLM balance and liabilities (stroops) of every changed account. */
export function nativeBalancesRows(ctx: ChangeInput): Rows["native_balances_snapshot_v1"][] {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_ACCOUNT).map((c) => {
    const entry = entryOf(c);
    const a = dataOf(entry, "account").account;
    const info = accountInfo(a);
    return {
      account_id: accountIdString(a.accountId),
      balance: a.balance,
      buying_liabilities: info.buyingLiabilities,
      selling_liabilities: info.sellingLiabilities,
      num_subentries: a.numSubEntries,
      num_sponsoring: info.numSponsoring,
      num_sponsored: info.numSponsored,
      sequence_number: a.seqNum,
      last_modified_ledger: BigInt(entry.lastModifiedLedgerSeq),
      ...base,
      deleted: isRemoval(c),
      ledger_entry_change: c.type,
    };
  });
}
