/** An AbortSignal fired by the first SIGINT/SIGTERM; a second signal exits at once. */
export function shutdownSignal(onSignal?: (sig: NodeJS.Signals) => void): AbortSignal {
  const ctl = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (ctl.signal.aborted) {
      process.stderr.write(`${sig} again: exiting immediately\n`);
      process.exit(130);
    }
    onSignal?.(sig);
    ctl.abort(new Error(sig));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return ctl.signal;
}
