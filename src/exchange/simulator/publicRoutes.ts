/**
 * Unsigned MEXC endpoints: connectivity, listing and market data. Internal to the simulator.
 */
import { exchangeInfoSymbol } from './exchangeInfo.js';
import { isKlineInterval, queryKlines } from './klines.js';
import type { SymbolRuntime } from './Market.js';
import {
  MAX_DEPTH_LIMIT,
  avgPriceWire,
  bookTickerWire,
  depthWire,
  priceWire,
  ticker24hWire,
} from './marketViews.js';
import { intParam, symbolParam } from './params.js';
import type { RouteTable, SimCore } from './routes.js';
import { SimErrors, envelope, ok } from './wire.js';

/** One symbol when `symbol` is sent, else every symbol. */
function oneOrAll<T>(core: SimCore, params: URLSearchParams, view: (rt: SymbolRuntime) => T): T | T[] {
  if (params.has('symbol')) return view(symbolParam(core.market, params));
  return core.market.runtimes.map(view);
}

/** The unsigned endpoints the simulator serves, keyed by method and path. */
export const PUBLIC_ROUTES: RouteTable = {
  'GET /api/v3/ping': { signed: false, handle: () => ok({}) },
  'GET /api/v3/time': { signed: false, handle: (_core, req) => ok({ serverTime: req.serverTime }) },
  'GET /api/v3/defaultSymbols': {
    signed: false,
    handle: (core, req) =>
      envelope(
        core.market.runtimes.filter((rt) => rt.apiTradable).map((rt) => rt.spec.symbol),
        req.serverTime,
      ),
  },
  'GET /api/v3/exchangeInfo': {
    signed: false,
    handle: (core, req) => {
      let selected: readonly SymbolRuntime[] = core.market.runtimes;
      if (req.params.has('symbol')) {
        selected = [symbolParam(core.market, req.params)];
      } else if (req.params.has('symbols')) {
        const names = new Set((req.params.get('symbols') ?? '').split(','));
        selected = core.market.runtimes.filter((rt) => names.has(rt.spec.symbol));
        if (selected.length === 0) throw SimErrors.invalidSymbol();
      }
      return ok({
        timezone: 'CST',
        serverTime: req.serverTime,
        rateLimits: [],
        exchangeFilters: [],
        symbols: selected.map(exchangeInfoSymbol),
      });
    },
  },
  'GET /api/v3/ticker/24hr': {
    signed: false,
    handle: (core, req) => ok(oneOrAll(core, req.params, (rt) => ticker24hWire(core.market, rt, req.now))),
  },
  'GET /api/v3/ticker/price': {
    signed: false,
    // `symbols=` is ignored, as on MEXC.
    handle: (core, req) => ok(oneOrAll(core, req.params, (rt) => priceWire(core.market, rt, req.now))),
  },
  'GET /api/v3/ticker/bookTicker': {
    signed: false,
    handle: (core, req) => ok(oneOrAll(core, req.params, (rt) => bookTickerWire(core.market, rt, req.now))),
  },
  'GET /api/v3/klines': {
    signed: false,
    handle: (core, req) => {
      const rt = symbolParam(core.market, req.params);
      const interval = req.params.get('interval') ?? '';
      if (!isKlineInterval(interval)) throw SimErrors.invalidInterval();
      const startTime = intParam(req.params, 'startTime');
      const endTime = intParam(req.params, 'endTime');
      const limit = intParam(req.params, 'limit');
      return ok(
        queryKlines(
          core.market,
          rt,
          {
            interval,
            ...(startTime === undefined ? {} : { startTime }),
            ...(endTime === undefined ? {} : { endTime }),
            ...(limit === undefined ? {} : { limit }),
          },
          req.now,
        ),
      );
    },
  },
  'GET /api/v3/depth': {
    signed: false,
    handle: (core, req) => {
      const rt = symbolParam(core.market, req.params);
      const limit = Math.min(MAX_DEPTH_LIMIT, Math.max(1, intParam(req.params, 'limit') ?? 100));
      return ok(depthWire(core.market, rt, req.now, limit));
    },
  },
  'GET /api/v3/avgPrice': {
    signed: false,
    handle: (core, req) => ok(avgPriceWire(core.market, symbolParam(core.market, req.params), req.now)),
  },
};
