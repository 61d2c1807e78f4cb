/**
 * V8 heap limits for a thread that decodes and transforms ledgers: the ingester's transform workers and the
 * transform benchmark's measuring thread. (A process that transforms on its main thread, e.g. the ingester with
 * `--workers 0`, gets the same with `NODE_OPTIONS=--max-semi-space-size=64`.)
 *
 * Why: a protocol-26 ledger decodes to about 7 MB of objects and becomes about 5 MB of rows and per-ledger caches,
 * and nearly all of it stays alive until the ledger is done. With V8's default young generation (16 MB
 * semi-spaces) a scavenge comes every ledger or so, finds most of the current ledger alive, copies it and promotes
 * it: about 35% of the thread's time went to the garbage collector. Semi-spaces of 64 MB (a 192 MB young generation) hold several ledgers, so
 * most of what a scavenge finds is the finished ledgers' garbage. It is a ceiling the young generation grows to
 * when objects keep surviving, not memory taken up front.
 */
export const TRANSFORM_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 192 } as const;
