/**
 * Node options the API process runs with: the image's NODE_OPTIONS (infra/docker/query-api.Dockerfile), `pnpm dev`
 * and the query bench. A page read allocates a few hundred KB of short-lived strings and arrays, and 32 requests
 * in flight keep much of a default 16 MB semi-space alive at each scavenge: a 64 MB one cut the API's time in GC
 * by about a third (15-16% -> 5-12% of its CPU on the hot 100-operation page at 32 connections). It is a ceiling
 * the young generation grows to under load, not memory taken up front. Its own module (export
 * `@stellar-lake/query-api/node-options`) so launchers need not load the API to read it.
 */
export const API_NODE_OPTIONS = "--max-semi-space-size=64";
