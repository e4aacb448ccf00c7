/**
 * Per-symbol state of the simulated market: the price model, the candle rings, the bar of the
 * current minute, a pinned book and tradability. Internal to the simulator.
 */
import type { RangeSummary } from './BarRing.js';
import { BarRing } from './BarRing.js';
import { BAR_SIZE, PriceModel } from './PriceModel.js';
import type { ScriptedEvent, SymbolSpec } from './universe.js';

/** One minute, the simulator's price step. */
export const MINUTE_MS = 60_000;
/** The largest tick count a price may reach (the Int32 range the candle rings store). */
export const MAX_TICKS = 2_147_483_647;

/** Ring capacities: enough for 500 rows of every interval MEXC serves (see klines.ts). */
export const RING_LAYOUT = [
  { key: 'm1', intervalMs: MINUTE_MS, capacity: 1500 },
  { key: 'm5', intervalMs: 5 * MINUTE_MS, capacity: 1500 },
  { key: 'm30', intervalMs: 30 * MINUTE_MS, capacity: 1010 },
  { key: 'h4', intervalMs: 240 * MINUTE_MS, capacity: 600 },
  { key: 'd1', intervalMs: 1440 * MINUTE_MS, capacity: 600 },
] as const;
/** Names one of a symbol's candle rings. */
export type RingKey = (typeof RING_LAYOUT)[number]['key'];

/** The live state of one simulated symbol: price model, candle rings, current bar and tradability. */
export interface SymbolRuntime {
  readonly spec: SymbolSpec;
  /** Copies of hot spec fields (spec objects have several shapes; see PriceModel). */
  readonly listedAt: number;
  readonly tickFloat: number;
  readonly model: PriceModel;
  readonly rings: Readonly<Record<RingKey, BarRing>>;
  /** The same rings, finest first (hot loops avoid Object.values allocations). */
  readonly ringList: readonly BarRing[];
  /** The current minute's bar in fractional ticks (BAR_* offsets of PriceModel). */
  readonly pending: Float64Array;
  /** Pinned during the current minute: the pending bar is revealed in full rather than interpolated. */
  frozen: boolean;
  /** Scripted events as absolute minute indices, ascending; `nextEvent` points at the next one. */
  readonly events: readonly { minute: number; event: ScriptedEvent }[];
  nextEvent: number;
  pin: { bid: number; ask: number } | undefined;
  apiTradable: boolean;
  /** Has resting orders: the matcher is told about each completed minute. */
  watched: boolean;
  tickerCache: { minute: number; summary: RangeSummary | undefined };
}

/**
 * Runtimes for every symbol. All rings share one ArrayBuffer (see BarRing's constructor).
 */
export function createRuntimes(
  specs: readonly SymbolSpec[],
  opts: { seed: number; startMinute: number },
): SymbolRuntime[] {
  const { seed, startMinute } = opts;
  const perSymbolBytes = RING_LAYOUT.reduce((sum, r) => sum + BarRing.bytesFor(r.capacity), 0);
  const buffer = new ArrayBuffer(perSymbolBytes * specs.length);
  return specs.map((spec) => {
    let byteOffset = spec.index * perSymbolBytes;
    const ringList = RING_LAYOUT.map((r) => {
      const ring = new BarRing({ intervalMs: r.intervalMs, capacity: r.capacity, buffer, byteOffset });
      byteOffset += BarRing.bytesFor(r.capacity);
      return ring;
    });
    const rings = Object.fromEntries(RING_LAYOUT.map((r, i) => [r.key, ringList[i]])) as Record<
      RingKey,
      BarRing
    >;
    return {
      spec,
      listedAt: spec.listedAt,
      tickFloat: spec.tickFloat,
      model: new PriceModel(spec, seed),
      rings,
      ringList,
      pending: new Float64Array(BAR_SIZE),
      frozen: false,
      events: spec.events
        .map((event) => ({ minute: startMinute - event.minutesBeforeStart, event }))
        .sort((a, b) => a.minute - b.minute),
      nextEvent: 0,
      pin: undefined,
      apiTradable: spec.inDefaultSymbols,
      watched: false,
      tickerCache: { minute: -1, summary: undefined },
    };
  });
}

/** Rounds fractional ticks to a valid Int32 tick count (at least 1). */
export function clampTicks(ticks: number): number {
  return Math.min(MAX_TICKS, Math.max(1, Math.round(ticks)));
}
