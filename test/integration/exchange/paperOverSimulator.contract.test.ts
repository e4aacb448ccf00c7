/**
 * The exchange-port contract against the paper exchange whose market data is the real MEXC
 * client talking to the built-in simulator (what `TRADING_MODE=paper` on the simulator runs).
 */
import { isTradable } from '../../../src/domain/market.js';
import { dec } from '../../../src/domain/money.js';
import { PaperExchange } from '../../../src/exchange/paper/PaperExchange.js';
import { describeExchangeContract } from '../../exchange/exchangePort.contract.js';
import { startSimHarness } from '../../helpers/simulatorHarness.js';
import { testDb } from '../../helpers/testDb.js';

describeExchangeContract('PaperExchange over the MEXC client on the simulator', async () => {
  const h = await startSimHarness();
  const db = testDb();
  const port = new PaperExchange({
    clock: h.clock,
    db,
    initialBalances: new Map([
      ['USDC', dec('10000')],
      ['BTC', dec('1')],
    ]),
    market: h.client,
  });
  const untradable = [...(await port.getRules()).values()].find((r) => !isTradable(r));
  if (!untradable) throw new Error('the seeded simulator lists no untradable symbol');
  return {
    port,
    setBookTop: (symbol, top) => {
      h.clock.advance(1_000);
      h.sim.market.setBookTop(symbol, top);
    },
    tradableSymbol: 'BTCUSDC',
    untradableSymbol: untradable.symbol,
    quoteAsset: 'USDC',
    close: async () => {
      db.close();
      await h.close();
    },
  };
});
