import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderSide, OrderType, SymbolRules } from '../../src/domain/market.js';
import { type Decimal, dec, quantize, stepFromPrecision, toWire, ZERO } from '../../src/domain/money.js';
import { type OrderDraft, prepareOrder } from '../../src/domain/orderRules.js';
import { buildRules } from '../helpers/symbolRules.js';

/** Fixed seed: the same cases on every run and machine. */
const RUNS = { numRuns: 3000, seed: 20260101 } as const;

/** A positive decimal mantissa × 10^-scale, so every value is exact (no float source). */
const decimal = (maxMantissa: bigint, maxScale: number) =>
  fc
    .tuple(fc.bigInt({ min: 1n, max: maxMantissa }), fc.integer({ min: 0, max: maxScale }))
    .map(([mantissa, scale]) => dec(`${mantissa}e-${scale}`));

const rulesArb: fc.Arbitrary<SymbolRules> = fc
  .record({
    tickDecimals: fc.integer({ min: 0, max: 10 }),
    stepDecimals: fc.integer({ min: 0, max: 10 }),
    minQtySteps: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
    minNotional: fc.oneof(fc.constant(ZERO), decimal(1_000_000n, 4)),
    maxNotional: fc.option(decimal(10n ** 9n, 0), { nil: undefined }),
  })
  .map(({ tickDecimals, stepDecimals, minQtySteps, minNotional, maxNotional }) => {
    const stepSize = stepFromPrecision(stepDecimals);
    return buildRules({
      symbol: 'PROPUSDT',
      baseAsset: 'PROP',
      quoteAsset: 'USDT',
      tickSize: stepFromPrecision(tickDecimals),
      stepSize,
      minQty: stepSize.times(minQtySteps),
      minNotional,
      maxNotional,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    });
  });

const draftArb: fc.Arbitrary<OrderDraft> = fc
  .record({
    side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
    type: fc.constantFrom<OrderType>('LIMIT', 'LIMIT_MAKER', 'IMMEDIATE_OR_CANCEL', 'MARKET'),
    price: decimal(10n ** 10n, 12),
    size: fc.oneof(
      decimal(10n ** 14n, 16).map((quantity) => ({ quantity })),
      decimal(10n ** 10n, 8).map((quoteAmount) => ({ quoteAmount })),
    ),
  })
  .map(({ side, type, price, size }) => ({ side, type, price, ...size }));

const isMultiple = (value: Decimal, step: Decimal) => value.mod(step).isZero();
const plain = (value: Decimal) => !/e/i.test(toWire(value)) && dec(toWire(value)).equals(value);

describe('prepareOrder properties', () => {
  it('returns exchange-valid, conservatively rounded orders or a refusal with a reason', () => {
    fc.assert(
      fc.property(rulesArb, draftArb, (rules, draft) => {
        const prepared = prepareOrder(draft, rules);
        if (!prepared.ok) {
          expect(prepared.reason, 'a refusal names the symbol').toContain(rules.symbol);
          expect(
            ['bad-price', 'below-min-qty', 'below-min-notional', 'above-max-notional'],
            'only size and price refusals for a tradable symbol and positive inputs',
          ).toContain(prepared.code);
          return;
        }
        const { tickSize: tick, stepSize: step } = rules;
        const price = quantize(draft.price, tick, draft.side === 'BUY' ? 'down' : 'up');
        if (draft.type === 'MARKET') expect(prepared.price, 'no price on MARKET').toBeUndefined();
        else expectDec(prepared.price, price, 'the rounded price is sent');
        expect(isMultiple(price, tick), 'price is a multiple of the tick').toBe(true);
        expect(isMultiple(prepared.quantity, step), 'quantity is a multiple of the step').toBe(true);
        expect(prepared.quantity.gt(0), 'positive quantity').toBe(true);
        if (draft.side === 'BUY') {
          expect(price.lte(draft.price), 'a buy never pays more').toBe(true);
        } else {
          expect(price.gte(draft.price), 'a sell never receives less').toBe(true);
        }
        expect(price.minus(draft.price).abs().lt(tick), 'within one tick').toBe(true);
        if (draft.quantity) {
          expect(prepared.quantity.lte(draft.quantity), 'quantity rounds down').toBe(true);
          expect(draft.quantity.minus(prepared.quantity).lt(step), 'by less than a step').toBe(true);
        } else {
          expect(prepared.notional.lte(draft.quoteAmount!), 'never spends more than the amount').toBe(true);
          expect(
            draft.quoteAmount!.minus(prepared.notional).lt(step.times(price)),
            'by less than a step',
          ).toBe(true);
        }
        expectDec(prepared.notional, prepared.quantity.times(price), 'notional at the rounded price');
        expect(prepared.notional.gte(rules.minNotional), 'meets the minimum notional').toBe(true);
        expect(prepared.quantity.gte(rules.minQty), 'meets the minimum quantity').toBe(true);
        if (rules.maxNotional)
          expect(prepared.notional.lte(rules.maxNotional), 'within the maximum').toBe(true);
        for (const value of [price, prepared.quantity, prepared.notional]) {
          expect(plain(value), `${toWire(value)} serialises without exponent and round-trips`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('refuses only when the rounded order really breaks a rule', () => {
    fc.assert(
      fc.property(rulesArb, draftArb, (rules, draft) => {
        const prepared = prepareOrder(draft, rules);
        if (prepared.ok) return;
        const price = quantize(draft.price, rules.tickSize, draft.side === 'BUY' ? 'down' : 'up');
        const raw = draft.quantity ?? (price.gt(0) ? draft.quoteAmount!.div(price) : ZERO);
        const quantity = quantize(raw, rules.stepSize, 'down');
        const broken = {
          'bad-price': price.lte(0),
          'below-min-qty': quantity.lte(0) || quantity.lt(rules.minQty),
          'below-min-notional': quantity.times(price).lt(rules.minNotional),
          'above-max-notional':
            rules.maxNotional !== undefined && quantity.times(price).gt(rules.maxNotional),
        } as Record<string, boolean>;
        expect(broken[prepared.code], `${prepared.code}: ${prepared.reason}`).toBe(true);
      }),
      RUNS,
    );
  });

  it('toWire never uses exponent notation, from 1e-30 to 1e30', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: -30, max: 30 }),
        fc.boolean(),
        (mantissa, exponent, negative) => {
          const value = dec(`${negative ? '-' : ''}${mantissa}e${exponent}`);
          expect(plain(value), `${value.toString()} → ${toWire(value)}`).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

function expectDec(actual: Decimal | undefined, expected: Decimal, why: string): void {
  expect(actual === undefined ? 'undefined' : toWire(actual), why).toBe(toWire(expected));
}

describe('prepareOrder examples', () => {
  const btc = buildRules();

  it('refuses a symbol missing from defaultSymbols as not-tradable', () => {
    const prepared = prepareOrder(
      { side: 'BUY', type: 'LIMIT', price: dec('40000'), quantity: dec('0.01') },
      {
        ...btc,
        apiTradable: false,
      },
    );
    expect(prepared, 'not API-tradable').toMatchObject({ ok: false, code: 'not-tradable' });
    expect(prepared.ok ? '' : prepared.reason).toContain('defaultSymbols');
  });

  it('refuses 0.0001 BTC at 40000 (4 USDC) below the 5 USDC minimum notional', () => {
    const prepared = prepareOrder(
      { side: 'BUY', type: 'LIMIT', price: dec('40000'), quantity: dec('0.0001') },
      btc,
    );
    expect(prepared, 'below the minimum').toMatchObject({ ok: false, code: 'below-min-notional' });
    expect(prepared.ok ? '' : prepared.reason, 'reason has both numbers').toMatch(/4 USDC.*minimum 5/);
  });

  it('refuses a quantity that rounds to zero at the step', () => {
    const prepared = prepareOrder(
      { side: 'SELL', type: 'LIMIT', price: dec('40000'), quantity: dec('0.0000009') },
      { ...btc, minNotional: ZERO },
    );
    expect(prepared, 'rounds to zero').toMatchObject({ ok: false, code: 'below-min-qty' });
    expect(prepared.ok ? '' : prepared.reason).toContain('rounds to zero');
  });

  it('rounds a buy price down, a sell price up and the quantity down', () => {
    const draft = { type: 'LIMIT', price: dec('40000.019'), quantity: dec('0.1234567') } as const;
    const buy = prepareOrder({ ...draft, side: 'BUY' }, btc);
    const sell = prepareOrder({ ...draft, side: 'SELL' }, btc);
    expect(buy.ok && [toWire(buy.price!), toWire(buy.quantity)], 'buy').toEqual(['40000.01', '0.123456']);
    expect(sell.ok && [toWire(sell.price!), toWire(sell.quantity)], 'sell').toEqual(['40000.02', '0.123456']);
  });

  it('sizes by quote amount without exceeding it: 100 USDT at 3 with step 0.01 → 33.33', () => {
    const rules = buildRules({ stepSize: dec('0.01'), tickSize: dec('0.0001') });
    const prepared = prepareOrder(
      { side: 'BUY', type: 'LIMIT', price: dec('3'), quoteAmount: dec('100') },
      rules,
    );
    expect(prepared.ok && [toWire(prepared.quantity), toWire(prepared.notional)]).toEqual(['33.33', '99.99']);
  });
});
