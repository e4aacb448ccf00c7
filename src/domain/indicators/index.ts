/** Indicators for the scanner: aligned series and the latest reading of one symbol. */
export * from './alignedSeries.js';
export * from './readIndicators.js';
