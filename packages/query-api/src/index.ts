export { type AppOptions, buildApp } from "./app";
export { type ApiConfig, ApiConfigError, apiConfigFromEnv } from "./config";
export { API_NODE_OPTIONS } from "./node-options";
export { type ApiServer, startApi } from "./server";
export { ColdStore } from "./stores/cold";
export { HotStore } from "./stores/hot";
export { resources } from "./tables";
