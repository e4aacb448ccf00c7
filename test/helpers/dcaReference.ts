/**
 * A minimal test strategy for exercising the execution core: buy a fixed quote
 * amount of one symbol at the best bid whenever the headroom allows and no buy of its own is open.
 * Not one of the product's strategies: tests run it under an existing strategy id for its settings
 * and pauses.
 */
import { type Decimal, dec } from '../../src/domain/money.js';
import type { Decision, StrategyDefinition, StrategySchedule } from '../../src/strategies/contract.js';
import type { StrategyId } from '../../src/domain/strategy.js';

/** The id, symbol, amount and schedule of the reference strategy. */
export interface DcaReferenceOptions {
  /** Id to run under (settings `<id>.enabled`, `<id>.mode`, pauses). Default `accumulate`. */
  readonly id?: StrategyId;
  readonly symbol?: string;
  readonly quoteAmount?: Decimal;
  /** Default: every `accumulate.intervalSec`, read live. */
  readonly schedule?: StrategyDefinition['schedule'];
  readonly ttlMs?: number;
}

/** A minimal buy-the-bid strategy for exercising the execution core in tests. */
export function dcaReference(options: DcaReferenceOptions = {}): StrategyDefinition {
  const id = options.id ?? 'accumulate';
  const symbol = options.symbol ?? 'BTCUSDC';
  const amount = options.quoteAmount ?? dec('20');
  return {
    id,
    needs: { tickers: false },
    schedule:
      options.schedule ??
      ((settings): StrategySchedule => ({
        kind: 'interval',
        everyMs: settings.get('accumulate.intervalSec') * 1000,
      })),
    decide({ snapshot }): Decision {
      const rules = snapshot.rules.get(symbol);
      const top = snapshot.bookTops.get(symbol);
      if (!rules || !top) return { intents: [], notes: [`${symbol}: no market data`] };
      if (snapshot.blockedSymbols.has(symbol)) return { intents: [], notes: [`${symbol} is blocked`] };
      if (snapshot.openOrders.some((o) => o.origin === id && o.symbol === symbol && o.side === 'BUY')) {
        return { intents: [], notes: ['a buy is already open'] };
      }
      const room = rules.quoteAsset === 'USDC' ? snapshot.headroom.usdc : snapshot.headroom.usdt;
      if (room.lessThan(amount)) {
        return {
          intents: [],
          notes: [`headroom ${room.toFixed()} ${rules.quoteAsset} below ${amount.toFixed()}`],
        };
      }
      return {
        intents: [
          {
            kind: 'order',
            origin: id,
            symbol,
            side: 'BUY',
            type: 'LIMIT_MAKER',
            price: top.bid,
            quoteAmount: amount,
            reason: `reference DCA: ${amount.toFixed()} ${rules.quoteAsset} at the best bid ${top.bid.toFixed()}`,
            ttlMs: options.ttlMs,
            repriceOnExpiry: options.ttlMs !== undefined,
          },
        ],
        notes: [],
      };
    },
  };
}
