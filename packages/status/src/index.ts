export { collectStatus, type PipelineStatus, type StatusSources } from "./collect";
export { renderStatusPage } from "./render";
