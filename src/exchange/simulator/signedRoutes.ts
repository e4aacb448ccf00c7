/**
 * Signed MEXC endpoints: account, orders, fills and fees. Internal to the simulator.
 *
 * myTrades and allOrders return rows in ascending time order: with `startTime`, the earliest
 * `limit` rows from it; otherwise the latest `limit` rows. myTrades keeps one month, allOrders
 * seven days.
 */
import type { SimOrder } from './Account.js';
import { accountWire, orderWire, tradeWire } from './accountViews.js';
import { placeOrder } from './placeOrder.js';
import { intParam, symbolParam } from './params.js';
import type { RouteRequest, RouteTable, SimCore } from './routes.js';
import { SimErrors, envelope, ok } from './wire.js';

const DAY_MS = 86_400_000;

/** The order named by orderId or origClientOrderId (700004 when neither is sent). */
function findOrder(core: SimCore, params: URLSearchParams): SimOrder | undefined {
  const orderId = params.get('orderId');
  const clientId = params.get('origClientOrderId');
  if (!orderId && !clientId) throw SimErrors.needOrderRef();
  const order = orderId ? core.account.byOrderId(orderId) : core.account.byClientOrderId(clientId ?? '');
  const symbol = params.get('symbol');
  return order && (!symbol || order.spec.symbol === symbol) ? order : undefined;
}

/** Rows with startTime <= time <= endTime, kept for `keepMs`, ascending; see the module comment. */
function timeWindow<T extends { time: number }>(
  rows: readonly T[],
  req: RouteRequest,
  opts: { keepMs: number; defaultSpanMs?: number; limit: number },
): T[] {
  const startTime = intParam(req.params, 'startTime');
  const endTime = intParam(req.params, 'endTime');
  let from = req.now - opts.keepMs;
  if (startTime !== undefined) from = Math.max(from, startTime);
  else if (endTime === undefined && opts.defaultSpanMs) from = Math.max(from, req.now - opts.defaultSpanMs);
  const selected = rows.filter((r) => r.time >= from && (endTime === undefined || r.time <= endTime));
  selected.sort((a, b) => a.time - b.time);
  return startTime === undefined ? selected.slice(-opts.limit) : selected.slice(0, opts.limit);
}

function limitParam(params: URLSearchParams, fallback: number, max: number): number {
  const limit = intParam(params, 'limit') ?? fallback;
  if (limit < 1) throw SimErrors.parameter(`limit must be between 1 and ${max}`);
  return Math.min(limit, max);
}

/** The `listenKey` parameter of the user-data stream endpoints. */
function listenKeyParam(params: URLSearchParams): string {
  const key = params.get('listenKey');
  if (!key) throw SimErrors.parameter('listenKey is required');
  return key;
}

/** The signed endpoints the simulator serves, keyed by method and path. */
export const SIGNED_ROUTES: RouteTable = {
  'GET /api/v3/account': { signed: true, handle: (core) => ok(accountWire(core.account, null)) },
  'GET /api/v3/selfSymbols': {
    signed: true,
    handle: (core, req) =>
      envelope(
        core.market.runtimes.filter((rt) => rt.apiTradable).map((rt) => rt.spec.symbol),
        req.serverTime,
      ),
  },
  'POST /api/v3/userDataStream': {
    signed: true,
    handle: (core, req) => ok({ listenKey: core.listenKeys.create(req.now) }),
  },
  'PUT /api/v3/userDataStream': {
    signed: true,
    handle: (core, req) => {
      const listenKey = listenKeyParam(req.params);
      core.listenKeys.extend(listenKey, req.now);
      return ok({ listenKey });
    },
  },
  'DELETE /api/v3/userDataStream': {
    signed: true,
    handle: (core, req) => {
      const listenKey = listenKeyParam(req.params);
      core.listenKeys.delete(listenKey, req.now);
      return ok({ listenKey });
    },
  },
  'GET /api/v3/tradeFee': {
    signed: true,
    handle: (core, req) => {
      const { spec } = symbolParam(core.market, req.params);
      // Numbers here, strings in exchangeInfo: a real MEXC inconsistency.
      const data = { makerCommission: spec.makerFee.toNumber(), takerCommission: spec.takerFee.toNumber() };
      return envelope(data, req.serverTime);
    },
  },
  'POST /api/v3/order': {
    signed: true,
    handle: (core, req) => ok(placeOrder({ ...core, params: req.params, now: req.now, dryRun: false })),
  },
  'POST /api/v3/order/test': {
    signed: true,
    handle: (core, req) => ok(placeOrder({ ...core, params: req.params, now: req.now, dryRun: true })),
  },
  'GET /api/v3/order': {
    signed: true,
    handle: (core, req) => {
      if (req.params.has('symbol')) symbolParam(core.market, req.params);
      const order = findOrder(core, req.params);
      if (!order) throw SimErrors.orderNotFound();
      return ok(orderWire(order));
    },
  },
  'DELETE /api/v3/order': {
    signed: true,
    handle: (core, req) => {
      symbolParam(core.market, req.params);
      const order = findOrder(core, req.params);
      if (!order || !core.account.isOpen(order)) throw SimErrors.unknownOrder();
      core.account.cancel(order, req.now);
      return ok(orderWire(order));
    },
  },
  'GET /api/v3/openOrders': {
    signed: true,
    handle: (core, req) => {
      const rt = symbolParam(core.market, req.params);
      return ok(core.account.openOrders(rt.spec.symbol).map(orderWire));
    },
  },
  'DELETE /api/v3/openOrders': {
    signed: true,
    handle: (core, req) => {
      const names = (req.params.get('symbol') ?? '').split(',').filter(Boolean);
      if (names.length === 0 || names.length > 5)
        throw SimErrors.parameter('symbol must list 1 to 5 symbols');
      const runtimes = names.map((name) => core.market.runtime(name));
      const known = runtimes.filter((rt) => rt !== undefined);
      if (known.length !== runtimes.length) throw SimErrors.invalidSymbol();
      const canceled: Record<string, unknown>[] = [];
      for (const rt of known) {
        for (const order of core.account.openOrders(rt.spec.symbol)) {
          core.account.cancel(order, req.now);
          canceled.push(orderWire(order));
        }
      }
      return ok(canceled);
    },
  },
  'GET /api/v3/allOrders': {
    signed: true,
    handle: (core, req) => {
      const rt = symbolParam(core.market, req.params);
      const orders = core.account.allOrders().filter((o) => o.spec.symbol === rt.spec.symbol);
      const rows = timeWindow(orders, req, {
        keepMs: 7 * DAY_MS,
        defaultSpanMs: DAY_MS,
        limit: limitParam(req.params, 500, 1000),
      });
      return ok(rows.map(orderWire));
    },
  },
  'GET /api/v3/myTrades': {
    signed: true,
    handle: (core, req) => {
      const rt = symbolParam(core.market, req.params);
      const orderId = req.params.get('orderId');
      const trades = core.account
        .allTrades()
        .filter((t) => t.symbol === rt.spec.symbol && (!orderId || t.orderId === orderId));
      const rows = timeWindow(trades, req, { keepMs: 30 * DAY_MS, limit: limitParam(req.params, 100, 100) });
      return ok(rows.map(tradeWire));
    },
  },
};
