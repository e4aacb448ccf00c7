/**
 * The MEXC market stream against the built-in simulator over a real WebSocket: subscriptions,
 * decoded pushes (book tickers, klines, mini tickers), more than 30 subscriptions over several connections, reconnect and
 * resubscribe after a drop, quiet detection, and the connection-lifetime cut. Stream timing is
 * shrunk to tens of milliseconds so every case takes well under a second.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MexcMarketStream } from '../../../../src/exchange/mexc/stream/MexcMarketStream.js';
import {
  DEFAULT_STREAM_TIMING,
  type StreamTiming,
} from '../../../../src/exchange/mexc/stream/StreamConnection.js';
import type {
  BookTickerUpdate,
  KlineUpdate,
  MiniTickerUpdate,
  StreamState,
} from '../../../../src/exchange/stream/streamTypes.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { type SimHarness, useSimHarness } from '../../../helpers/simulatorHarness.js';

const FAST: StreamTiming = {
  ...DEFAULT_STREAM_TIMING,
  pingIntervalMs: 40,
  quietAfterMs: 150,
  deadAfterMs: 400,
  backoffBaseMs: 20,
  stableAfterMs: 100,
};

const harness = useSimHarness();
const streams: MexcMarketStream[] = [];
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

function marketStream(h: SimHarness): MexcMarketStream {
  const stream = new MexcMarketStream({
    url: h.sim.wsUrl,
    clock: h.clock,
    logger: silentLogger(),
    timing: FAST,
  });
  streams.push(stream);
  return stream;
}

/** Every state the named stream passes through, in order. */
function stateLog(stream: MexcMarketStream, name: string): StreamState[] {
  const states: StreamState[] = [];
  stream.onStatus((s) => {
    if (s.name === name) states.push(s.state);
  });
  return states;
}

function state(stream: MexcMarketStream, name: string): StreamState | undefined {
  return stream.statuses().find((s) => s.name === name)?.state;
}

describe('MexcMarketStream on the simulator', () => {
  it('subscribes book tickers and klines and delivers decoded Decimal updates', async () => {
    const h = await harness();
    const stream = marketStream(h);
    const tops = new Map<string, BookTickerUpdate>();
    const klines: KlineUpdate[] = [];
    stream.onBookTicker((u) => tops.set(u.symbol, u));
    stream.onKline((u) => klines.push(u));
    expect(stream.statuses().map((s) => s.state)).toEqual(['off', 'off', 'off']);

    stream.setBookTickerSymbols(['BTCUSDC', 'ETHUSDC']);
    stream.setKlineSymbols(['BTCUSDC'], '1m');
    await vi.waitFor(() => expect(tops.size === 2 && klines.length > 0).toBe(true));

    const btc = tops.get('BTCUSDC');
    const expected = h.sim.market.bookTop('BTCUSDC');
    expect(btc?.bidPrice.toFixed()).toBe(expected.bid.replace(/\.?0+$/, ''));
    expect(btc?.askPrice.greaterThan(btc.bidPrice)).toBe(true);
    expect(btc?.timeMs).toBe(h.clock.now());
    const kline = klines[0];
    expect(kline?.interval).toBe('1m');
    expect(kline?.openTime).toBe(Math.floor(h.clock.now() / 60_000) * 60_000);
    expect(kline?.closeTimeMs).toBe((kline?.openTime ?? 0) + 60_000);
    expect(kline!.high).toBeGreaterThanOrEqual(kline!.low);
    expect(stream.statuses().map((s) => s.state)).toEqual(['live', 'live', 'off']);

    // A moved book is pushed; an unchanged one is not pushed again.
    const before = tops.get('BTCUSDC');
    h.sim.market.setBookTop('BTCUSDC', { bid: '50000.00', ask: '50000.50' });
    await vi.waitFor(() => expect(tops.get('BTCUSDC')?.bidPrice.toFixed()).toBe('50000'));
    expect(tops.get('BTCUSDC')).not.toBe(before);
    expect(tops.get('BTCUSDC')?.askPrice.toFixed()).toBe('50000.5');
  });

  it('streams the rolling 24 h volumes of the mini ticker, equal to the REST 24 h ticker', async () => {
    const h = await harness();
    const stream = marketStream(h);
    const minis = new Map<string, MiniTickerUpdate>();
    stream.onMiniTicker((u) => minis.set(u.symbol, u));
    stream.setMiniTickerSymbols(['BTCUSDC', 'ETHUSDT']);
    await vi.waitFor(() => expect(minis.size).toBe(2));
    expect(state(stream, 'miniTicker')).toBe('live');
    expect(h.sim.streams.connections()[0]?.channels).toEqual([
      'spot@public.miniTicker.v3.api.pb@BTCUSDC@UTC+8',
      'spot@public.miniTicker.v3.api.pb@ETHUSDT@UTC+8',
    ]);

    const rest = new Map((await h.client.getTickers24h()).map((t) => [t.symbol, t]));
    for (const symbol of ['BTCUSDC', 'ETHUSDT']) {
      const pushed = minis.get(symbol)!;
      const polled = rest.get(symbol)!;
      expect(pushed.volume.toFixed(), `${symbol} base volume (MEXC's "quantity")`).toBe(
        polled.volume.toFixed(),
      );
      expect(pushed.quoteVolume.toFixed(), `${symbol} quote volume (MEXC's "volume")`).toBe(
        polled.quoteVolume.toFixed(),
      );
      expect(pushed.volume.greaterThan(0)).toBe(true);
      expect(pushed.lastPrice.toFixed()).toBe(polled.lastPrice.toFixed());
      expect(pushed.highPrice.toFixed()).toBe(polled.highPrice.toFixed());
      expect(pushed.timeMs).toBe(h.clock.now());
    }
  });

  it('spreads more than 30 subscriptions over connections and applies list changes as diffs', async () => {
    const h = await harness({ sim: { altcoins: 40 } });
    const usdt = h.sim.market.symbols().filter((s) => s.endsWith('USDT'));
    const symbols = usdt.slice(0, 35);
    expect(symbols).toHaveLength(35);
    const stream = marketStream(h);
    const seen = new Set<string>();
    stream.onBookTicker((u) => seen.add(u.symbol));

    stream.setBookTickerSymbols(symbols);
    await vi.waitFor(() => expect(seen.size).toBe(35));
    expect(stream.layout().bookTicker.map((c) => c.length)).toEqual([30, 5]);
    const server = h.sim.streams
      .connections()
      .map((c) => c.channels.length)
      .sort((a, b) => b - a);
    expect(server, 'the simulator sees two connections within its 30-subscription limit').toEqual([30, 5]);

    // Keep the first 10 and add 3 new ones: the second connection's channels all go, so it
    // closes; the new ones fill the first connection's free places; kept channels never move.
    const next = [...symbols.slice(0, 10), ...usdt.slice(35, 38)];
    expect(next).toHaveLength(13);
    stream.setBookTickerSymbols(next);
    expect(stream.layout().bookTicker.map((c) => c.length)).toEqual([13]);
    await vi.waitFor(() => expect(h.sim.streams.connections().map((c) => c.channels.length)).toEqual([13]));

    // Nothing wanted: no connection, state off.
    stream.setBookTickerSymbols([]);
    expect(stream.layout().bookTicker).toEqual([]);
    expect(state(stream, 'bookTicker')).toBe('off');
    await vi.waitFor(() => expect(h.sim.streams.connections()).toEqual([]));
  });

  it('reconnects and resubscribes after a dropped connection', async () => {
    const h = await harness();
    const stream = marketStream(h);
    const states = stateLog(stream, 'bookTicker');
    const tops = new Map<string, BookTickerUpdate>();
    stream.onBookTicker((u) => tops.set(u.symbol, u));
    stream.setBookTickerSymbols(['BTCUSDC']);
    await vi.waitFor(() => expect(state(stream, 'bookTicker')).toBe('live'));

    h.sim.faults.dropStreams();
    await vi.waitFor(() => expect(states).toContain('down'));
    await vi.waitFor(() => expect(state(stream, 'bookTicker')).toBe('live'));
    expect(h.sim.streams.connections()).toEqual([
      { user: false, channels: ['spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDC'] },
    ]);
    h.sim.market.setBookTop('BTCUSDC', { bid: '41000.00', ask: '41000.10' });
    await vi.waitFor(() => expect(tops.get('BTCUSDC')?.bidPrice.toFixed()).toBe('41000'));
  });

  it('reports a silent connection as quiet within the quiet limit, then reopens it once it answers again', async () => {
    const h = await harness();
    const stream = marketStream(h);
    const states = stateLog(stream, 'bookTicker');
    stream.setBookTickerSymbols(['BTCUSDC']);
    await vi.waitFor(() => expect(state(stream, 'bookTicker')).toBe('live'));

    h.sim.faults.silenceStreams('market');
    const silencedAt = performance.now();
    await vi.waitFor(() => expect(state(stream, 'bookTicker')).toBe('quiet'));
    const detectedMs = performance.now() - silencedAt;
    expect(detectedMs, 'quiet within the quiet limit plus one ping period').toBeLessThan(
      FAST.quietAfterMs + FAST.pingIntervalMs + 400,
    );
    // Still silent after the dead limit: the socket is given up and reopened (and stays not live).
    await vi.waitFor(() => expect(states).toContain('down'));
    expect(state(stream, 'bookTicker')).not.toBe('live');

    h.sim.faults.reset();
    await vi.waitFor(() => expect(state(stream, 'bookTicker')).toBe('live'));
  });

  it('survives the server cutting a connection at its lifetime (MEXC: 24 h) by reconnecting at once', async () => {
    const h = await harness({ sim: { maxStreamConnectionMs: 60_000 } });
    const stream = marketStream(h);
    const states = stateLog(stream, 'kline');
    const klines: KlineUpdate[] = [];
    stream.onKline((u) => klines.push(u));
    stream.setKlineSymbols(['ETHUSDC'], '5m');
    await vi.waitFor(() => expect(klines.length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, FAST.stableAfterMs));

    h.clock.advance(61_000);
    await vi.waitFor(() => expect(states).toContain('down'));
    await vi.waitFor(() => expect(state(stream, 'kline')).toBe('live'));
    const count = klines.length;
    h.clock.advance(5 * 60_000);
    await vi.waitFor(() => expect(klines.length).toBeGreaterThan(count));
    expect(klines.at(-1)?.interval).toBe('5m');
  });

  it('replaces a connection before the 24-hour cut (here 60 s of clock): the replacement takes over with no gap', async () => {
    const h = await harness({ sim: { maxStreamConnectionMs: 60_000 } });
    const stream = new MexcMarketStream({
      url: h.sim.wsUrl,
      clock: h.clock,
      logger: silentLogger(),
      timing: { ...FAST, replaceAfterMs: 50_000, overlapMs: 300 },
    });
    streams.push(stream);
    const states = stateLog(stream, 'bookTicker');
    const bids: string[] = [];
    stream.onBookTicker((u) => bids.push(u.bidPrice.toFixed()));
    stream.setBookTickerSymbols(['BTCUSDC']);
    await vi.waitFor(() => expect(state(stream, 'bookTicker')).toBe('live'));
    await vi.waitFor(() => expect(bids.length).toBeGreaterThan(0));
    const statesBefore = states.length;
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, h.sim.streams.connections().length)), 5);

    // 50 s old: due for replacement, 10 s before the server's cut. Book changes made before,
    // during and after the switch (each held for more than one 100 ms push tick) all arrive.
    h.clock.advance(50_000);
    const set: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const bid = `${41_000 + i}.00`;
      h.sim.market.setBookTop('BTCUSDC', { bid, ask: `${41_000 + i}.10` });
      set.push(String(41_000 + i));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await vi.waitFor(() => expect(h.sim.streams.connections()).toHaveLength(1));
    clearInterval(watch);
    expect(most, 'the replacement opened beside the old connection').toBe(2);
    for (const bid of set) expect(bids, `bid ${bid} delivered`).toContain(bid);

    // The old connection's cut time passes: nothing is cut, the stream never left live.
    h.clock.advance(11_000);
    h.sim.market.setBookTop('BTCUSDC', { bid: '42000.00', ask: '42000.10' });
    await vi.waitFor(() => expect(bids.at(-1)).toBe('42000'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(states.slice(statesBefore), 'never down, never reconnecting').toEqual([]);
    expect(h.sim.streams.connections()).toEqual([
      { user: false, channels: ['spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDC'] },
    ]);
  });

  it('backs off while the server cannot be reached instead of hammering it', async () => {
    const h = await harness();
    const url = h.sim.wsUrl;
    await h.sim.close();
    const stream = new MexcMarketStream({
      url,
      clock: h.clock,
      logger: silentLogger(),
      timing: FAST,
      random: () => 0.5,
    });
    streams.push(stream);
    const states = stateLog(stream, 'bookTicker');
    stream.setBookTickerSymbols(['BTCUSDC']);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const attempts = states.filter((s) => s === 'connecting').length;
    // Delays 0, 20, 40, 80, 160, 320 ms: about six attempts in 700 ms, not hundreds.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(8);
    expect(state(stream, 'bookTicker')).not.toBe('live');
  });

  it('keeps delivering to other listeners when one throws, and skips a channel the server refuses', async () => {
    const h = await harness();
    const stream = marketStream(h);
    stream.onBookTicker(() => {
      throw new Error('faulty consumer');
    });
    const seen = new Set<string>();
    stream.onBookTicker((u) => seen.add(u.symbol));
    stream.setBookTickerSymbols(['BTCUSDC', 'NOSUCHCOIN', 'ETHUSDC']);
    await vi.waitFor(() => expect([...seen].sort()).toEqual(['BTCUSDC', 'ETHUSDC']));
    expect(state(stream, 'bookTicker')).toBe('live');
  });
});
