import { syntheticFills } from '../bench/pnl.js';
import { costAssetOf, makeToCostAsset } from '../src/domain/portfolio/conversion.js';
import { positionsFromFills } from '../src/domain/portfolio/positions.js';
import { dec } from '../src/domain/money.js';
const prices = new Map([['MXUSDT', dec('2.5')], ['USDCUSDT', dec('0.9995')]]);
const toCostAsset = makeToCostAsset({ prices, usdcUsdt: dec('0.9995') });
const fills = syntheticFills(100000).map(f => ({...f, prices: { usdcUsdt: dec('0.9995'), ...(f.commissionAsset==='MX'?{feePrice: dec('2.5'), feeQuote:'USDT'}:{}) }}));
for (let i=0;i<3;i++){ const t=performance.now(); positionsFromFills(fills,{costAssetOf,toCostAsset}); console.log(performance.now()-t);}
