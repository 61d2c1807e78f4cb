import pino from "pino";

/** JSON logs (pino) on stderr, so stdout stays free for command output; `LOG_LEVEL` sets the level. */
export function createLogger(service: string): pino.Logger {
  return pino(
    { name: service, level: process.env.LOG_LEVEL ?? "info", base: { service } },
    pino.destination({ dest: 2, sync: false }),
  );
}

export type Logger = pino.Logger;
