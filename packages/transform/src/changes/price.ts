/** Prices as Hubble prints them: n/d rounded to 7 decimals, halves away from zero, then a float64. */

export function priceString7(n: bigint, d: bigint): string {
  if (d === 0n) return "0.0000000";
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const scaled = (an * 10_000_000n * 2n + ad) / (2n * ad);
  const whole = scaled / 10_000_000n;
  const frac = (scaled % 10_000_000n).toString().padStart(7, "0");
  return `${neg && scaled !== 0n ? "-" : ""}${whole}.${frac}`;
}

export function priceFloat(n: bigint, d: bigint): number {
  return Number(priceString7(n, d));
}
