/**
 * MEXC push decoding: bytes written field by field with MEXC's published field numbers (not
 * through the project's declarations) decode to the right values, every declared body survives
 * an encode/decode round trip, and the mapper turns pushes into Decimal updates or skips a
 * malformed one with a reason.
 */
import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import {
  decodePush,
  encodePush,
  type PbPushWrapper,
} from '../../../../src/exchange/mexc/stream/mexcProto.js';
import {
  mapBalance,
  mapBookTicker,
  mapDeal,
  mapKline,
  mapOrder,
} from '../../../../src/exchange/mexc/stream/mexcStreamMapper.js';

const LEN = 2; // wire type: length-delimited
const VARINT = 0;

/** Writes a string field. */
function str(w: protobuf.Writer, field: number, value: string): protobuf.Writer {
  return w.uint32((field << 3) | LEN).string(value);
}

/** Wraps `body` as field `field` of a PushDataV3ApiWrapper with a channel, symbol and send time. */
function wrapper(
  channel: string,
  symbol: string,
  sendTime: number,
  field: number,
  body: Uint8Array,
): Uint8Array {
  const w = protobuf.Writer.create();
  str(w, 1, channel);
  w.uint32((field << 3) | LEN).bytes(body);
  str(w, 3, symbol);
  w.uint32((6 << 3) | VARINT).int64(sendTime);
  return w.finish();
}

describe('MEXC push decoding', () => {
  it('reads an aggregated book ticker written with MEXC field numbers (body 315)', () => {
    const body = protobuf.Writer.create();
    str(body, 1, '64000.10');
    str(body, 2, '0.5');
    str(body, 3, '64000.20');
    str(body, 4, '1.25');
    str(body, 5, '987654');
    const bytes = wrapper(
      'spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT',
      'BTCUSDT',
      1767225600123,
      315,
      body.finish(),
    );

    const mapped = mapBookTicker(decodePush(bytes));
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value.symbol).toBe('BTCUSDT');
    expect(mapped.value.bidPrice.toFixed()).toBe('64000.1');
    expect(mapped.value.bidQty.toFixed()).toBe('0.5');
    expect(mapped.value.askPrice.toFixed()).toBe('64000.2');
    expect(mapped.value.askQty.toFixed()).toBe('1.25');
    expect(mapped.value.timeMs).toBe(1767225600123);
  });

  it('reads a private deal written with MEXC field numbers (body 306), int64 time included', () => {
    const body = protobuf.Writer.create();
    str(body, 1, '0.123');
    str(body, 2, '10');
    str(body, 3, '1.23');
    body.uint32((4 << 3) | VARINT).int32(2);
    body.uint32((5 << 3) | VARINT).bool(true);
    str(body, 7, 'trade-77');
    str(body, 8, 'ap-123');
    str(body, 9, 'C02__1');
    str(body, 10, '0.000615');
    str(body, 11, 'USDT');
    body.uint32((12 << 3) | VARINT).int64(1767225600999);
    const bytes = wrapper('spot@private.deals.v3.api.pb', 'XYZUSDT', 1767225601000, 306, body.finish());

    const mapped = mapDeal(decodePush(bytes));
    expect(mapped).toMatchObject({
      ok: true,
      value: {
        symbol: 'XYZUSDT',
        tradeId: 'trade-77',
        orderId: 'C02__1',
        clientOrderId: 'ap-123',
        side: 'SELL',
        isMaker: true,
        commissionAsset: 'USDT',
        timeMs: 1767225600999,
      },
    });
    if (mapped.ok) expect(mapped.value.commission.toFixed()).toBe('0.000615');
  });

  it('round-trips kline, order and account bodies through the declarations and maps them', () => {
    const kline: PbPushWrapper = {
      channel: 'spot@public.kline.v3.api.pb@ETHUSDC@Min5',
      symbol: 'ETHUSDC',
      sendTime: 1767225600500,
      publicSpotKline: {
        interval: 'Min5',
        windowStart: 1767225600,
        windowEnd: 1767225900,
        openingPrice: '3000.5',
        closingPrice: '3001',
        highestPrice: '3002',
        lowestPrice: '2999.25',
        volume: '12.5',
        amount: '37512.5',
      },
    };
    const k = mapKline(decodePush(encodePush(kline)));
    expect(k.ok && k.value.interval).toBe('5m');
    expect(k.ok && k.value.openTime).toBe(1767225600000);
    expect(k.ok && k.value.closeTimeMs).toBe(1767225900000);
    expect(k.ok && k.value.quoteVolume).toBe(37512.5);
    expect(k.ok && k.value.low).toBe(2999.25);

    const order: PbPushWrapper = {
      channel: 'spot@private.orders.v3.api.pb',
      symbol: 'ETHUSDC',
      sendTime: 1767225600600,
      privateOrders: {
        id: 'C02__9',
        clientId: 'ap-9',
        price: '3000',
        quantity: '0.5',
        amount: '1500',
        avgPrice: '3000',
        orderType: 3,
        tradeType: 1,
        isMaker: false,
        remainAmount: '600',
        remainQuantity: '0.2',
        cumulativeQuantity: '0.3',
        cumulativeAmount: '900',
        status: 5,
        createTime: 1767225600000,
      },
    };
    const o = mapOrder(decodePush(encodePush(order)));
    expect(o).toMatchObject({
      ok: true,
      value: { orderId: 'C02__9', clientOrderId: 'ap-9', side: 'BUY', type: 'IMMEDIATE_OR_CANCEL' },
    });
    expect(o.ok && o.value.status).toBe('PARTIALLY_CANCELED');
    expect(o.ok && o.value.executedQuantity.toFixed()).toBe('0.3');

    const account: PbPushWrapper = {
      channel: 'spot@private.account.v3.api.pb',
      sendTime: 1767225600700,
      privateAccount: {
        vcoinName: 'USDC',
        coinId: 'x',
        balanceAmount: '100.5',
        balanceAmountChange: '-900',
        frozenAmount: '0',
        frozenAmountChange: '0',
        type: 'ENTRUST',
        time: 1767225600700,
      },
    };
    const b = mapBalance(decodePush(encodePush(account)));
    expect(b.ok && [b.value.asset, b.value.free.toFixed(), b.value.locked.toFixed()]).toEqual([
      'USDC',
      '100.5',
      '0',
    ]);
  });

  it('maps a malformed push to a problem instead of an update, and refuses bytes that are not a push', () => {
    const bad = mapBookTicker(
      decodePush(
        encodePush({
          channel: 'spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT',
          symbol: 'BTCUSDT',
          sendTime: 1,
          publicAggreBookTicker: { bidPrice: 'abc', bidQuantity: '1', askPrice: '2', askQuantity: '1' },
        }),
      ),
    );
    expect(bad).toEqual({ ok: false, problem: 'bidPrice is not a decimal: "abc"' });

    const badCandle = mapKline(
      decodePush(
        encodePush({
          channel: 'spot@public.kline.v3.api.pb@BTCUSDT@Min15',
          symbol: 'BTCUSDT',
          publicSpotKline: {
            interval: 'Min15',
            windowStart: 1767225600,
            windowEnd: 1767226500,
            openingPrice: '1',
            closingPrice: '1e',
            highestPrice: '1',
            lowestPrice: '1',
            volume: '',
            amount: '1',
          },
        }),
      ),
    );
    expect(badCandle).toEqual({ ok: false, problem: 'closingPrice is not a number: "1e"' });

    const stop = mapOrder(
      decodePush(
        encodePush({
          channel: 'spot@private.orders.v3.api.pb',
          symbol: 'BTCUSDT',
          privateOrders: {
            ...({} as NonNullable<PbPushWrapper['privateOrders']>),
            orderType: 100,
            tradeType: 1,
            status: 1,
          },
        }),
      ),
    );
    expect(stop).toEqual({ ok: false, problem: 'unknown orderType 100' });

    expect(() => decodePush(new Uint8Array([0x0a, 0xff, 0xff]))).toThrow();
  });
});
