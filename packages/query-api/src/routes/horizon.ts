/**
 * Horizon-shaped routes, each a view of a catalog resource narrowed by the key in its path:
 * - an account's operations, payments, transactions, effects and trades (ledger ranges, `order`, cursors);
 * - a ledger's transactions, operations and effects (one ledger: the sequence index of either store);
 * - one operation by id (its TOID names its ledger), one offer, liquidity pool or claimable balance (latest state);
 * - a contract's events (range) and its data entries (latest state).
 * Every answer comes from the same hot + cold view as the table routes, with the same envelopes and cursors.
 */
import type { FastifyInstance } from "fastify";
import { notFound } from "../errors";
import { type RowFilter, rangeRows, viewBounds, withView } from "../query";
import { itemBody, ledgerParam, pageParams, parseFilters, rangeParams, sendJson } from "../respond";
import { itemResponses, listResponses } from "../schemas";
import { filterSchema, patterns, type Resource, resource } from "../tables";
import { answerRange, type DataRouteOptions, latestAnswer, ledgers } from "./data";

type Query = Record<string, string | number | undefined>;

const operations = resource("operations");
const transactions = resource("transactions");
const effects = resource("effects");
const trades = resource("trades");
const contractEvents = resource("contract_events");
const contractData = resource("contract_data");

const column = (res: Resource, name: string) => {
  const c = res.table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`query-api: ${res.table.name} has no column ${name}`);
  return c;
};

/**
 * The operation types Horizon's payments endpoints return (its `OnlyPayments`: create_account, payment, both path
 * payments, account_merge, and invoke_host_function for Stellar Asset Contract transfers).
 */
export const PAYMENT_TYPES = [
  "create_account",
  "payment",
  "path_payment_strict_receive",
  "path_payment_strict_send",
  "account_merge",
  "invoke_host_function",
] as const;

/** An account is in an operation as its source or as its destination (payment, path payments, merge, create). */
const opParticipant = (id: string): RowFilter => ({
  either: [
    { column: column(operations, "source_account"), value: id },
    { column: column(operations, "destination"), value: id },
  ],
});

interface AccountChild {
  child: string;
  res: Resource;
  summary: string;
  filters: (id: string) => RowFilter[];
}

const ACCOUNT_CHILDREN: AccountChild[] = [
  {
    child: "operations",
    res: operations,
    summary: "Operations whose source or destination is the account",
    filters: (id) => [opParticipant(id)],
  },
  {
    child: "payments",
    res: operations,
    summary: `Payment-like operations (${PAYMENT_TYPES.join(", ")}) sent or received by the account, as Horizon counts them`,
    filters: (id) => [
      opParticipant(id),
      { column: column(operations, "type_string"), value: PAYMENT_TYPES[0], values: PAYMENT_TYPES },
    ],
  },
  {
    child: "transactions",
    res: transactions,
    summary: "Transactions whose source is the account",
    filters: (id) => [{ column: column(transactions, "source_account"), value: id }],
  },
  {
    child: "effects",
    res: effects,
    summary: "Effects on the account",
    filters: (id) => [{ column: column(effects, "account_id"), value: id }],
  },
  {
    child: "trades",
    res: trades,
    summary: "Trades in which the account sold or bought",
    filters: (id) => [
      {
        either: [
          { column: column(trades, "seller_account"), value: id },
          { column: column(trades, "buyer_account"), value: id },
        ],
      },
    ],
  },
];

const accountParams = {
  type: "object",
  required: ["account_id"],
  properties: {
    account_id: { type: "string", pattern: patterns.ACCOUNT, description: "account strkey (G…)" },
  },
};

export async function horizonRoutes(app: FastifyInstance, o: DataRouteOptions): Promise<void> {
  const page = pageParams(o.config.maxLimit, o.config.defaultLimit);
  const cfg = o.routeConfig;
  const rangeQuery = {
    type: "object",
    additionalProperties: false,
    properties: { ...rangeParams, ...page },
  };

  for (const a of ACCOUNT_CHILDREN) {
    app.get(
      `/accounts/:account_id/${a.child}`,
      {
        config: cfg,
        schema: {
          tags: ["accounts"],
          summary: a.summary,
          description: `Rows of ${a.res.table.name} in (${a.res.sortKey.map((c) => c.name).join(", ")}) order; start/end/order/cursor as on /${a.res.name}.`,
          params: accountParams,
          querystring: rangeQuery,
          response: listResponses(a.res, a.res.name, { stream: true }),
        },
      },
      async (req, reply) => {
        const { account_id } = req.params as { account_id: string };
        // The strkey's checksum, as every account filter checks it.
        parseFilters(effects, { account_id });
        return answerRange(o, req, reply, a.res, `/accounts/${account_id}/${a.child}`, req.query as Query, {
          fixedFilters: a.filters(account_id),
        });
      },
    );
  }

  for (const res of [transactions, operations, effects]) {
    app.get(
      `/ledgers/:sequence/${res.name}`,
      {
        config: cfg,
        schema: {
          tags: ["ledgers"],
          summary: `The ${res.name} of one ledger`,
          params: {
            type: "object",
            required: ["sequence"],
            properties: { sequence: ledgerParam("ledger sequence") },
          },
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: { order: rangeParams.order, ...page },
          },
          response: listResponses(res, res.name, { stream: true }),
        },
      },
      async (req, reply) => {
        const seq = Number((req.params as { sequence: number }).sequence);
        const q = req.query as Query;
        return answerRange(o, req, reply, res, `/ledgers/${seq}/${res.name}`, { ...q, start: seq, end: seq });
      },
    );
  }

  app.get(
    "/operations/:id",
    {
      config: cfg,
      schema: {
        tags: ["lookups"],
        summary: "One operation by id (its TOID: ledger, transaction and operation order)",
        params: {
          type: "object",
          required: ["id"],
          properties: {
            id: { type: "string", pattern: "^[0-9]{1,19}$", description: "operation id (TOID)" },
          },
        },
        response: itemResponses(operations, "operation"),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      // A TOID is ledger << 32 | transaction order << 12 | operation index: its ledger is the high 32 bits.
      const toid = BigInt(id);
      if (toid > 0x7fffffffffffffffn) throw notFound(`no operation ${id}`);
      const seq = toid >> 32n;
      const read = {
        res: operations,
        from: seq,
        to: seq,
        filters: [{ column: column(operations, "operation_id"), value: id }],
        limit: 1,
      };
      const r = await withView(
        o.stores,
        async (v) => {
          const bounds = await viewBounds(v, ledgers);
          const p = await rangeRows(v, read);
          return { row: p.rows[0], m: { bounds, view: v, page: p } };
        },
        read,
      );
      if (!r.row) throw notFound(`no operation ${id} (ledger ${seq})`);
      return sendJson(reply, itemBody(operations, "operation", r.row, r.m), r.m);
    },
  );

  // Latest state of one entity by its key: offers, liquidity pools, claimable balances.
  for (const [name, key, item] of [
    ["offers", "offer_id", "offer"],
    ["liquidity_pools", "liquidity_pool_id", "liquidity_pool"],
    ["claimable_balances", "balance_id", "claimable_balance"],
  ] as const) {
    const res = resource(name);
    const keyColumn = column(res, key);
    app.get(
      `/${name}/:${key}`,
      {
        config: cfg,
        schema: {
          tags: ["lookups"],
          summary: `One ${item.replace("_", " ")}'s latest live state`,
          params: { type: "object", required: [key], properties: { [key]: filterSchema(keyColumn) } },
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: { as_of_ledger: ledgerParam("state as of this ledger (default: the latest)") },
          },
          response: itemResponses(res, item),
        },
      },
      async (req, reply) => {
        const value = String((req.params as Record<string, string>)[key]);
        const q = req.query as Query;
        const r = await latestAnswer(o, req, res, `/${name}/:id`, { ...q, limit: 1 }, [
          { column: keyColumn, value },
        ]);
        const row = r.page.rows[0];
        if (!row)
          throw notFound(
            `no live ${item.replace("_", " ")} ${value}${q.as_of_ledger !== undefined ? ` as of ledger ${q.as_of_ledger}` : ""}`,
          );
        return sendJson(reply, itemBody(res, item, row, r.m), r.m);
      },
    );
  }

  const contractParams = {
    type: "object",
    required: ["contract_id"],
    properties: { contract_id: filterSchema(column(contractEvents, "contract_id")) },
  };
  app.get(
    "/contracts/:contract_id/events",
    {
      config: cfg,
      schema: {
        tags: ["contracts"],
        summary: "A contract's events",
        params: contractParams,
        querystring: rangeQuery,
        response: listResponses(contractEvents, contractEvents.name, { stream: true }),
      },
    },
    async (req, reply) => {
      const { contract_id } = req.params as { contract_id: string };
      return answerRange(
        o,
        req,
        reply,
        contractEvents,
        `/contracts/${contract_id}/events`,
        req.query as Query,
        {
          fixedFilters: parseFilters(contractEvents, { contract_id }),
        },
      );
    },
  );
  app.get(
    "/contracts/:contract_id/data",
    {
      config: cfg,
      schema: {
        tags: ["contracts"],
        summary: "A contract's live data entries (latest state per key)",
        params: contractParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            as_of_ledger: ledgerParam("state as of this ledger (default: the latest)"),
            ...page,
          },
        },
        response: listResponses(contractData, contractData.name),
      },
    },
    async (req, reply) => {
      const { contract_id } = req.params as { contract_id: string };
      const r = await latestAnswer(
        o,
        req,
        contractData,
        `/contracts/${contract_id}/data`,
        req.query as Query,
        parseFilters(contractData, { contract_id }),
      );
      return sendJson(reply, r.body, r.m);
    },
  );
}
