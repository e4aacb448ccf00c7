/**
 * The MEXC user stream against the built-in simulator over a real WebSocket and real REST for
 * the listen key: deals, order changes and balances pushed at the moment of the match, the key
 * extended on schedule, and replaced after it expires (by fault or by clock) with the stream
 * live again and still delivering fills.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dec } from '../../../../src/domain/money.js';
import { MexcUserStream } from '../../../../src/exchange/mexc/stream/MexcUserStream.js';
import {
  DEFAULT_STREAM_TIMING,
  type StreamTiming,
} from '../../../../src/exchange/mexc/stream/StreamConnection.js';
import type {
  BalanceUpdate,
  DealUpdate,
  OrderUpdate,
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
const streams: MexcUserStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

interface Received {
  deals: DealUpdate[];
  orders: OrderUpdate[];
  balances: BalanceUpdate[];
  states: StreamState[];
}

function userStream(
  h: SimHarness,
  extendEveryMs?: number,
  timing: StreamTiming = FAST,
): { stream: MexcUserStream; got: Received } {
  const stream = new MexcUserStream({
    url: h.sim.wsUrl,
    listenKeys: h.client,
    clock: h.clock,
    logger: silentLogger(),
    timing,
    extendEveryMs,
  });
  streams.push(stream);
  const got: Received = { deals: [], orders: [], balances: [], states: [] };
  stream.onDeal((u) => got.deals.push(u));
  stream.onOrder((u) => got.orders.push(u));
  stream.onBalance((u) => got.balances.push(u));
  stream.onStatus((s) => got.states.push(s.state));
  return { stream, got };
}

function requests(h: SimHarness, endpoint: string): number {
  return h.sim.stats.snapshot().byEndpoint[endpoint]?.requests ?? 0;
}

async function live(stream: MexcUserStream): Promise<void> {
  await vi.waitFor(() => expect(stream.status().state).toBe('live'));
}

/** A resting buy below the book, then the book pinned through it: a maker fill at the match. */
async function restingBuyFilled(h: SimHarness, clientOrderId: string): Promise<void> {
  await h.client.placeOrder({
    symbol: 'ETHUSDC',
    side: 'BUY',
    type: 'LIMIT',
    quantity: dec('0.01'),
    price: dec('1000'),
    clientOrderId,
  });
  h.sim.market.setBookTop('ETHUSDC', { bid: '999.00', ask: '999.50' });
}

describe('MexcUserStream on the simulator', () => {
  it('creates a listen key, connects, and delivers deal, order and balance pushes at the match', async () => {
    const h = await harness();
    const { stream, got } = userStream(h);
    expect(stream.status().state).toBe('off');
    stream.start();
    await live(stream);
    expect(requests(h, 'POST /api/v3/userDataStream')).toBe(1);
    expect(h.sim.streams.connections()).toEqual([
      {
        user: true,
        channels: [
          'spot@private.deals.v3.api.pb',
          'spot@private.orders.v3.api.pb',
          'spot@private.account.v3.api.pb',
        ],
      },
    ]);

    await restingBuyFilled(h, 'ap-ws-1');
    await vi.waitFor(() => expect(got.deals).toHaveLength(1));
    const deal = got.deals[0];
    const trade = h.sim.account.trades()[0] as Record<string, string>;
    expect(deal).toMatchObject({
      symbol: 'ETHUSDC',
      tradeId: trade.id,
      orderId: trade.orderId,
      clientOrderId: 'ap-ws-1',
      side: 'BUY',
      isMaker: true,
      commissionAsset: 'USDC',
    });
    expect(deal?.price.toFixed()).toBe('1000');
    expect(deal?.quantity.toFixed()).toBe('0.01');
    expect(deal?.quoteQuantity.toFixed()).toBe('10');
    expect(deal?.timeMs).toBe(h.clock.now());

    await vi.waitFor(() => expect(got.orders.map((o) => o.status)).toEqual(['NEW', 'FILLED']));
    expect(got.orders[1]).toMatchObject({ clientOrderId: 'ap-ws-1', type: 'LIMIT', side: 'BUY' });
    expect(got.orders[1]?.executedQuantity.toFixed()).toBe('0.01');
    expect(got.orders[1]?.cumulativeQuote.toFixed()).toBe('10');

    const balances = h.sim.account.balances();
    await vi.waitFor(() => {
      const last = new Map(got.balances.map((b) => [b.asset, b]));
      expect(last.get('ETH')?.free.toFixed()).toBe(dec(balances.ETH?.free ?? 'x').toFixed());
      expect(last.get('USDC')?.free.toFixed()).toBe(dec(balances.USDC?.free ?? 'x').toFixed());
      expect(last.get('USDC')?.locked.toFixed()).toBe('0');
    });
  });

  it('replaces its connection before the 24-hour cut (here 60 s) with the same key: a fill during the switch arrives, the stream stays live', async () => {
    const h = await harness({ sim: { maxStreamConnectionMs: 60_000 } });
    const { stream, got } = userStream(h, undefined, { ...FAST, replaceAfterMs: 50_000, overlapMs: 300 });
    stream.start();
    await live(stream);
    const statesBefore = got.states.length;
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, h.sim.streams.connections().length)), 5);

    h.clock.advance(50_000);
    await vi.waitFor(() => expect(most).toBe(2), { interval: 5 });
    await restingBuyFilled(h, 'ap-roll-1');
    await vi.waitFor(() => expect(h.sim.streams.connections()).toHaveLength(1));
    clearInterval(watch);
    const trades = () => new Set(got.deals.map((d) => d.tradeId));
    await vi.waitFor(() => expect(trades().size).toBe(1));

    // Past the old connection's cut: nothing is cut, fills keep coming on the replacement.
    h.clock.advance(11_000);
    await h.client.placeOrder({
      symbol: 'ETHUSDC',
      side: 'BUY',
      type: 'LIMIT',
      quantity: dec('0.01'),
      price: dec('990'),
      clientOrderId: 'ap-roll-2',
    });
    h.sim.market.setBookTop('ETHUSDC', { bid: '989.00', ask: '989.50' });
    await vi.waitFor(() => expect(trades().size).toBe(2));
    expect(got.states.slice(statesBefore), 'never down, never reconnecting').toEqual([]);
    expect(requests(h, 'POST /api/v3/userDataStream'), 'the same listen key').toBe(1);
  });

  it('extends the listen key on schedule and deletes it on close', async () => {
    const h = await harness();
    const { stream } = userStream(h, 100);
    stream.start();
    await live(stream);
    await vi.waitFor(() => expect(requests(h, 'PUT /api/v3/userDataStream')).toBeGreaterThanOrEqual(2));
    expect(requests(h, 'POST /api/v3/userDataStream'), 'the same key is kept').toBe(1);
    expect(h.sim.streams.listenKeyCount()).toBe(1);

    await stream.close();
    expect(requests(h, 'DELETE /api/v3/userDataStream')).toBe(1);
    expect(h.sim.streams.listenKeyCount()).toBe(0);
    expect(stream.status().state).toBe('off');
  });

  it('replaces an expired listen key (fault) and keeps delivering fills', async () => {
    const h = await harness();
    const { stream, got } = userStream(h);
    stream.start();
    await live(stream);

    h.sim.faults.expireListenKeys();
    await vi.waitFor(() => expect(requests(h, 'POST /api/v3/userDataStream')).toBe(2));
    await live(stream);
    expect(h.sim.streams.listenKeyCount()).toBe(1);

    await restingBuyFilled(h, 'ap-ws-2');
    await vi.waitFor(() => expect(got.deals.map((d) => d.clientOrderId)).toEqual(['ap-ws-2']));
  });

  it('replaces a key that expired by time: the stream is closed, a new key created, fills keep coming', async () => {
    const h = await harness();
    const { stream, got } = userStream(h, 61 * 60_000);
    stream.start();
    await live(stream);

    // An hour passes without an extension: the simulator expires the key and closes its stream.
    h.clock.advance(61 * 60_000);
    await vi.waitFor(() => expect(requests(h, 'POST /api/v3/userDataStream')).toBe(2));
    await live(stream);
    await restingBuyFilled(h, 'ap-ws-3');
    await vi.waitFor(() => expect(got.deals.map((d) => d.clientOrderId)).toEqual(['ap-ws-3']));
  });

  it('replaces the key when the scheduled extension is refused', async () => {
    const h = await harness();
    const { stream } = userStream(h, 150);
    stream.start();
    await live(stream);
    h.sim.faults.failNext({ method: 'PUT', path: '/api/v3/userDataStream', status: 400, code: -1125 });

    await vi.waitFor(() => expect(requests(h, 'POST /api/v3/userDataStream')).toBe(2));
    await live(stream);
    expect(h.sim.streams.connections().filter((c) => c.user)).toHaveLength(1);
  });

  it('checks the key before reconnecting after a drop, keeping it when it is still valid', async () => {
    const h = await harness();
    const { stream, got } = userStream(h);
    stream.start();
    await live(stream);

    h.sim.faults.dropStreams('user');
    await vi.waitFor(() => expect(got.states).toContain('down'));
    await live(stream);
    expect(requests(h, 'PUT /api/v3/userDataStream'), 'the key was checked by extending it').toBe(1);
    expect(requests(h, 'POST /api/v3/userDataStream'), 'and kept').toBe(1);
  });

  it('reports a silent user stream as quiet, and live again once it answers', async () => {
    const h = await harness();
    const { stream, got } = userStream(h);
    stream.start();
    await live(stream);

    h.sim.faults.silenceStreams('user');
    await vi.waitFor(() => expect(stream.status().state).toBe('quiet'));
    await vi.waitFor(() => expect(got.states).toContain('down'));
    expect(stream.status().state).not.toBe('live');
    h.sim.faults.reset();
    await live(stream);
  });

  it('never reports live on a connection that only carries a refusal', async () => {
    const h = await harness();
    // A key the simulator never issued: the stream refuses it, the client replaces it.
    let first = true;
    const listenKeys = {
      createListenKey: async () => (first ? ((first = false), 'not-a-key') : h.client.createListenKey()),
      extendListenKey: (key: string) => h.client.extendListenKey(key),
      deleteListenKey: (key: string) => h.client.deleteListenKey(key),
    };
    const refused = new MexcUserStream({
      url: h.sim.wsUrl,
      listenKeys,
      clock: h.clock,
      logger: silentLogger(),
      timing: FAST,
    });
    streams.push(refused);
    const states: StreamState[] = [];
    refused.onStatus((s) => states.push(s.state));
    refused.start();
    await live(refused);
    expect(states.indexOf('live'), 'live only once the real key is in use').toBe(states.length - 1);
    expect(requests(h, 'POST /api/v3/userDataStream'), 'the refused key was replaced by a real one').toBe(1);
  });
});
