import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, buttons, startBotHarness, texts, type BotHarness } from '../helpers/botHarness.js';
import { createTestApp, MemoryCore } from '../helpers/memoryCore.js';

// The memory core lists the exchange's rules: BTCUSDC tick 0.01, step 0.000001; ETHUSDC tick
// 0.01, step 0.00001; PEPEUSDT tick 0.0000000001, step 1.
let h: BotHarness;
let core: MemoryCore;

beforeEach(async () => {
  core = new MemoryCore();
  h = await startBotHarness({ testApp: createTestApp({ core }) });
});
afterEach(async () => {
  await h.stop();
});

function insertFill(
  symbol: string,
  base: string,
  quote: string,
  side: string,
  price: string,
  qty: string,
): void {
  h.db
    .prepare(
      `INSERT INTO fills (symbol, trade_id, order_id, origin, base_asset, quote_asset, side, price, qty, quote_qty, commission, commission_asset, is_maker, time, recorded_at)
       VALUES (?, ?, 'o', 'scanner', ?, ?, ?, ?, ?, '1', '0', ?, 1, ?, 0)`,
    )
    .run(symbol, `${symbol}-${price}`, base, quote, side, price, qty, quote, h.clock.now() - 1000);
}

describe('chat numbers to the symbol’s precision from the exchange rules', () => {
  it('/trades and /orders: prices to the tick, quantities to the step', async () => {
    insertFill('PEPEUSDT', 'PEPE', 'USDT', 'SELL', '0.0000123', '1500000');
    h.db
      .prepare(
        `INSERT INTO orders (client_order_id, origin, symbol, side, type, price, quantity, executed_qty, status, created_at, updated_at)
         VALUES ('ap-1', 'accumulate', 'ETHUSDC', 'BUY', 'LIMIT_MAKER', '3001', '0.01', '0.004', 'PARTIALLY_FILLED', ?, ?)`,
      )
      .run(h.clock.now() - 60_000, h.clock.now());
    const trades = texts(await h.say(OWNER, '/trades'));
    expect(trades).toMatch(/sell 1,500,000 PEPEUSDT @ 0\.0000123000/);
    expect(trades, 'BTCUSDC fills of the memory core').toMatch(/sell 0\.005000 BTCUSDC @ 60,500\.00/);
    const orders = await h.say(OWNER, '/orders');
    expect(texts(orders)).toMatch(/buy 0\.01000 @ 3,001\.00, filled 0\.00400/);

    const cancel = buttons(orders).find((b) => b.text.startsWith('✖'))!;
    const reply = texts(await h.tap(OWNER, cancel.data, 1));
    expect(reply).toMatch(/Cancelled: buy 0\.01000 on ETHUSDC/);
    expect(reply).toMatch(/0\.00400 had been filled before/);
  });

  it('/pnl: quantity to the step and costs and prices to the tick of the asset’s pair', async () => {
    const pnl = texts(await h.say(OWNER, '/pnl'));
    // BTC: 0.0123 left at an average cost of 60 000 USDC (the memory core's fills).
    expect(pnl).toMatch(/qty\s+0\.012300/);
    expect(pnl).toMatch(/avg cost\s+60,000\.00 USDC/);
  });

  it('/balance: each coin to the step of its pair with its cost asset, as /pnl writes it; stablecoins as money', async () => {
    const balance = texts(await h.say(OWNER, '/balance'));
    const pnl = texts(await h.say(OWNER, '/pnl'));
    // BTCUSDC step 0.000001, ETHUSDC step 0.00001 (0.6 total, 0.1 locked), PEPEUSDT step 1.
    expect(balance).toMatch(/BTC\s+0\.012300\s/);
    expect(pnl, 'the same holding in /pnl').toMatch(/qty\s+0\.012300\n/);
    expect(balance).toMatch(/ETH\s+0\.60000\s+0\.10000\s/);
    expect(balance).toMatch(/PEPE\s+1,000,000\s/);
    expect(balance).toMatch(/USDT\s+480\.50\s/);
  });

  it('falls back to magnitude rules for a symbol the exchange does not list', async () => {
    core.symbols = new Map();
    insertFill('PEPEUSDT', 'PEPE', 'USDT', 'SELL', '0.0000123', '1500000');
    const trades = texts(await h.say(OWNER, '/trades'));
    expect(trades).toMatch(/sell 1,500,000 PEPEUSDT @ 0\.0000123\b/);
    expect(trades).toMatch(/sell 0\.005 BTCUSDC @ 60,500\.00/);
    const balance = texts(await h.say(OWNER, '/balance'));
    expect(balance, '/balance by magnitude').toMatch(/BTC\s+0\.0123\s/);
    expect(balance).toMatch(/ETH\s+0\.6\s+0\.1\s/);
  });
});
