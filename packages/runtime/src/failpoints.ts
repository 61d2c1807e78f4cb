/**
 * Named crash points for crash-safety tests (ingester and flusher): `STELLAR_LAKE_FAILPOINT=<name>[@<n>]` SIGKILLs this process the
 * n-th time (default 1st) execution reaches `failpoint(<name>)`. No effect when the variable is unset.
 */
const spec = process.env.STELLAR_LAKE_FAILPOINT ?? "";
const [armedName, nth] = spec.split("@");
let remaining = nth ? Number(nth) : 1;

export function failpoint(name: string): void {
  if (!armedName || name !== armedName) return;
  remaining -= 1;
  if (remaining === 0) {
    process.stderr.write(`failpoint ${name}: SIGKILL\n`);
    process.kill(process.pid, "SIGKILL");
  }
}

export const failpointArmed = Boolean(armedName);
