/** Indicators for the scanner: candles as typed arrays, streaming indicators and the latest reading of one symbol. */
export * from './candleSeries.js';
export * from './indicatorStream.js';
export * from './readIndicators.js';
