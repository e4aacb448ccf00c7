import { describe, expect, it } from 'vitest';
import {
  mapExchangeInfo,
  mapSymbolRules,
  mapSymbolStatus,
  mapTradeSide,
} from '../../../src/exchange/mexc/mexcMapper.js';
import { MexcSymbolInfo } from '../../../src/exchange/mexc/mexcSchemas.js';
import { symbolInfo } from '../../helpers/mexcWire.js';

describe('MEXC mapper: rules', () => {
  it.each([
    ['1', 'TRADING'],
    ['ENABLED', 'TRADING'],
    ['2', 'PAUSED'],
    ['3', 'OFFLINE'],
    ['DISABLED', 'OFFLINE'],
    ['', 'OFFLINE'],
  ] as const)('status "%s" → %s', (status, expected) => {
    expect(mapSymbolStatus(status)).toBe(expected);
  });

  it.each([
    [1, 'BOTH'],
    [2, 'BUY_ONLY'],
    [3, 'SELL_ONLY'],
    [4, 'CLOSED'],
    [undefined, 'BOTH'],
    [9, 'CLOSED'],
  ] as const)('tradeSideType %s → %s', (value, expected) => {
    expect(mapTradeSide(value)).toBe(expected);
  });

  it('numeric status 1 (a type change MEXC could make) still reads as trading', () => {
    const info = MexcSymbolInfo.parse(symbolInfo({ status: 1, tradeSideType: '2' }));
    const rules = mapSymbolRules(info, true);
    expect(rules.status).toBe('TRADING');
    expect(rules.tradeSide).toBe('BUY_ONLY');
  });

  it('tick and step for zero and large precisions are exact decimals', () => {
    const rules = mapSymbolRules(
      MexcSymbolInfo.parse(
        symbolInfo({ quoteAssetPrecision: 10, baseAssetPrecision: 0, maxQuoteAmount: '0' }),
      ),
      true,
    );
    expect(rules.tickSize.toFixed()).toBe('0.0000000001');
    expect(rules.stepSize.toFixed()).toBe('1');
    expect(rules.maxNotional, 'a "0" maximum is treated as unpublished').toBeUndefined();
  });

  it('quoteCommissionPrecision gives the decimals of fee amounts; absent, none is assumed', () => {
    const rules = mapSymbolRules(MexcSymbolInfo.parse(symbolInfo({ quoteCommissionPrecision: 8 })), true);
    expect(rules.feeDecimals, 'fees are rounded to the published decimals').toBe(8);
    const { quoteCommissionPrecision: _omitted, ...withoutPrecision } = symbolInfo();
    const unpublished = mapSymbolRules(MexcSymbolInfo.parse(withoutPrecision), true);
    expect(unpublished.feeDecimals, 'no precision published').toBeUndefined();
  });

  it('IOC-style order types pass through, unknown ones are dropped', () => {
    const rules = mapSymbolRules(
      MexcSymbolInfo.parse(symbolInfo({ orderTypes: ['LIMIT', 'STOP_LOSS', 'IMMEDIATE_OR_CANCEL'] })),
      true,
    );
    expect(rules.orderTypes).toEqual(['LIMIT', 'IMMEDIATE_OR_CANCEL']);
  });

  it('reports rejected symbols with the reason and keeps the rest', async () => {
    const { rules, rejected } = await mapExchangeInfo(
      [
        symbolInfo(),
        symbolInfo({ symbol: 'NOPRICE', quoteAssetPrecision: null, quotePrecision: null }),
        { junk: true },
      ],
      ['BTCUSDC'],
    );
    expect([...rules.keys()]).toEqual(['BTCUSDC']);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toContain('NOPRICE: neither quoteAssetPrecision nor quotePrecision is set');
    expect(rejected[1]).toMatch(/^symbols\[2\]: symbol: /);
  });
});
