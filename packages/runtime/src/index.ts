export {
  bool,
  ConfigError,
  type ConfigOf,
  type ConfigSchema,
  defineConfig,
  duration,
  int,
  list,
  num,
  type Option,
  oneOf,
  secret,
  str,
} from "./config-schema";
export { parseDuration } from "./duration";
export { failpoint, failpointArmed } from "./failpoints";
export {
  type HealthProbe,
  type HealthReason,
  HealthReasons,
  type HealthReport,
  healthAnswer,
} from "./health";
export { listenHost, type StatusServer, startStatusServer } from "./http-status";
export { createLogger, type Logger } from "./logger";
export { NETWORKS, networkName, resolvePassphrase } from "./network";
export { MIN_NODE, nodeSupported, unsupportedNodeMessage } from "./node-version";
export { shutdownSignal } from "./shutdown";
export { sleep } from "./sleep";
