/**
 * Every runtime setting, declared once (docs/strategies.md lists them). Keys are
 * `<strategy id>.<parameter>` or global. Strategies read them live through SettingsStore.
 */
import {
  boolSetting,
  cronSetting,
  decimalSetting,
  enumSetting,
  hoursRangeSetting,
  intSetting,
  symbolsSetting,
} from './settingTypes.js';
import { STRATEGY_MODES } from '../domain/strategy.js';

const mode = (id: string) =>
  enumSetting(`${id}.mode`, 'auto', STRATEGY_MODES, {
    description: 'auto places orders; confirm asks in chat first; notify only reports',
  });
const enabled = (id: string, def = true) =>
  boolSetting(`${id}.enabled`, def, { description: 'run this strategy' });

/** Every runtime setting with its kind, default, range and description. */
export const SETTINGS = {
  // global
  paused: boolSetting('paused', false, { description: 'pause every strategy' }),
  'reserve.usdc': decimalSetting('reserve.usdc', '50', {
    description: 'free USDC never spent, open buy orders counted',
    unit: 'USDC',
    min: 0,
    max: 10_000_000,
    step: 10,
  }),
  'reserve.usdt': decimalSetting('reserve.usdt', '5', {
    description: 'free USDT never spent, open buy orders counted',
    unit: 'USDT',
    min: 0,
    max: 10_000_000,
    step: 5,
  }),
  exclusions: symbolsSetting('exclusions', { description: 'symbols no strategy may trade' }),
  'core.btcSharePct': decimalSetting('core.btcSharePct', '50', {
    description: 'target BTC share of the BTC+ETH core',
    unit: '%',
    min: 0,
    max: 100,
    step: 5,
  }),
  confirmTtlMin: intSetting('confirmTtlMin', 10, {
    description: 'how long a confirmation button stays valid',
    unit: 'min',
    min: 1,
    max: 1440,
    step: 5,
  }),
  // Candles are kept 35 days: a what-if never asks for more history than the store holds.
  'whatIf.days': intSetting('whatIf.days', 7, {
    description: 'days of history a what-if replays when none are given',
    unit: 'd',
    min: 1,
    max: 30,
    step: 1,
  }),

  // notifications
  'notify.fills': boolSetting('notify.fills', true, { description: 'message on every buy and sell fill' }),
  'notify.scanReports': boolSetting('notify.scanReports', true, {
    description: 'send periodic scan reports',
  }),
  'notify.quietHours': hoursRangeSetting('notify.quietHours', 'off', {
    description: 'hold non-critical messages in these hours (TZ_REPORTS) and send a digest after',
  }),
  'notify.dailyReport': boolSetting('notify.dailyReport', true, { description: 'send the daily report' }),
  'notify.dailyReportHour': intSetting('notify.dailyReportHour', 9, {
    description: 'hour of the daily report (TZ_REPORTS)',
    unit: 'h',
    min: 0,
    max: 23,
    step: 1,
  }),

  // accumulate
  'accumulate.enabled': enabled('accumulate'),
  'accumulate.mode': mode('accumulate'),
  'accumulate.intervalSec': intSetting('accumulate.intervalSec', 60, {
    description: 'how often it runs',
    unit: 's',
    min: 10,
    max: 86_400,
    step: 30,
  }),
  'accumulate.orderUsdc': decimalSetting('accumulate.orderUsdc', '20', {
    description: 'USDC per buy',
    unit: 'USDC',
    min: 1,
    max: 1_000_000,
    step: 5,
  }),
  'accumulate.priceOffsetBps': intSetting('accumulate.priceOffsetBps', 0, {
    description: 'place the maker buy this far below the best bid',
    unit: 'bps',
    min: 0,
    max: 500,
    step: 1,
  }),
  'accumulate.cooldownMin': intSetting('accumulate.cooldownMin', 30, {
    description: 'wait after a fill before buying the same asset',
    unit: 'min',
    min: 0,
    max: 10_080,
    step: 10,
  }),
  'accumulate.maxAboveAvgPct': decimalSetting('accumulate.maxAboveAvgPct', '3', {
    description: 'skip when price is this far above the 24 h average',
    unit: '%',
    min: 0,
    max: 100,
    step: 0.5,
  }),
  'accumulate.maxDailyUsdc': decimalSetting('accumulate.maxDailyUsdc', '200', {
    description: 'USDC spent per day at most',
    unit: 'USDC',
    min: 0,
    max: 10_000_000,
    step: 50,
  }),
  'accumulate.orderTtlMin': intSetting('accumulate.orderTtlMin', 10, {
    description: 're-price an unfilled buy after',
    unit: 'min',
    min: 1,
    max: 1440,
    step: 1,
  }),

  // take-profit
  'take-profit.enabled': enabled('take-profit'),
  'take-profit.mode': mode('take-profit'),
  'take-profit.intervalSec': intSetting('take-profit.intervalSec', 60, {
    description: 'how often it runs',
    unit: 's',
    min: 10,
    max: 86_400,
    step: 30,
  }),
  'take-profit.minProfitPct': decimalSetting('take-profit.minProfitPct', '3', {
    description: 'sell when the bid is this far above average cost after fees',
    unit: '%',
    min: 0.1,
    max: 1000,
    step: 0.5,
  }),
  'take-profit.sellPct': decimalSetting('take-profit.sellPct', '50', {
    description: 'share of the free quantity to sell',
    unit: '%',
    min: 1,
    max: 100,
    step: 5,
  }),
  'take-profit.keepQty': decimalSetting('take-profit.keepQty', '0', {
    description: 'base quantity of each asset never sold',
    unit: 'coin',
    min: 0,
    max: 1_000_000,
    step: 0.001,
  }),
  'take-profit.priceOffsetBps': intSetting('take-profit.priceOffsetBps', 5, {
    description: 'sell this far below the best bid so it fills fast',
    unit: 'bps',
    min: 0,
    max: 500,
    step: 1,
  }),
  'take-profit.orderTtlMin': intSetting('take-profit.orderTtlMin', 2, {
    description: 're-price an unfilled sell after',
    unit: 'min',
    min: 1,
    max: 1440,
    step: 1,
  }),
  'take-profit.cooldownMin': intSetting('take-profit.cooldownMin', 120, {
    description: 'wait after a sell before selling the same asset again',
    unit: 'min',
    min: 0,
    max: 10_080,
    step: 30,
  }),

  // scanner
  'scanner.enabled': enabled('scanner'),
  'scanner.mode': mode('scanner'),
  'scanner.cron': cronSetting('scanner.cron', '*/15 * * * *', {
    description: 'when it scans (cron, UTC)',
  }),
  'scanner.minQuoteVolume': decimalSetting('scanner.minQuoteVolume', '500000', {
    description: 'minimum 24 h quote volume',
    unit: 'USDT',
    min: 0,
    max: 1_000_000_000_000,
    step: 100_000,
  }),
  'scanner.minPrice': decimalSetting('scanner.minPrice', '0.00001', {
    description: 'minimum price',
    unit: 'USDT',
    min: 0,
    max: 1_000_000,
    step: 0.0001,
  }),
  'scanner.maxCandidates': intSetting('scanner.maxCandidates', 80, {
    description: 'analyse at most this many symbols, by volume',
    min: 1,
    max: 500,
    step: 10,
  }),
  'scanner.klineLimit': intSetting('scanner.klineLimit', 250, {
    description: '15-minute candles of history per candidate (≥ 250 lets MACD settle)',
    min: 100,
    max: 500,
    step: 50,
  }),
  'scanner.maxChange24hPct': decimalSetting('scanner.maxChange24hPct', '20', {
    description: 'anti-hype: reject above this 24 h change',
    unit: '%',
    min: 0,
    max: 1000,
    step: 1,
  }),
  'scanner.maxChange1hPct': decimalSetting('scanner.maxChange1hPct', '6', {
    description: 'anti-hype: reject above this 1 h change',
    unit: '%',
    min: 0,
    max: 1000,
    step: 1,
  }),
  'scanner.maxVolumeSpike': decimalSetting('scanner.maxVolumeSpike', '8', {
    description: 'anti-hype: reject above this volume ratio',
    unit: '×',
    min: 1,
    max: 1000,
    step: 1,
  }),
  'scanner.rsiBuyMax': decimalSetting('scanner.rsiBuyMax', '40', {
    description: 'RSI at or below this scores as a buy zone',
    min: 1,
    max: 100,
    step: 5,
  }),
  'scanner.minVolumeRatio': decimalSetting('scanner.minVolumeRatio', '1.5', {
    description: 'volume ratio at or above this scores',
    unit: '×',
    min: 0,
    max: 100,
    step: 0.5,
  }),
  'scanner.minScore': intSetting('scanner.minScore', 60, {
    description: 'buy only at or above this score',
    min: 0,
    max: 100,
    step: 5,
  }),
  'scanner.maxBuysPerScan': intSetting('scanner.maxBuysPerScan', 2, {
    description: 'buys per scan at most',
    min: 0,
    max: 20,
    step: 1,
  }),
  'scanner.orderUsdt': decimalSetting('scanner.orderUsdt', '10', {
    description: 'USDT per buy',
    unit: 'USDT',
    min: 1,
    max: 1_000_000,
    step: 5,
  }),
  'scanner.maxPositions': intSetting('scanner.maxPositions', 10, {
    description: 'altcoin positions at most',
    min: 0,
    max: 200,
    step: 1,
  }),
  'scanner.cooldownHours': intSetting('scanner.cooldownHours', 24, {
    description: 'wait before buying the same symbol again',
    unit: 'h',
    min: 0,
    max: 720,
    step: 6,
  }),
  'scanner.reportEveryHours': intSetting('scanner.reportEveryHours', 6, {
    description: 'scan report to chat at most this often',
    unit: 'h',
    min: 1,
    max: 168,
    step: 1,
  }),

  // alt-profit
  'alt-profit.enabled': enabled('alt-profit'),
  'alt-profit.mode': mode('alt-profit'),
  'alt-profit.intervalSec': intSetting('alt-profit.intervalSec', 120, {
    description: 'how often it runs',
    unit: 's',
    min: 10,
    max: 86_400,
    step: 30,
  }),
  'alt-profit.minPositionUsdt': decimalSetting('alt-profit.minPositionUsdt', '2', {
    description: 'ignore holdings worth less (dust)',
    unit: 'USDT',
    min: 0,
    max: 1_000_000,
    step: 1,
  }),
  'alt-profit.takeProfitPct': decimalSetting('alt-profit.takeProfitPct', '8', {
    description: 'sell when the bid is this far above average cost after fees',
    unit: '%',
    min: 0.1,
    max: 10_000,
    step: 1,
  }),
  'alt-profit.sellPct': decimalSetting('alt-profit.sellPct', '100', {
    description: 'share of the position to sell',
    unit: '%',
    min: 1,
    max: 100,
    step: 10,
  }),
  'alt-profit.stopLossPct': decimalSetting('alt-profit.stopLossPct', '0', {
    description: 'sell at this loss below average cost (0 = off)',
    unit: '%',
    min: 0,
    max: 99,
    step: 1,
  }),
  'alt-profit.priceOffsetBps': intSetting('alt-profit.priceOffsetBps', 10, {
    description: 'sell this far below the best bid so it fills fast',
    unit: 'bps',
    min: 0,
    max: 500,
    step: 1,
  }),
  'alt-profit.orderTtlMin': intSetting('alt-profit.orderTtlMin', 2, {
    description: 're-price an unfilled sell after',
    unit: 'min',
    min: 1,
    max: 1440,
    step: 1,
  }),
  'alt-profit.cooldownMin': intSetting('alt-profit.cooldownMin', 120, {
    description: 'wait after a sell before selling the same asset again',
    unit: 'min',
    min: 0,
    max: 10_080,
    step: 30,
  }),
  'alt-profit.topUpUsdt': decimalSetting('alt-profit.topUpUsdt', '10', {
    description: 'USDT per top-up of a held scan leader',
    unit: 'USDT',
    min: 1,
    max: 1_000_000,
    step: 5,
  }),
  'alt-profit.maxTopUpsPerDay': intSetting('alt-profit.maxTopUpsPerDay', 3, {
    description: 'top-ups per day at most',
    min: 0,
    max: 100,
    step: 1,
  }),

  // split-balance
  'split-balance.enabled': enabled('split-balance'),
  'split-balance.mode': mode('split-balance'),
  'split-balance.intervalMin': intSetting('split-balance.intervalMin', 30, {
    description: 'how often it runs',
    unit: 'min',
    min: 1,
    max: 10_080,
    step: 5,
  }),
  'split-balance.targetAltSharePct': decimalSetting('split-balance.targetAltSharePct', '50', {
    description: 'target altcoin share of alts + core',
    unit: '%',
    min: 0,
    max: 100,
    step: 5,
  }),
  'split-balance.bandPct': decimalSetting('split-balance.bandPct', '10', {
    description: 'act only outside target ± this',
    unit: '%',
    min: 1,
    max: 50,
    step: 1,
  }),
  'split-balance.maxMoveUsdc': decimalSetting('split-balance.maxMoveUsdc', '50', {
    description: 'value moved per run at most',
    unit: 'USDC',
    min: 1,
    max: 10_000_000,
    step: 10,
  }),
  'split-balance.cooldownMin': intSetting('split-balance.cooldownMin', 120, {
    description: 'wait after a rebalance',
    unit: 'min',
    min: 0,
    max: 10_080,
    step: 30,
  }),

  // core-balance
  'core-balance.enabled': enabled('core-balance'),
  'core-balance.mode': mode('core-balance'),
  'core-balance.intervalMin': intSetting('core-balance.intervalMin', 60, {
    description: 'how often it runs',
    unit: 'min',
    min: 1,
    max: 10_080,
    step: 5,
  }),
  'core-balance.bandPct': decimalSetting('core-balance.bandPct', '10', {
    description: 'act only outside the BTC target share ± this',
    unit: '%',
    min: 1,
    max: 50,
    step: 1,
  }),
  'core-balance.maxMoveUsdc': decimalSetting('core-balance.maxMoveUsdc', '100', {
    description: 'value moved per run at most (rebalancing sells and redeploying buys)',
    unit: 'USDC',
    min: 1,
    max: 10_000_000,
    step: 10,
  }),
} as const;

/** The name of one runtime setting. */
export type SettingKey = keyof typeof SETTINGS;
/** The typed value of one setting. */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];

/** Every setting name,, in declaration order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** Whether a text names a runtime setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}
