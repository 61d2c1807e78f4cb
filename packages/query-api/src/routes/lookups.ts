/**
 * Key lookups: a ledger by sequence, a transaction by hash with its operations and effects, an account's
 * latest state and its history. Unknown keys are 404 problems, never empty 200s.
 */
import type { FastifyInstance } from "fastify";
import { notFound } from "../errors";
import { rangeRows, type View, viewBounds, withView } from "../query";
import { itemBody, ledgerParam, pageParams, parseFilters, rangeParams, sendJson } from "../respond";
import { itemResponses, listResponses } from "../schemas";
import { patterns, resource } from "../tables";
import { columnAt } from "../values";
import { answerRange, type DataRouteOptions, latestAnswer, ledgers, rangeAnswer } from "./data";

const transactions = resource("transactions");
const operations = resource("operations");
const effects = resource("effects");
const accounts = resource("accounts");

type Query = Record<string, string | number | undefined>;

const hashParams = {
  type: "object",
  required: ["hash"],
  properties: { hash: { type: "string", pattern: patterns.HEX64, description: "transaction hash (64 hex)" } },
};
const accountParams = {
  type: "object",
  required: ["account_id"],
  properties: {
    account_id: { type: "string", pattern: patterns.ACCOUNT, description: "account strkey (G…)" },
  },
};

export async function lookupRoutes(app: FastifyInstance, o: DataRouteOptions): Promise<void> {
  const page = pageParams(o.config.maxLimit, o.config.defaultLimit);
  const cfg = o.routeConfig;

  app.get(
    "/ledgers/:sequence",
    {
      config: cfg,
      schema: {
        tags: ["lookups"],
        summary: "One ledger by sequence",
        params: {
          type: "object",
          required: ["sequence"],
          properties: { sequence: ledgerParam("ledger sequence") },
        },
        response: itemResponses(ledgers, "ledger"),
      },
    },
    async (req, reply) => {
      const seq = BigInt((req.params as { sequence: number }).sequence);
      const read = { res: ledgers, from: seq, to: seq, filters: [], limit: 1 };
      const r = await withView(
        o.stores,
        async (v) => {
          const bounds = await viewBounds(v, ledgers);
          const p = await rangeRows(v, read);
          return { row: p.rows[0], m: { bounds, view: v, page: p } };
        },
        read,
      );
      if (!r.row)
        throw notFound(
          `ledger ${seq} is not available (oldest ${r.m.bounds.oldest}, latest ${r.m.bounds.latest})`,
        );
      return sendJson(reply, itemBody(ledgers, "ledger", r.row, r.m), r.m);
    },
  );

  /** The transaction with `hash` in view `v` (undefined row: unknown hash). */
  const transactionIn = async (v: View, hash: string) => {
    const bounds = await viewBounds(v, ledgers);
    const p = await rangeRows(v, {
      res: transactions,
      from: bounds.oldest ?? 0n,
      to: bounds.latest ?? 0n,
      filters: [
        { column: transactions.table.columns.find((c) => c.name === "transaction_hash")!, value: hash },
      ],
      limit: 1,
    });
    return { row: p.rows[0], m: { bounds, view: v, page: p } };
  };

  app.get(
    "/transactions/:hash",
    {
      config: cfg,
      schema: {
        tags: ["lookups"],
        summary: "One transaction by hash",
        params: hashParams,
        response: itemResponses(transactions, "transaction"),
      },
    },
    async (req, reply) => {
      const { hash } = req.params as { hash: string };
      const r = await withView(o.stores, (v) => transactionIn(v, hash));
      if (!r.row) throw notFound(`no transaction with hash ${hash}`);
      return sendJson(reply, itemBody(transactions, "transaction", r.row, r.m), r.m);
    },
  );

  for (const [child, res] of [
    ["operations", operations],
    ["effects", effects],
  ] as const) {
    app.get(
      `/transactions/:hash/${child}`,
      {
        config: cfg,
        schema: {
          tags: ["lookups"],
          summary: `The ${child} of a transaction`,
          params: hashParams,
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: { order: rangeParams.order, ...page },
          },
          response: listResponses(res, res.name),
        },
      },
      async (req, reply) => {
        const { hash } = req.params as { hash: string };
        const q = req.query as Query;
        // One view for both steps: the transaction's ledger, then its rows in that ledger.
        const r = await withView(o.stores, async (v) => {
          const tx = await transactionIn(v, hash);
          if (!tx.row) throw notFound(`no transaction with hash ${hash}`);
          const seq = Number(tx.row[columnAt(transactions.table.columns, "ledger_sequence")]);
          return rangeAnswer(
            o,
            req,
            res,
            `/transactions/${hash}/${child}`,
            { ...q, start: seq, end: seq },
            {
              fixedFilters: parseFilters(res, { transaction_hash: hash }),
              view: v,
            },
          );
        });
        return sendJson(reply, r.body, r.m);
      },
    );
  }

  app.get(
    "/accounts/:account_id",
    {
      config: cfg,
      schema: {
        tags: ["lookups"],
        summary: "An account's latest live state",
        params: accountParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { as_of_ledger: ledgerParam("state as of this ledger (default: the latest)") },
        },
        response: itemResponses(accounts, "account"),
      },
    },
    async (req, reply) => {
      const { account_id } = req.params as { account_id: string };
      const fixed = parseFilters(accounts, { account_id });
      const r = await latestAnswer(
        o,
        req,
        accounts,
        "/accounts/:id",
        { ...(req.query as Query), limit: 1 },
        fixed,
      );
      const row = r.page.rows[0];
      if (!row)
        throw notFound(
          `no live account ${account_id}${(req.query as Query).as_of_ledger !== undefined ? ` as of ledger ${(req.query as Query).as_of_ledger}` : ""}`,
        );
      return sendJson(reply, itemBody(accounts, "account", row, r.m), r.m);
    },
  );

  app.get(
    "/accounts/:account_id/history",
    {
      config: cfg,
      schema: {
        tags: ["lookups"],
        summary: "Every change of an account in a ledger range",
        params: accountParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { ...rangeParams, ...page },
        },
        response: listResponses(accounts, accounts.name, { stream: true }),
      },
    },
    async (req, reply) => {
      const { account_id } = req.params as { account_id: string };
      return answerRange(o, req, reply, accounts, `/accounts/${account_id}/history`, req.query as Query, {
        fixedFilters: parseFilters(accounts, { account_id }),
      });
    },
  );
}
