import type { OrderRequest, SymbolRules } from '../../../src/domain/market.js';
import { dec } from '../../../src/domain/money.js';
import type { Db } from '../../../src/persistence/db.js';
import { PaperExchange } from '../../../src/exchange/paper/PaperExchange.js';
import { ManualClock } from '../../../src/common/clock.js';
import { FakeMarketData } from '../../helpers/FakeMarketData.js';
import { buildRules } from '../../helpers/symbolRules.js';
import { testDb } from '../../helpers/testDb.js';

export interface PaperSetup {
  readonly db: Db;
  readonly market: FakeMarketData;
  readonly clock: ManualClock;
  readonly exchange: PaperExchange;
  /** A new PaperExchange on the same database and market: what a restart looks like. */
  restart(balances?: Record<string, string>): PaperExchange;
}

/**
 * A paper exchange over fake market data: BTCUSDC (buildRules defaults, maker 0.1 %, taker
 * 0.2 %) with the book at 40000.00 / 40001.00, and 100000 USDC + 1 BTC unless told otherwise.
 */
export function paperSetup(
  options: { rules?: readonly SymbolRules[]; balances?: Record<string, string> } = {},
): PaperSetup {
  const db = testDb();
  const market = new FakeMarketData(options.rules ?? [buildRules()]);
  market.setBookTop('BTCUSDC', { bid: '40000.00', ask: '40001.00' });
  const clock = new ManualClock();
  const make = (balances: Record<string, string>) =>
    new PaperExchange({
      clock,
      db,
      initialBalances: new Map(Object.entries(balances).map(([a, v]) => [a, dec(v)])),
      market,
    });
  return {
    db,
    market,
    clock,
    exchange: make(options.balances ?? { USDC: '100000', BTC: '1' }),
    restart: (balances = {}) => make(balances),
  };
}

let sequence = 0;

/** A BTCUSDC order request with a fresh client id; prices and quantities given as strings. */
export function btcOrder(
  fields: Pick<OrderRequest, 'side' | 'type'> & { price?: string; quantity: string; symbol?: string },
): OrderRequest {
  sequence += 1;
  return {
    symbol: fields.symbol ?? 'BTCUSDC',
    side: fields.side,
    type: fields.type,
    price: fields.price === undefined ? undefined : dec(fields.price),
    quantity: dec(fields.quantity),
    clientOrderId: `paper-test-${sequence}`,
  };
}

/** free/locked of one asset as wire strings, "0" when absent. */
export async function wallet(
  exchange: PaperExchange,
  asset: string,
): Promise<{ free: string; locked: string }> {
  const b = (await exchange.getBalances()).find((x) => x.asset === asset);
  return { free: b?.free.toFixed() ?? '0', locked: b?.locked.toFixed() ?? '0' };
}
