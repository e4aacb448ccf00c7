/**
 * All six strategies together on the simulator for a simulated week of paper trading: the clock
 * moves one minute at a time, every due job runs at each step, and the safety rules are checked
 * after every step (see {@link WeekInvariants} for exactly what is checked).
 *
 * Tuning (why each setting differs from its default):
 * - accumulate and take-profit run every 5 min, alt-profit every 10 min and the scanner every
 *   30 min instead of every 1 / 1 / 2 / 15 min: a week of the defaults costs minutes of wall time,
 *   and the strategies' own cooldowns (30 min and more) make the extra runs no-ops anyway;
 * - the scanner analyses the 12 most traded symbols (of a 40-altcoin market) and buys from a
 *   score of 50: the seeded market rarely shows three full buy signals at once;
 * - take-profit takes profit from 1.5 % (BTC and ETH move a few percent in a week; at 3 % the
 *   week may end without one sale, and with it core-balance's redeploy);
 * - paper balances of 600 USDC and 300 USDT instead of 1000 / 500, so accumulate spends USDC down
 *   to the reserve within the week and the reserve rule is exercised, not just assumed.
 * Scripted: the owner pauses everything for an hour on the second day (no order may appear then).
 * No prices are pinned: every trade comes from the seeded market.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Decimal, sumDec, ZERO } from '../../src/domain/money.js';
import { STRATEGY_IDS } from '../../src/domain/strategy.js';
import { DAY, HOUR, MINUTE, startRuntimeHarness, type RuntimeHarness } from '../helpers/runtimeHarness.js';
import { WeekInvariants } from '../helpers/weekInvariants.js';

const WEEK_SETTINGS = {
  'accumulate.intervalSec': '300',
  'take-profit.intervalSec': '300',
  'take-profit.minProfitPct': '1.5',
  'alt-profit.intervalSec': '600',
  'scanner.cron': '*/30 * * * *',
  'scanner.maxCandidates': '12',
  'scanner.minScore': '50',
};

const PAPER_BALANCES = 'USDC=600,USDT=300';

/** When (after the start) the owner pauses every strategy for an hour. */
const PAUSE_AT = DAY + 12 * HOUR;
const pause: { from?: number; to?: number } = {};

let h: RuntimeHarness;
let invariants: WeekInvariants;
let startValue = ZERO;
const wallStart = Date.now();

beforeAll(async () => {
  h = await startRuntimeHarness({ altcoins: 40, paperBalances: PAPER_BALANCES, settings: WEEK_SETTINGS });
  invariants = new WeekInvariants(h, await h.runtime.exchange.getRules());
  startValue = (await h.runtime.portfolio.snapshot()).valuation.totals.totalUsdc;
  const start = h.now();
  await h.advance(7 * DAY, {
    stepMs: MINUTE,
    onStep: (_ran, now) => {
      invariants.step();
      // The owner pauses everything for an hour on the second day, then resumes.
      if (pause.from === undefined && now >= start + PAUSE_AT) {
        h.set('paused', 'on');
        pause.from = now;
      } else if (pause.from !== undefined && pause.to === undefined && now >= pause.from + HOUR) {
        h.set('paused', 'off');
        pause.to = now;
      }
    },
  });
  await h.reconcile();
  invariants.finish();
}, 600_000);

afterAll(async () => {
  await h?.stop();
});

describe('a simulated week with all six strategies', () => {
  it('keeps every safety rule at every step', () => {
    // Rate-limit waits move the clock a few seconds now and then: a step or two fewer than minutes.
    expect(invariants.counts.steps, 'one check per minute of the week').toBeGreaterThan(7 * 24 * 60 - 10);
    expect(invariants.violations, invariants.violations.slice(0, 10).join('\n')).toEqual([]);
    expect(invariants.counts.acceptedOrdersChecked, 'orders were checked').toBeGreaterThan(0);
    expect(invariants.counts.profitSellsChecked, 'profit-taking sells were checked').toBeGreaterThan(0);
    expect(invariants.counts.costFloorsChecked, 'floors re-derived from the fills').toBeGreaterThan(0);
  });

  it('trades in each of the six strategies', () => {
    for (const id of STRATEGY_IDS) {
      expect(h.fills({ origin: id }).length, `${id} filled at least once`).toBeGreaterThan(0);
    }
  });

  it('runs without job errors, and never overlaps two runs of one job', () => {
    const errors = h.runtime.db
      .prepare<[], { job: string; error: string }>("SELECT job, error FROM job_runs WHERE outcome = 'error'")
      .all();
    expect(errors, JSON.stringify(errors.slice(0, 5))).toEqual([]);
    const runs = h.runtime.db
      .prepare<[], { job: string; started_at: number; ended_at: number }>(
        'SELECT job, started_at, ended_at FROM job_runs ORDER BY job, id',
      )
      .all();
    const overlaps = runs.filter(
      (r, i) => i > 0 && runs[i - 1]!.job === r.job && r.started_at < runs[i - 1]!.ended_at,
    );
    expect(overlaps).toEqual([]);
  });

  it('places no strategy order during the hour the owner paused everything', () => {
    expect(pause.to, 'the pause happened').toBeDefined();
    const during = h
      .orders()
      .filter((o) => o.origin !== 'manual' && o.createdAt > pause.from! && o.createdAt < pause.to!);
    expect(during.map((o) => `${o.origin} ${o.symbol}`)).toEqual([]);
    const after = h.orders().filter((o) => o.createdAt > pause.to!);
    expect(after.length, 'trading resumed').toBeGreaterThan(0);
  });

  it('keeps accumulate within its daily cap', () => {
    const cap = h.runtime.settings.get('accumulate.maxDailyUsdc');
    const byDay = new Map<number, Decimal>();
    for (const f of h.fills({ origin: 'accumulate' })) {
      const day = Math.floor(f.time / DAY);
      byDay.set(day, (byDay.get(day) ?? ZERO).plus(f.quoteQty));
    }
    for (const [day, spent] of byDay)
      expect(
        spent.lessThanOrEqualTo(cap),
        `day ${new Date(day * DAY).toISOString().slice(0, 10)}: ${spent.toFixed()} USDC`,
      ).toBe(true);
  });

  it('prints the week', async () => {
    const value = (await h.runtime.portfolio.snapshot()).valuation;
    const lines = [`simulated week: ${((Date.now() - wallStart) / 1000).toFixed(1)} s wall`];
    lines.push('strategy        orders  filled  fills  quote traded');
    for (const id of STRATEGY_IDS) {
      const orders = h.orders({ origin: id });
      const fills = h.fills({ origin: id });
      lines.push(
        `${id.padEnd(15)} ${String(orders.length).padStart(6)}  ${String(orders.filter((o) => o.executedQty.greaterThan(0)).length).padStart(6)}  ${String(fills.length).padStart(5)}  ${sumDec(
          fills.map((f) => f.quoteQty),
        )
          .toFixed(2)
          .padStart(12)}`,
      );
    }
    const refusals = new Map<string, number>();
    for (const r of h.refusals()) refusals.set(String(r.code), (refusals.get(String(r.code)) ?? 0) + 1);
    const kinds = new Map<string, number>();
    for (const o of h.orders()) {
      const market = /^(BTC|ETH|USDC)/.test(o.symbol) ? o.symbol : 'altcoins';
      const key = `${o.origin} ${o.side} ${market} ${o.status}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    lines.push(`orders by kind: ${[...kinds].map(([k, n]) => `${n}× ${k}`).join(', ')}`);
    lines.push(`executor refusals by code: ${JSON.stringify(Object.fromEntries(refusals))}`);
    const rejected = new Map<string, number>();
    for (const r of invariants.exchangeRejections()) rejected.set(r.code, (rejected.get(r.code) ?? 0) + 1);
    lines.push(`exchange rejections by code: ${JSON.stringify(Object.fromEntries(rejected))}`);
    lines.push(`invariant checks: ${JSON.stringify(invariants.counts)}`);
    lines.push(
      `closest to the reserves after a bot order: ${[...invariants.reserveMargin].map(([a, m]) => `${a} ${m.toFixed(2)} above`).join(', ')}`,
    );
    lines.push(
      `portfolio: ${startValue.toFixed(2)} → ${value.totals.totalUsdc.toFixed(2)} USDC (core ${value.totals.coreUsdc.toFixed(2)}, alts ${value.totals.altsUsdc.toFixed(2)})`,
    );
    console.log(lines.join('\n'));
    expect(value.totals.totalUsdc.greaterThan(0)).toBe(true);
  });
});
