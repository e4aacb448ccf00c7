/**
 * MEXC wire envelopes and errors as the simulator sends them. Internal to the simulator.
 *
 * Error bodies are `{code, msg}` with HTTP 400 unless noted. Codes
 * marked UNCONFIRMED are this simulator's choice where no real capture settles the question.
 */

/** A reply to one HTTP request. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error the simulator answers with; thrown by handlers and turned into a {@link Reply}. */
export class SimApiError extends Error {
  readonly httpStatus: number;
  readonly code: number;

  constructor(opts: { httpStatus?: number; code: number; msg: string }) {
    super(opts.msg);
    this.name = 'SimApiError';
    this.httpStatus = opts.httpStatus ?? 400;
    this.code = opts.code;
  }

  toReply(): Reply {
    return { status: this.httpStatus, body: { code: this.code, msg: this.message } };
  }
}

const err = (code: number, msg: string, httpStatus = 400) => new SimApiError({ code, msg, httpStatus });

/** Every error the simulator produces, by situation. */
export const SimErrors = {
  apiKeyRequired: () => err(400, 'api key required'),
  apiKeyInvalid: () => err(700001, 'Api key info invalid'),
  badSignature: () => err(700002, 'Signature for this request is not valid.'),
  outsideRecvWindow: () => err(700003, 'Timestamp for this request is outside of the recvWindow.'),
  needOrderRef: () =>
    err(700004, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"),
  recvWindowTooLarge: () => err(700005, 'recvWindow must less than 60000'),
  invalidSymbol: () => err(-1121, 'Invalid symbol.'),
  invalidInterval: () => err(-1121, 'Invalid interval.'),
  /** UNCONFIRMED: the code MEXC uses for a missing or malformed parameter. */
  parameter: (detail: string) => err(33333, `Parameter error: ${detail}`),
  notApiTradable: () => err(10007, 'symbol not support api'),
  suspended: () => err(30000, 'Trading is suspended for the requested symbol'),
  sideNotAllowed: () => err(30001, 'Current trading type (bid or ask) is not allowed'),
  marketNotAllowed: () => err(30051, 'The currency not allow market order'),
  /** UNCONFIRMED message; code per the docs table (too many decimals). */
  tooManyDecimals: (field: string, max: number) =>
    err(10096, `${field} decimal places is too long, max ${max}`),
  notPositive: (field: string) => err(10102, `${field} cannot be lower than or equal to 0`),
  belowMinimum: (what: string) => err(30002, `Minimum transaction volume cannot be less than: ${what}`),
  aboveMaximum: (what: string) => err(30003, `Maximum transaction volume cannot be more than: ${what}`),
  priceBand: () => err(30087, 'Order price exceeds the allowed range'),
  /** UNCONFIRMED: code and text of a LIMIT_MAKER order that would take (Binance's -2010 wording). */
  wouldTake: () => err(-2010, 'Order would immediately match and take.'),
  /** UNCONFIRMED: 30004 ("insufficient position") chosen for any insufficient balance. */
  insufficientBalance: () => err(30004, 'Insufficient position'),
  /** UNCONFIRMED: a reused newClientOrderId is refused as a parameter error. */
  duplicateClientOrderId: () => err(33333, 'Parameter error: newClientOrderId already exists'),
  orderNotFound: () => err(-2013, 'Order does not exist.'),
  unknownOrder: () => err(-2011, 'Unknown order sent.'),
  notFound: () => err(404, 'Not Found', 404),
  internal: () => err(500, 'Internal error', 500),
} as const;

/** The `{code, data, msg, timestamp}` envelope of defaultSymbols, selfSymbols and tradeFee. */
export function envelope(data: unknown, timestamp: number): Reply {
  return { status: 200, body: { code: 0, data, msg: 'success', timestamp } };
}

/** A 200 reply with this body. */
export function ok(body: unknown): Reply {
  return { status: 200, body };
}
