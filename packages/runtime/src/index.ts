export { parseDuration } from "./duration";
export { failpoint, failpointArmed } from "./failpoints";
export { type HealthReport, listenHost, type StatusServer, startStatusServer } from "./http-status";
export { createLogger, type Logger } from "./logger";
export { NETWORKS, networkName, resolvePassphrase } from "./network";
export { shutdownSignal } from "./shutdown";
export { sleep } from "./sleep";
