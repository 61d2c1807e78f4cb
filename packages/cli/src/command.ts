/** The contract of a CLI command module (`packages/cli/src/commands/<name>.ts`). */
export interface CommandModule {
  /** One line for the command list. */
  readonly summary: string;
  /** Run with the arguments after the command name; resolve to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** An error whose message is already the whole, user-facing line (no stack trace needed). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
