/**
 * The safety rules (docs/safety-rules.md) checked from the outside of a running bot (orders, fills, paper
 * account and audit tables), step by step, for long simulator runs. Each check records violations rather than
 * throwing, so a run reports every broken rule with its numbers at once.
 *
 * What is checked, precisely:
 * - reserves: after every step in which the bot created an order spending USDC (or USDT) —
 *   a buy quoted in it, or a sale of it — the account's free + locked balance of that asset, minus
 *   the unfilled notional of the bot's open buys quoted in it, is at least its reserve.
 * - exchange rules: every order the paper exchange accepted has a price on the symbol's tick,
 *   a quantity on its step and at least its minimum, and a notional at least the minimum; no bot
 *   order was rejected by the exchange for a rules reason.
 * - in-profit: every SELL of take-profit, alt-profit, split-balance and core-balance (USDCUSDT
 *   conversions aside) carries a minSellPrice unless the owner allowed a loss, is priced and
 *   filled at or above it, and that floor is at least the average cost from the fills recorded
 *   before the order plus the exit fee.
 * - idempotency: client ids unique in the bot's orders and on the paper exchange; every paper
 *   order is one bot order; every paper fill is recorded once in the ledger; no order executed
 *   more than its quantity; each order's fills add up to its executed quantity, announced once.
 * - one actor per asset: at every step, the bot's live orders on one base asset belong to one
 *   origin, and no origin has two live orders on the same symbol and side. Live: not final in the
 *   bot's table and not final on the exchange either (resting there, or not yet confirmed by it).
 *   The legitimate exception this leaves out is an order the exchange already settled and the
 *   tracker has not seen yet (a take-profit sell that filled on arrival is NEW in the bot's table
 *   until the next tracking run): it can no longer act on the asset.
 */
import { type Decimal, dec, ONE, sumDec, ZERO } from '../../src/domain/money.js';
import type { SymbolRules } from '../../src/domain/market.js';
import { costAssetOf, makeToCostAsset } from '../../src/domain/portfolio/conversion.js';
import { positionsFromFills } from '../../src/domain/portfolio/positions.js';
import type { OrderRecord } from '../../src/persistence/OrderRepository.js';
import type { RuntimeHarness } from './runtimeHarness.js';

const PROFIT_TAKERS = new Set(['take-profit', 'alt-profit', 'split-balance', 'core-balance']);
const RESERVED = ['USDC', 'USDT'] as const;
/** MEXC codes the exchange answers a rules problem with (decimals, minimums, side, type, price band). */
const RULES_CODES = ['10096', '10102', '30001', '30002', '30003', '30041', '30087', '700008'];

export interface InvariantCounts {
  steps: number;
  reserveChecks: number;
  acceptedOrdersChecked: number;
  profitSellsChecked: number;
  /** Of those, sells whose floor was re-derived from the fills recorded before them. */
  costFloorsChecked: number;
  actorChecks: number;
}

export class WeekInvariants {
  readonly violations: string[] = [];
  readonly counts: InvariantCounts = {
    steps: 0,
    reserveChecks: 0,
    acceptedOrdersChecked: 0,
    profitSellsChecked: 0,
    costFloorsChecked: 0,
    actorChecks: 0,
  };
  readonly #h: RuntimeHarness;
  readonly #rules: ReadonlyMap<string, SymbolRules>;
  #lastOrderId = 0;
  #lastPaperRow = 0;
  readonly #sellsToCheck = new Map<string, OrderRecord>();
  /** The smallest margin over the reserve seen after a bot order, per asset (how close it came). */
  readonly reserveMargin = new Map<string, Decimal>();

  constructor(h: RuntimeHarness, rules: ReadonlyMap<string, SymbolRules>) {
    this.#h = h;
    this.#rules = rules;
  }

  #fail(message: string): void {
    // A broken rule would otherwise repeat every step; the first hundred tell the story.
    if (this.violations.length < 100)
      this.violations.push(`${new Date(this.#h.now()).toISOString()} ${message}`);
  }

  /** Runs every per-step check. Cheap when nothing happened. */
  step(): void {
    this.counts.steps += 1;
    const created = this.#h.orders({ afterId: this.#lastOrderId });
    if (created.length > 0) this.#lastOrderId = created.at(-1)!.id;
    const open = this.#h.runtime.core.orders.listNonFinal();
    this.#checkReserves(created, open);
    this.#checkAccepted();
    for (const o of created) {
      if (o.side === 'SELL' && PROFIT_TAKERS.has(o.origin) && o.symbol !== 'USDCUSDT')
        this.#sellsToCheck.set(o.clientOrderId, o);
    }
    this.#checkProfitSells();
    this.#checkOneActor(open);
  }

  #checkReserves(created: readonly OrderRecord[], open: readonly OrderRecord[]): void {
    const spent = new Set<string>();
    for (const o of created) {
      if (o.origin === 'manual' || o.status === 'REJECTED') continue;
      if (o.side === 'BUY') spent.add(o.quoteAsset);
      else spent.add(o.baseAsset);
    }
    for (const asset of RESERVED) {
      if (!spent.has(asset)) continue;
      this.counts.reserveChecks += 1;
      const { free, locked } = this.#h.balance(asset);
      const openBuys = sumDec(
        open
          .filter((o) => o.side === 'BUY' && o.quoteAsset === asset && o.price)
          .map((o) => o.quantity.minus(o.executedQty).times(o.price!)),
      );
      const available = free.plus(locked).minus(openBuys);
      const reserve = this.#h.runtime.settings.get(asset === 'USDC' ? 'reserve.usdc' : 'reserve.usdt');
      const margin = available.minus(reserve);
      const least = this.reserveMargin.get(asset);
      if (least === undefined || margin.lessThan(least)) this.reserveMargin.set(asset, margin);
      if (available.lessThan(reserve)) {
        this.#fail(
          `[reserve] ${asset}: free ${free.toFixed()} + locked ${locked.toFixed()} − open buys ${openBuys.toFixed()} = ${available.toFixed()} < reserve ${reserve.toFixed()} after ${created.map((o) => `${o.origin} ${o.side} ${o.symbol}`).join(', ')}`,
        );
      }
    }
  }

  #checkAccepted(): void {
    const rows = this.#h.runtime.db
      .prepare<
        [number],
        { rowid: number; client_order_id: string; symbol: string; price: string | null; orig_qty: string }
      >(
        'SELECT rowid, client_order_id, symbol, price, orig_qty FROM paper_orders WHERE rowid > ? ORDER BY rowid',
      )
      .all(this.#lastPaperRow);
    for (const row of rows) {
      this.#lastPaperRow = row.rowid;
      this.counts.acceptedOrdersChecked += 1;
      const rules = this.#rules.get(row.symbol);
      if (!rules) {
        this.#fail(`[exchange rules] ${row.client_order_id}: accepted on unknown symbol ${row.symbol}`);
        continue;
      }
      const qty = dec(row.orig_qty);
      if (!qty.mod(rules.stepSize).isZero())
        this.#fail(
          `[exchange rules] ${row.client_order_id}: qty ${qty.toFixed()} off the step ${rules.stepSize.toFixed()}`,
        );
      if (qty.lessThan(rules.minQty))
        this.#fail(`[exchange rules] ${row.client_order_id}: qty ${qty.toFixed()} under minQty`);
      if (row.price === null) continue;
      const price = dec(row.price);
      if (!price.mod(rules.tickSize).isZero())
        this.#fail(
          `[exchange rules] ${row.client_order_id}: price ${price.toFixed()} off the tick ${rules.tickSize.toFixed()}`,
        );
      if (qty.times(price).lessThan(rules.minNotional))
        this.#fail(
          `[exchange rules] ${row.client_order_id}: notional ${qty.times(price).toFixed()} under ${rules.minNotional.toFixed()}`,
        );
    }
  }

  #checkProfitSells(): void {
    for (const [cid, created] of this.#sellsToCheck) {
      const o = this.#h.runtime.core.orders.get(cid) ?? created;
      if (o.finalAt === undefined) continue;
      this.#sellsToCheck.delete(cid);
      if (o.status === 'REJECTED') continue;
      this.counts.profitSellsChecked += 1;
      const label = `[in-profit] ${o.origin} SELL ${o.symbol} ${cid}`;
      if (o.allowLoss) {
        if (o.origin !== 'alt-profit' || this.#h.runtime.settings.get('alt-profit.stopLossPct').isZero())
          this.#fail(`${label}: allows a loss the owner never enabled`);
        continue;
      }
      const floor = o.minSellPrice;
      if (!floor) {
        this.#fail(`${label}: no minSellPrice`);
        continue;
      }
      if (!o.price || o.price.lessThan(floor))
        this.#fail(`${label}: price ${o.price?.toFixed()} < floor ${floor.toFixed()}`);
      const ownFills = this.#h.fills({ symbol: o.symbol }).filter((f) => f.clientOrderId === cid);
      for (const f of ownFills)
        if (f.price.lessThan(floor))
          this.#fail(`${label}: filled at ${f.price.toFixed()} < floor ${floor.toFixed()}`);
      // The floor itself must cover the cost the fills show before this order.
      const before = this.#h.fills().filter((f) => f.time <= o.createdAt && f.clientOrderId !== cid);
      const tops = new Map<string, Decimal>();
      const positions = positionsFromFills(before, {
        costAssetOf,
        toCostAsset: makeToCostAsset({ prices: tops, usdcUsdt: undefined }),
      }).positions;
      const position = positions.get(o.baseAsset);
      const rules = this.#rules.get(o.symbol)!;
      if (position && position.costAsset === o.quoteAsset && position.avgCost.greaterThan(ZERO)) {
        this.counts.costFloorsChecked += 1;
        const costFloor = position.avgCost.div(ONE.minus(rules.takerFee));
        // The strategy's own position may include a fill recorded in the same millisecond.
        if (floor.lessThan(costFloor.times('0.9999')))
          this.#fail(`${label}: floor ${floor.toFixed()} under avg cost + fee ${costFloor.toFixed()}`);
      }
    }
  }

  #checkOneActor(open: readonly OrderRecord[]): void {
    this.counts.actorChecks += 1;
    if (open.length === 0) return;
    const ids = open.map((o) => o.clientOrderId);
    const settled = new Set(
      this.#h.runtime.db
        .prepare<string[], { client_order_id: string }>(
          `SELECT client_order_id FROM paper_orders WHERE status NOT IN ('NEW', 'PARTIALLY_FILLED')
           AND client_order_id IN (${ids.map(() => '?').join(', ')})`,
        )
        .all(...ids)
        .map((r) => r.client_order_id),
    );
    const byAsset = new Map<string, Set<string>>();
    const bySlot = new Map<string, number>();
    for (const o of open) {
      if (o.origin === 'manual' || settled.has(o.clientOrderId)) continue;
      const origins = byAsset.get(o.baseAsset) ?? new Set<string>();
      origins.add(o.origin);
      byAsset.set(o.baseAsset, origins);
      const slot = `${o.origin} ${o.symbol} ${o.side}`;
      bySlot.set(slot, (bySlot.get(slot) ?? 0) + 1);
    }
    for (const [asset, origins] of byAsset)
      if (origins.size > 1) this.#fail(`[one actor] ${asset}: open orders of ${[...origins].join(' and ')}`);
    for (const [slot, n] of bySlot) if (n > 1) this.#fail(`[one actor] ${n} open orders for ${slot}`);
  }

  /** The end-of-run checks (after a final reconciliation): idempotency and the exchange's answers. */
  finish(): void {
    const { db } = this.#h.runtime;
    const orders = this.#h.orders();
    const ids = new Set(orders.map((o) => o.clientOrderId));
    if (ids.size !== orders.length)
      this.#fail(`[idempotency] ${orders.length - ids.size} duplicate client order ids`);
    const paper = this.#h.paperOrders();
    const paperIds = new Set(paper.map((p) => p.clientOrderId));
    if (paperIds.size !== paper.length)
      this.#fail('[idempotency] the paper exchange holds duplicate client order ids');
    for (const p of paper)
      if (!ids.has(p.clientOrderId))
        this.#fail(`[idempotency] paper order ${p.clientOrderId} has no bot order`);

    const ledger = this.#h.fills();
    const ledgerKeys = new Set(ledger.map((f) => `${f.symbol} ${f.tradeId}`));
    if (ledgerKeys.size !== ledger.length) this.#fail('[idempotency] a fill is recorded twice');
    const paperFills = this.#h.paperFills();
    for (const f of paperFills)
      if (!ledgerKeys.has(`${f.symbol} ${f.tradeId}`))
        this.#fail(`[idempotency] paper fill ${f.tradeId} never recorded`);
    if (ledger.length !== paperFills.length)
      this.#fail(`[idempotency] ${ledger.length} recorded fills for ${paperFills.length} paper fills`);

    const announced = new Map<string, Decimal>();
    for (const row of db
      .prepare<[], { data: string }>("SELECT data FROM events WHERE type = 'order.filled'")
      .all()) {
      const e = JSON.parse(row.data) as { order: { clientOrderId: string }; qty: string };
      announced.set(e.order.clientOrderId, (announced.get(e.order.clientOrderId) ?? ZERO).plus(dec(e.qty)));
    }
    const fillQty = new Map<string, Decimal>();
    for (const f of ledger) {
      if (!f.clientOrderId) continue;
      fillQty.set(f.clientOrderId, (fillQty.get(f.clientOrderId) ?? ZERO).plus(f.qty));
    }
    for (const o of orders) {
      if (o.executedQty.greaterThan(o.quantity))
        this.#fail(`[idempotency] ${o.clientOrderId} executed more than its quantity`);
      const filled = fillQty.get(o.clientOrderId) ?? ZERO;
      if (!filled.equals(o.executedQty))
        this.#fail(
          `[idempotency] ${o.clientOrderId}: fills ${filled.toFixed()} ≠ executed ${o.executedQty.toFixed()}`,
        );
      const told = announced.get(o.clientOrderId) ?? ZERO;
      if (!told.equals(o.executedQty))
        this.#fail(
          `[idempotency] ${o.clientOrderId}: announced ${told.toFixed()} ≠ executed ${o.executedQty.toFixed()}`,
        );
    }
    for (const r of this.exchangeRejections())
      if (RULES_CODES.includes(r.code))
        this.#fail(`[exchange rules] the exchange refused ${r.clientOrderId} for its rules: ${r.error}`);
  }

  /** Bot orders the exchange refused, with the MEXC code from the answer. */
  exchangeRejections(): { clientOrderId: string; code: string; error: string }[] {
    return this.#h
      .orders()
      .filter((o) => o.status === 'REJECTED' && o.exchangeOrderId === undefined)
      .map((o) => ({
        clientOrderId: o.clientOrderId,
        code: /MEXC (-?\d+)/.exec(o.error ?? '')?.[1] ?? 'none',
        error: o.error ?? '',
      }));
  }
}
