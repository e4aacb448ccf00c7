/**
 * The exchange-port contract against the real MEXC client talking to the built-in simulator over
 * HTTP: the simulator's account is the exchange.
 */
import { isTradable } from '../../../src/domain/market.js';
import { describeExchangeContract } from '../../exchange/exchangePort.contract.js';
import { startSimHarness } from '../../helpers/simulatorHarness.js';

describeExchangeContract('MexcClient over the simulator', async () => {
  const h = await startSimHarness({ sim: { initialBalances: { USDC: '10000', USDT: '500', BTC: '1' } } });
  const rules = await h.client.getRules();
  // A symbol the simulator lists but does not let the API trade (seeded, so always the same one).
  const untradable = [...rules.values()].find((r) => !isTradable(r));
  if (!untradable) throw new Error('the seeded simulator lists no untradable symbol');
  return {
    port: h.client,
    setBookTop: (symbol, top) => {
      // The market moves over time: fills after a move carry a later time than the order.
      h.clock.advance(1_000);
      h.sim.market.setBookTop(symbol, top);
    },
    tradableSymbol: 'BTCUSDC',
    untradableSymbol: untradable.symbol,
    quoteAsset: 'USDC',
    close: () => h.close(),
  };
});
