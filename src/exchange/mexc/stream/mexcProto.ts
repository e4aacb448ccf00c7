/**
 * MEXC's WebSocket push messages, declared for protobufjs reflection: the envelope
 * `PushDataV3ApiWrapper` and the bodies the bot uses (aggregated book ticker, kline, mini ticker, private
 * deals, orders and account). Field names and numbers follow MEXC's published `.proto`
 * definitions (mexcdevelop/websocket-proto); bodies the bot does not use are left out, and
 * protobuf skips unknown fields, so their pushes decode to an envelope without a body.
 *
 * The simulator encodes with the same declarations, so both ends agree by construction and a
 * mistake here shows up against the live exchange only — keep the numbers identical to MEXC's.
 */
import protobuf from 'protobufjs/light.js';

/** `spot@public.aggre.bookTicker.v3.api.pb@…`: best bid and ask. */
export interface PbAggreBookTicker {
  readonly bidPrice: string;
  readonly bidQuantity: string;
  readonly askPrice: string;
  readonly askQuantity: string;
  readonly version?: string;
  readonly lastOrderCreateTime?: number;
}

/** `spot@public.kline.v3.api.pb@…`: the current candle; window times in SECONDS. */
export interface PbSpotKline {
  /** `Min1`, `Min5`, … `Month1`. */
  readonly interval: string;
  readonly windowStart: number;
  readonly openingPrice: string;
  readonly closingPrice: string;
  readonly highestPrice: string;
  readonly lowestPrice: string;
  /** Base volume. */
  readonly volume: string;
  /** Quote volume. */
  readonly amount: string;
  readonly windowEnd: number;
}

/**
 * `spot@public.miniTicker.v3.api.pb@…`: one symbol's rolling 24 h summary, pushed every 3 s.
 * Note MEXC's naming: `volume` is the quote turnover, `quantity` the base volume.
 */
export interface PbMiniTicker {
  readonly symbol: string;
  /** Last price. */
  readonly price: string;
  /** Change since the UTC+8 day's open, as a fraction. */
  readonly rate?: string;
  /** Change since the subscribed time zone's day open, as a fraction. */
  readonly zonedRate?: string;
  /** Rolling 24 h high and low. */
  readonly high: string;
  readonly low: string;
  /** Rolling 24 h quote turnover. */
  readonly volume: string;
  /** Rolling 24 h base volume. */
  readonly quantity: string;
}

/** `spot@private.deals.v3.api.pb`: one fill of the account. */
export interface PbPrivateDeal {
  readonly price: string;
  readonly quantity: string;
  /** Quote amount. */
  readonly amount: string;
  /** 1 buy, 2 sell. */
  readonly tradeType: number;
  readonly isMaker: boolean;
  readonly isSelfTrade?: boolean;
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly orderId: string;
  readonly feeAmount: string;
  readonly feeCurrency: string;
  readonly time: number;
}

/** `spot@private.orders.v3.api.pb`: one order change of the account. */
export interface PbPrivateOrder {
  readonly id: string;
  readonly clientId: string;
  readonly price: string;
  readonly quantity: string;
  /** Quote amount of the order. */
  readonly amount: string;
  readonly avgPrice: string;
  /** 1 LIMIT, 2 LIMIT_MAKER, 3 IOC, 4 FOK, 5 MARKET, 100 stop orders. */
  readonly orderType: number;
  /** 1 buy, 2 sell. */
  readonly tradeType: number;
  readonly isMaker: boolean;
  readonly remainAmount: string;
  readonly remainQuantity: string;
  readonly lastDealQuantity?: string;
  readonly cumulativeQuantity: string;
  readonly cumulativeAmount: string;
  /** 1 NEW, 2 FILLED, 3 PARTIALLY_FILLED, 4 CANCELED, 5 PARTIALLY_CANCELED. */
  readonly status: number;
  readonly createTime: number;
}

/** `spot@private.account.v3.api.pb`: one asset's balance after a change. */
export interface PbPrivateAccount {
  /** The asset, e.g. `USDT`. */
  readonly vcoinName: string;
  readonly coinId: string;
  /** Free amount. */
  readonly balanceAmount: string;
  readonly balanceAmountChange: string;
  /** Locked amount. */
  readonly frozenAmount: string;
  readonly frozenAmountChange: string;
  /** What changed it, e.g. `ENTRUST_PLACE`. */
  readonly type: string;
  readonly time: number;
}

/** The envelope of every push: channel, symbol, times and exactly one body. */
export interface PbPushWrapper {
  readonly channel: string;
  readonly symbol?: string;
  readonly symbolId?: string;
  readonly createTime?: number;
  readonly sendTime?: number;
  readonly publicAggreBookTicker?: PbAggreBookTicker;
  readonly publicSpotKline?: PbSpotKline;
  readonly publicMiniTicker?: PbMiniTicker;
  readonly privateDeals?: PbPrivateDeal;
  readonly privateOrders?: PbPrivateOrder;
  readonly privateAccount?: PbPrivateAccount;
}

const f = (type: string, id: number): { type: string; id: number } => ({ type, id });

const root = protobuf.Root.fromJSON({
  nested: {
    PublicAggreBookTickerV3Api: {
      fields: {
        bidPrice: f('string', 1),
        bidQuantity: f('string', 2),
        askPrice: f('string', 3),
        askQuantity: f('string', 4),
        version: f('string', 5),
        lastOrderCreateTime: f('int64', 6),
      },
    },
    PublicSpotKlineV3Api: {
      fields: {
        interval: f('string', 1),
        windowStart: f('int64', 2),
        openingPrice: f('string', 3),
        closingPrice: f('string', 4),
        highestPrice: f('string', 5),
        lowestPrice: f('string', 6),
        volume: f('string', 7),
        amount: f('string', 8),
        windowEnd: f('int64', 9),
      },
    },
    PublicMiniTickerV3Api: {
      fields: {
        symbol: f('string', 1),
        price: f('string', 2),
        rate: f('string', 3),
        zonedRate: f('string', 4),
        high: f('string', 5),
        low: f('string', 6),
        volume: f('string', 7),
        quantity: f('string', 8),
      },
    },
    PrivateDealsV3Api: {
      fields: {
        price: f('string', 1),
        quantity: f('string', 2),
        amount: f('string', 3),
        tradeType: f('int32', 4),
        isMaker: f('bool', 5),
        isSelfTrade: f('bool', 6),
        tradeId: f('string', 7),
        clientOrderId: f('string', 8),
        orderId: f('string', 9),
        feeAmount: f('string', 10),
        feeCurrency: f('string', 11),
        time: f('int64', 12),
      },
    },
    PrivateOrdersV3Api: {
      fields: {
        id: f('string', 1),
        clientId: f('string', 2),
        price: f('string', 3),
        quantity: f('string', 4),
        amount: f('string', 5),
        avgPrice: f('string', 6),
        orderType: f('int32', 7),
        tradeType: f('int32', 8),
        isMaker: f('bool', 9),
        remainAmount: f('string', 10),
        remainQuantity: f('string', 11),
        lastDealQuantity: f('string', 12),
        cumulativeQuantity: f('string', 13),
        cumulativeAmount: f('string', 14),
        status: f('int32', 15),
        createTime: f('int64', 16),
      },
    },
    PrivateAccountV3Api: {
      fields: {
        vcoinName: f('string', 1),
        coinId: f('string', 2),
        balanceAmount: f('string', 3),
        balanceAmountChange: f('string', 4),
        frozenAmount: f('string', 5),
        frozenAmountChange: f('string', 6),
        type: f('string', 7),
        time: f('int64', 8),
      },
    },
    PushDataV3ApiWrapper: {
      oneofs: {
        body: {
          oneof: [
            'privateOrders',
            'privateDeals',
            'privateAccount',
            'publicSpotKline',
            'publicMiniTicker',
            'publicAggreBookTicker',
          ],
        },
      },
      fields: {
        channel: f('string', 1),
        symbol: f('string', 3),
        symbolId: f('string', 4),
        createTime: f('int64', 5),
        sendTime: f('int64', 6),
        privateOrders: f('PrivateOrdersV3Api', 304),
        privateDeals: f('PrivateDealsV3Api', 306),
        privateAccount: f('PrivateAccountV3Api', 307),
        publicSpotKline: f('PublicSpotKlineV3Api', 308),
        publicMiniTicker: f('PublicMiniTickerV3Api', 309),
        publicAggreBookTicker: f('PublicAggreBookTickerV3Api', 315),
      },
    },
  },
});

const Wrapper = root.lookupType('PushDataV3ApiWrapper');

// protobufjs generates each type's decoder and converters on its first use; done here, at load,
// the cost falls in start-up instead of blocking the event loop at the first pushes of each kind.
for (const nested of root.nestedArray) if (nested instanceof protobuf.Type) nested.setup();

/**
 * Decodes one binary push. Throws on bytes that are not a valid wrapper (the caller skips the
 * frame with a warning). int64 times come back as numbers (milliseconds fit exactly).
 */
export function decodePush(bytes: Uint8Array): PbPushWrapper {
  const message = Wrapper.decode(bytes);
  return Wrapper.toObject(message, { longs: Number, defaults: false }) as PbPushWrapper;
}

/** Encodes one push (the simulator's side of the wire, and test fixtures). Throws on a wrong field type. */
export function encodePush(push: PbPushWrapper): Uint8Array {
  const problem = Wrapper.verify(push);
  if (problem) throw new TypeError(`invalid push: ${problem}`);
  return Wrapper.encode(Wrapper.fromObject(push)).finish();
}
