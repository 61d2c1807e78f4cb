/**
 * A Stellar RPC endpoint as a ledger backend (`getLedgers`, which returns each ledger's LedgerCloseMeta XDR),
 * for users without a data lake. RPC keeps a limited window (retention): the range is [oldestLedger, latestLedger]
 * as the endpoint reports it; paging follows its cursor; at the tip it polls like the datastore's live tail.
 */
import { type LedgerBlob, peekLedgerSequence } from "@stellar-lake/lcm-io";
import { sleep } from "@stellar-lake/runtime";
import type { LedgerBackend } from "./backend";
import { GapError, type LedgerRange, type ReadOptions } from "./datastore/reader";

interface RpcLedger {
  sequence: number;
  metadataXdr: string;
}
interface GetLedgersResult {
  ledgers: RpcLedger[];
  latestLedger: number;
  oldestLedger: number;
  cursor?: string;
}

export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export class RpcBackend implements LedgerBackend {
  readonly location: string;
  private id = 0;

  constructor(
    private readonly url: string,
    private readonly opts: { pageSize?: number; authorization?: string; timeoutMs?: number } = {},
  ) {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    this.location = u.toString();
  }

  private async call<T>(method: string, params: object): Promise<T> {
    let r: Response;
    try {
      r = await fetch(this.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(this.opts.authorization ? { authorization: this.opts.authorization } : {}),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++this.id, method, params }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new RpcError(`${this.location}: ${(err as Error).message}`);
    }
    if (!r.ok) throw new RpcError(`${this.location}: HTTP ${r.status} for ${method}`);
    const body = (await r.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error) throw new RpcError(`${this.location} ${method}: ${body.error.message}`, body.error.code);
    return body.result as T;
  }

  async networkPassphrase(): Promise<string | undefined> {
    const r = await this.call<{ passphrase?: string }>("getNetwork", {});
    return r.passphrase;
  }

  async range(): Promise<LedgerRange | undefined> {
    const r = await this.call<GetLedgersResult>("getLedgers", { pagination: { limit: 1 } }).catch(
      () => undefined,
    );
    if (r?.oldestLedger && r.latestLedger) return { oldest: r.oldestLedger, latest: r.latestLedger };
    const h = await this.call<{ sequence: number }>("getLatestLedger", {});
    return { oldest: h.sequence, latest: h.sequence };
  }

  async *read(from: number, opts: ReadOptions): AsyncGenerator<LedgerBlob> {
    const limit = this.opts.pageSize ?? 100;
    const pollMs = opts.pollMs ?? 2000;
    let next = from;
    let cursor: string | undefined;
    while (!opts.signal?.aborted) {
      const params = cursor
        ? { pagination: { cursor, limit } }
        : { startLedger: next, pagination: { limit } };
      let page: GetLedgersResult;
      try {
        page = await this.call<GetLedgersResult>("getLedgers", params);
      } catch (err) {
        // Asking past the tip is an error on RPC; it means "not yet": wait and ask again.
        if (err instanceof RpcError && err.code !== undefined && next > (await this.range())!.latest) {
          if (pollMs === 0) return;
          await sleep(pollMs, opts.signal);
          cursor = undefined;
          continue;
        }
        throw err;
      }
      if (next < page.oldestLedger) {
        throw new GapError(
          next,
          `ledger ${next} is older than ${this.location}'s retention window (${page.oldestLedger}-${page.latestLedger})`,
        );
      }
      for (const l of page.ledgers) {
        if (l.sequence < next) continue;
        if (l.sequence !== next)
          throw new GapError(
            next,
            `${this.location} returned ledger ${l.sequence} where ${next} was expected`,
          );
        const xdr = Buffer.from(l.metadataXdr, "base64");
        const seq = peekLedgerSequence(xdr);
        if (seq !== l.sequence)
          throw new GapError(next, `${this.location} ledger ${l.sequence} carries ledger ${seq}`);
        opts.onFile?.(`getLedgers:${l.sequence}`, xdr.length);
        yield { sequence: l.sequence, xdr, offset: 0 };
        next += 1;
        if (opts.signal?.aborted) return;
      }
      cursor = page.ledgers.length > 0 ? page.cursor : undefined;
      if (page.ledgers.length === 0 || next > page.latestLedger) {
        if (pollMs === 0) return;
        await sleep(pollMs, opts.signal);
        cursor = undefined;
      }
    }
  }
}
