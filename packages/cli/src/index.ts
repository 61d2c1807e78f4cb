export { type CommandModule, UsageError } from "./command";
