import { dec } from '../../../src/domain/money.js';
import { PaperExchange } from '../../../src/exchange/paper/PaperExchange.js';
import { ManualClock } from '../../../src/common/clock.js';
import { FakeMarketData } from '../../helpers/FakeMarketData.js';
import { buildRules } from '../../helpers/symbolRules.js';
import { testDb } from '../../helpers/testDb.js';
import { describeExchangeContract } from '../exchangePort.contract.js';

describeExchangeContract('PaperExchange over fake market data', async () => {
  const market = new FakeMarketData([
    buildRules(),
    buildRules({ symbol: 'LOCKEDUSDT', baseAsset: 'LOCKED', quoteAsset: 'USDT', apiTradable: false }),
  ]);
  market.setBookTop('BTCUSDC', { bid: '60000.00', ask: '60000.50' });
  market.setBookTop('LOCKEDUSDT', { bid: '1.000', ask: '1.001' });
  const clock = new ManualClock();
  const db = testDb();
  const port = new PaperExchange({
    clock,
    db,
    initialBalances: new Map([
      ['USDC', dec('10000')],
      ['BTC', dec('1')],
    ]),
    market,
  });
  return {
    port,
    setBookTop: (symbol, top) => {
      // The market moves over time: fills after a move carry a later time than the order.
      clock.advance(1_000);
      market.setBookTop(symbol, top);
    },
    tradableSymbol: 'BTCUSDC',
    untradableSymbol: 'LOCKEDUSDT',
    quoteAsset: 'USDC',
    close: async () => {
      db.close();
    },
  };
});
