import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { buyAmountWithin, buyFeeRate } from '../../src/domain/orderRules.js';
import { symbolRules } from '../helpers/executionHarness.js';

const rules = symbolRules('BTCUSDC', 'BTC', 'USDC', { makerFee: dec('0.0002'), takerFee: dec('0.0005') });

describe('buy fees in the reserve arithmetic', () => {
  it('a post-only buy pays the maker fee; anything that can take pays the higher of the two', () => {
    expect(buyFeeRate(rules, 'LIMIT_MAKER').toFixed()).toBe('0.0002');
    expect(buyFeeRate(rules, 'IMMEDIATE_OR_CANCEL').toFixed()).toBe('0.0005');
    expect(buyFeeRate(rules, 'LIMIT').toFixed()).toBe('0.0005');
    expect(buyFeeRate({ ...rules, makerFee: dec('0.001') }, 'MARKET').toFixed(), 'maker above taker').toBe(
      '0.001',
    );
  });

  it('sizes a buy so that amount plus fee fits the budget exactly', () => {
    const amount = buyAmountWithin(dec('100.05'), rules, 'IMMEDIATE_OR_CANCEL');
    expect(amount.toFixed()).toBe('100');
    expect(amount.times('1.0005').toFixed(), 'amount + fee = budget').toBe('100.05');
    expect(buyAmountWithin(dec('-3'), rules, 'LIMIT').toFixed(), 'no budget, no buy').toBe('0');
  });
});
