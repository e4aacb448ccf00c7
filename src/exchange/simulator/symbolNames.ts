/**
 * Base-asset names for the simulated altcoins. Internal to the simulator.
 *
 * The first names are familiar tickers (so a person watching the console recognises a market);
 * the rest are synthesised from syllables with a fixed seed, so the universe has the same names
 * whatever `SIM_SEED` is and only prices and volumes change with the seed.
 */
import { STABLECOINS } from '../../domain/market.js';
import { Prng } from './prng.js';

const KNOWN = [
  'SOL XRP DOGE ADA TRX LINK AVAX SUI XLM TON SHIB HBAR DOT BCH LTC UNI PEPE NEAR APT ICP ETC KAS',
  'RENDER FET TAO ARB OP FIL ATOM INJ IMX STX SEI TIA BONK WIF FLOKI JUP PYTH ONDO ENA WLD GRT',
  'AAVE MKR LDO RUNE SAND MANA AXS GALA APE CHZ CRV SNX COMP 1INCH DYDX GMX BLUR JASMY CFX KAVA',
  'ZIL ENJ FLOW MINA ROSE XTZ EOS NEO IOTA QTUM ZEC DASH KSM CELO ONE HOT RVN ANKR SKL STORJ BAT',
  'ZRX SUSHI YFI BAL LRC ICX IOST ONT ALGO VET THETA EGLD AR MX KAIA NOT DOGS HMSTR CATI MEW',
  'POPCAT BRETT TURBO NEIRO MOG GOAT PNUT ACT VIRTUAL AI16Z TRUMP',
]
  .join(' ')
  .split(' ');

const ONSETS = 'B C D F G H J K L M N P R S T V X Z QU ZY'.split(' ');
const VOWELS = 'A E I O U Y'.split(' ');
const CODAS = ['', '', 'X', 'N', 'R', 'K', 'T', 'M', 'Z'];

/** Suffixes the bot treats as leveraged tokens; synthetic names must not end with them. */
const LEVERAGED_SUFFIXES = ['3L', '3S', '5L', '5S', 'UP', 'DOWN', 'BULL', 'BEAR'];

function acceptable(name: string, taken: ReadonlySet<string>): boolean {
  return (
    !taken.has(name) &&
    !STABLECOINS.has(name) &&
    name !== 'BTC' &&
    name !== 'ETH' &&
    !LEVERAGED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/** `count` distinct altcoin base-asset names, stable across seeds. */
export function altcoinNames(count: number): string[] {
  const names: string[] = [];
  const taken = new Set<string>();
  for (const name of KNOWN) {
    if (names.length >= count) return names;
    names.push(name);
    taken.add(name);
  }
  const rng = new Prng(0x5eed_a17c);
  while (names.length < count) {
    const syllables = rng.int(1, 3);
    let name = '';
    for (let i = 0; i < syllables; i++) {
      name += ONSETS[rng.int(0, ONSETS.length - 1)] ?? 'B';
      name += VOWELS[rng.int(0, VOWELS.length - 1)] ?? 'A';
    }
    name += CODAS[rng.int(0, CODAS.length - 1)] ?? '';
    if (name.length >= 3 && name.length <= 8 && acceptable(name, taken)) {
      names.push(name);
      taken.add(name);
    }
  }
  return names;
}
