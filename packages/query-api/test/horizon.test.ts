/**
 * The Horizon-shaped routes answer exactly what the table routes answer for the same key, over hot and cold (the
 * lake flushed half-way), and every response matches the schema the OpenAPI document gives for it.
 */
import { haveFixtures } from "@stellar-lake/test-support";
import Ajv from "ajv";
import { parse as parseExact, stringify as stringifyExact } from "lossless-json";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../src/index";
import { PAYMENT_TYPES } from "../src/routes/horizon";
import { apiOver, get, type Lake, lakeWith, walkRows } from "./harness";

type Row = Record<string, unknown>;

const rowsOf = (texts: string[]) => texts.map((t) => JSON.parse(t) as Row);

/** The 200 schema of `route` (a Fastify path) in the OpenAPI document. */
function schemaOf(doc: Record<string, unknown>, route: string): Record<string, unknown> {
  const path = route.replace(/:([a-z_]+)/g, "{$1}");
  const op = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)[path]?.get;
  if (!op) throw new Error(`no GET ${path} in the OpenAPI document`);
  const s = (
    op.responses as Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>
  )["200"]?.content["application/json"]?.schema;
  if (!s) throw new Error(`GET ${path} documents no 200 response schema`);
  return s;
}

describe.skipIf(!haveFixtures())("Horizon-shaped routes", () => {
  let offers: { lake: Lake; api: ApiServer };
  let sac: { lake: Lake; api: ApiServer };
  let doc: Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("int64", true).addFormat("int32", true).addFormat("date-time", true);

  /** GET `path` (answering `route`): 200, and the body valid against the route's documented schema. */
  async function documented(api: ApiServer, route: string, path: string): Promise<Row> {
    const a = await get(api, path);
    expect(a.status, `${path}: ${a.body}`).toBe(200);
    const body = JSON.parse(a.body) as Row;
    const validate = ajv.compile(schemaOf(doc, route));
    if (!validate(body))
      throw new Error(`${path} does not match its schema: ${ajv.errorsText(validate.errors)}`);
    return body;
  }

  beforeAll(async () => {
    const a = await lakeWith("lcm-synthetic/core-test-lcms/OfferTests/f7a7364752aecebb.xdr");
    offers = { lake: a, api: await apiOver(a) };
    const b = await lakeWith("lcm-synthetic/core-test-lcms/InvokeHostFunctionTests/21c43b92b819267f.xdr");
    sac = { lake: b, api: await apiOver(b) };
    // Half of each lake cold: every answer below merges both stores.
    await a.flushTo(Math.floor((a.first + a.last) / 2));
    await b.flushTo(Math.floor((b.first + b.last) / 2));
    doc = JSON.parse((await get(offers.api, "/openapi.json")).body);
  });

  it("an account's operations, payments, transactions, effects and trades are the table rows for that account", async () => {
    const { api } = offers;
    const ops = rowsOf(await walkRows(api, "/operations?limit=200", "operations"));
    const txs = rowsOf(await walkRows(api, "/transactions?limit=200", "transactions"));
    const effects = rowsOf(await walkRows(api, "/effects?limit=200", "effects"));
    const trades = rowsOf(await walkRows(api, "/trades?limit=200", "trades"));
    const accounts = [...new Set(ops.map((o) => o.source_account as string))];
    expect(accounts.length).toBeGreaterThan(2);
    let payments = 0;
    let traded = 0;
    for (const id of accounts) {
      const exact = async (path: string, key: string) => await walkRows(api, path, key);
      const same = (rows: Row[]) => rows.map((r) => JSON.stringify(r));
      const mine = ops.filter((o) => o.source_account === id || o.destination === id);
      expect(same(rowsOf(await exact(`/accounts/${id}/operations?limit=7`, "operations")))).toEqual(
        same(mine),
      );
      const paid = mine.filter((o) => (PAYMENT_TYPES as readonly unknown[]).includes(o.type_string));
      payments += paid.length;
      expect(same(rowsOf(await exact(`/accounts/${id}/payments?limit=3`, "operations")))).toEqual(same(paid));
      expect(same(rowsOf(await exact(`/accounts/${id}/transactions?limit=5`, "transactions")))).toEqual(
        same(txs.filter((t) => t.source_account === id)),
      );
      expect(same(rowsOf(await exact(`/accounts/${id}/effects?limit=9`, "effects")))).toEqual(
        same(effects.filter((e) => e.account_id === id)),
      );
      const t = trades.filter((x) => x.seller_account === id || x.buyer_account === id);
      traded += t.length;
      expect(same(rowsOf(await exact(`/accounts/${id}/trades?limit=4`, "trades")))).toEqual(same(t));
      // Newest first: the same rows backwards.
      expect(same(rowsOf(await exact(`/accounts/${id}/payments?order=desc&limit=3`, "operations")))).toEqual(
        same(paid).reverse(),
      );
    }
    expect(payments).toBeGreaterThan(0);
    expect(traded).toBeGreaterThan(0);
    await documented(api, "/accounts/:account_id/payments", `/accounts/${accounts[0]}/payments?limit=2`);
  });

  it("a ledger's rows, one operation by id, one offer: from hot and from cold", async () => {
    const { api, lake } = offers;
    for (const seq of [lake.first + 1, lake.last - 1]) {
      for (const t of ["transactions", "operations", "effects"]) {
        const direct = await walkRows(api, `/${t}?start=${seq}&end=${seq}&limit=50`, t);
        expect(await walkRows(api, `/ledgers/${seq}/${t}?limit=3`, t), `${t} of ${seq}`).toEqual(direct);
        await documented(api, `/ledgers/:sequence/${t}`, `/ledgers/${seq}/${t}?limit=3`);
      }
    }
    const ops = (await walkRows(api, "/operations?limit=500", "operations")).map(
      (t) => parseExact(t) as Record<string, unknown>,
    );
    for (const op of [ops[0]!, ops[Math.floor(ops.length / 2)]!, ops.at(-1)!]) {
      const id = String(op.operation_id);
      await documented(api, "/operations/:id", `/operations/${id}`);
      const exact = parseExact((await get(api, `/operations/${id}`)).body) as Row;
      expect(stringifyExact(exact.operation)).toBe(stringifyExact(op));
    }
    expect((await get(api, `/operations/${(BigInt(lake.last) << 32n) + 4095n}`)).status).toBe(404);
    // Every offer of this test is gone by its last ledger: ask as of the ledgers where each was live.
    const changes = rowsOf(await walkRows(api, "/offers/history?limit=100", "offers")).filter(
      (o) => !o.deleted,
    );
    expect(changes.length).toBeGreaterThan(0);
    for (const c of [changes[0]!, changes[Math.floor(changes.length / 2)]!, changes.at(-1)!]) {
      const q = `as_of_ledger=${c.ledger_sequence}`;
      const [expected] = rowsOf(await walkRows(api, `/offers?offer_id=${c.offer_id}&${q}`, "offers"));
      const body = await documented(api, "/offers/:offer_id", `/offers/${c.offer_id}?${q}`);
      expect(body.offer).toEqual(expected);
      expect((await get(api, `/offers/${c.offer_id}`)).status).toBe(
        (await walkRows(api, `/offers?offer_id=${c.offer_id}`, "offers")).length ? 200 : 404,
      );
    }
    expect((await get(api, "/offers/999999999")).status).toBe(404);
  });

  it("a contract's events and data are the table rows for that contract", async () => {
    const { api } = sac;
    const events = rowsOf(await walkRows(api, "/contract_events?limit=200", "contract_events"));
    const contracts = [...new Set(events.map((e) => e.contract_id).filter((c): c is string => !!c))];
    expect(contracts.length).toBeGreaterThan(0);
    for (const id of contracts) {
      expect(rowsOf(await walkRows(api, `/contracts/${id}/events?limit=3`, "contract_events"))).toEqual(
        events.filter((e) => e.contract_id === id),
      );
      const data = rowsOf(await walkRows(api, `/contract_data?contract_id=${id}&limit=100`, "contract_data"));
      expect(rowsOf(await walkRows(api, `/contracts/${id}/data?limit=2`, "contract_data"))).toEqual(data);
      await documented(api, "/contracts/:contract_id/events", `/contracts/${id}/events?limit=2`);
      await documented(api, "/contracts/:contract_id/data", `/contracts/${id}/data?limit=2`);
    }
  });

  it("every documented route has a response schema; the table routes' answers match theirs", async () => {
    const paths = doc.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    for (const [p, ops] of Object.entries(paths))
      for (const [m, op] of Object.entries(ops))
        expect(op.responses?.["200"], `${m.toUpperCase()} ${p}`).toBeDefined();
    const { api, lake } = offers;
    await documented(api, "/ledgers", "/ledgers?order=desc&limit=3");
    await documented(api, "/operations", `/operations?start=${lake.first}&limit=5`);
    await documented(api, "/accounts", "/accounts?limit=3");
    await documented(api, "/trustlines/history", "/trustlines/history?limit=3");
    await documented(api, "/ledgers/:sequence", `/ledgers/${lake.first}`);
    await documented(api, "/health", "/health");
  });
});
