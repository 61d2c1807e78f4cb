/**
 * Claim predicates in the JSON form Horizon and stellar-etl print: {"unconditional":true}, {"and":[…]},
 * {"or":[…]}, {"not":{…}}, {"abs_before":"RFC3339","abs_before_epoch":"secs"}, {"rel_before":"secs"}.
 */
import type { xdr } from "@stellar/stellar-sdk/base";

export type PredicateJson = { [k: string]: unknown };

export function predicateJson(p: xdr.ClaimPredicate): PredicateJson {
  switch (p.type) {
    case "claimPredicateUnconditional":
      return { unconditional: true };
    case "claimPredicateAnd":
      return { and: p.andPredicates.map(predicateJson) };
    case "claimPredicateOr":
      return { or: p.orPredicates.map(predicateJson) };
    case "claimPredicateNot": {
      const inner = p.notPredicate;
      return { not: inner ? predicateJson(inner) : null };
    }
    case "claimPredicateBeforeAbsoluteTime": {
      const secs = p.absBefore;
      return { abs_before: unixToRfc3339(secs), abs_before_epoch: secs.toString() };
    }
    case "claimPredicateBeforeRelativeTime":
      return { rel_before: p.relBefore.toString() };
  }
}

/** Go's RFC 3339 rendering of a Unix time in UTC, for any int64 (years beyond 9999 get a '+'). */
export function unixToRfc3339(secs: bigint): string {
  const days = secs >= 0n ? secs / 86400n : -((-secs + 86399n) / 86400n);
  const rem = secs - days * 86400n;
  // Civil-from-days (Howard Hinnant), in BigInt so any int64 works.
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  let y = yoe + era * 400n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  if (m <= 2n) y += 1n;
  const pad = (v: bigint, n = 2) => v.toString().padStart(n, "0");
  const year = y > 9999n ? `+${y}` : y < 0n ? `-${pad(-y, 4)}` : pad(y, 4);
  const hh = rem / 3600n;
  const mm = (rem % 3600n) / 60n;
  const ss = rem % 60n;
  return `${year}-${pad(m)}-${pad(d)}T${pad(hh)}:${pad(mm)}:${pad(ss)}Z`;
}
