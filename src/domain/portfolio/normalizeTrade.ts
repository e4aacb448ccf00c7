/**
 * Turns one raw account trade, in any of the shapes the exchange (and older code) produced, into
 * a {@link Fill} with decimal money fields. A bad row is refused with a reason
 * naming the field, never thrown: the caller logs a warning and goes on with the other rows.
 */
import { z } from 'zod';
import { OrderSide, type Fill } from '../market.js';
import { parseDecimal, ZERO, type Decimal } from '../money.js';

/** A parsed fill, or the reason the raw trade row was refused. */
export type NormalizeTradeResult =
  { readonly ok: true; readonly fill: Fill } | { readonly ok: false; readonly reason: string };

/**
 * Field names each value may arrive under, first match wins. REST `myTrades` uses the long
 * names; the JSON private-deals stream used one-letter names (`p`, `v`, `a`, `n`, `N`, `S`, `T`,
 * `t`, `i`, `c`, `m`); older stored rows used snake case (`quote_qty`).
 */
const ALIASES = {
  symbol: ['symbol', 's'],
  tradeId: ['id', 'tradeId', 'trade_id', 't'],
  orderId: ['orderId', 'order_id', 'i'],
  clientOrderId: ['clientOrderId', 'client_order_id', 'c'],
  price: ['price', 'p'],
  qty: ['qty', 'q', 'quantity', 'v'],
  quoteQty: ['quoteQty', 'quote_qty', 'quoteQuantity', 'amount', 'a'],
  commission: ['commission', 'fee', 'feeAmount', 'n'],
  commissionAsset: ['commissionAsset', 'commission_asset', 'feeAsset', 'feeCurrency', 'N'],
  time: ['time', 'timestamp', 'T'],
  isMaker: ['isMaker', 'is_maker', 'm'],
  isBuyer: ['isBuyer', 'is_buyer'],
  side: ['side', 'tradeType', 'S'],
} as const;

type FieldName = keyof typeof ALIASES;

// Milliseconds before 2001-09-09 are almost surely seconds: refusing beats dating a trade to 1970.
const MIN_TIME_MS = 1_000_000_000_000;

/** A value as the owner should read it in a warning (JSON would print NaN as null). */
function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

const decimalText = z
  // NaN and ±Infinity pass the union so the transform can name them "not a decimal".
  .union([z.string(), z.number(), z.nan()], { error: 'expected a decimal string or number' })
  .transform((value, ctx): Decimal => {
    const parsed = parseDecimal(value);
    if (parsed === undefined || !parsed.isFinite()) {
      ctx.addIssue({ code: 'custom', message: `not a decimal: ${show(value)}` });
      return z.NEVER;
    }
    return parsed;
  });

const positiveDecimal = decimalText.refine((d) => d.greaterThan(0), {
  error: 'must be above zero',
});
const nonNegativeDecimal = decimalText.refine((d) => !d.isNegative(), {
  error: 'must not be negative',
});

const identifier = z
  .union([z.string(), z.number()], { error: 'expected a string or integer id' })
  .transform((value, ctx): string => {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      ctx.addIssue({ code: 'custom', message: `numeric id ${value} is not an exact integer` });
      return z.NEVER;
    }
    const text = String(value).trim();
    if (text === '') {
      ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      return z.NEVER;
    }
    return text;
  });

const assetName = z.string({ error: 'expected a string' }).trim().min(1, { error: 'must not be empty' });

const timeMs = z
  .union([z.number(), z.string().regex(/^\d+$/, { error: 'expected integer milliseconds' })], {
    error: 'expected Unix milliseconds',
  })
  .transform(Number)
  .refine((t) => Number.isSafeInteger(t) && t >= MIN_TIME_MS, {
    error: 'expected Unix milliseconds (an integer after 2001)',
  });

const flag = z.union([z.boolean(), z.literal(0), z.literal(1), z.enum(['true', 'false', '0', '1'])], {
  error: 'expected true/false',
});

const sideValue = z.union(
  [
    z
      .string()
      .transform((s) => s.trim().toUpperCase())
      .pipe(z.enum(['BUY', 'SELL'])),
    z.literal(1).transform(() => 'BUY' as const),
    z.literal(2).transform(() => 'SELL' as const),
  ],
  { error: 'expected BUY or SELL (or 1 / 2)' },
);

function toBool(value: z.infer<typeof flag>): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** The first alias present with a non-null value, and the name it was found under. */
function pick(raw: Record<string, unknown>, field: FieldName): { key: string; value: unknown } | undefined {
  for (const key of ALIASES[field]) {
    const value = raw[key];
    if (value !== undefined && value !== null) return { key, value };
  }
  return undefined;
}

class Refusal {
  constructor(readonly reason: string) {}
}

function expected(field: FieldName): string {
  return ALIASES[field].map((k) => `\`${k}\``).join(' or ');
}

/** Parses a required field, or throws a Refusal naming the field and what would be valid. */
function required<T>(raw: Record<string, unknown>, field: FieldName, schema: z.ZodType<T>): T {
  const found = pick(raw, field);
  if (found === undefined) throw new Refusal(`${field}: missing (expected ${expected(field)})`);
  return parseAs(found, field, schema);
}

function optional<T>(raw: Record<string, unknown>, field: FieldName, schema: z.ZodType<T>): T | undefined {
  const found = pick(raw, field);
  return found === undefined ? undefined : parseAs(found, field, schema);
}

function parseAs<T>(found: { key: string; value: unknown }, field: FieldName, schema: z.ZodType<T>): T {
  const result = schema.safeParse(found.value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'invalid';
  const label = found.key === field ? field : `${field} (\`${found.key}\`)`;
  throw new Refusal(`${label}: ${message}, got ${show(found.value)}`);
}

function resolveSide(raw: Record<string, unknown>): OrderSide {
  const isBuyer = optional(raw, 'isBuyer', flag);
  const side = optional(raw, 'side', sideValue);
  const fromFlag = isBuyer === undefined ? undefined : toBool(isBuyer) ? OrderSide.Buy : OrderSide.Sell;
  if (fromFlag !== undefined && side !== undefined && fromFlag !== side) {
    throw new Refusal(`side: isBuyer says ${fromFlag} but side says ${side}`);
  }
  const resolved = side ?? fromFlag;
  if (resolved === undefined) {
    throw new Refusal(`side: missing (expected ${expected('isBuyer')} or ${expected('side')})`);
  }
  return resolved;
}

function resolveFee(raw: Record<string, unknown>): { commission: Decimal; commissionAsset: string } {
  const commission = optional(raw, 'commission', nonNegativeDecimal);
  const commissionAsset = optional(raw, 'commissionAsset', assetName);
  if (commission === undefined) {
    // A row with neither fee field is fee-free; an asset without an amount is a broken row.
    if (commissionAsset !== undefined) {
      throw new Refusal(`commission: missing while commissionAsset is ${commissionAsset}`);
    }
    return { commission: ZERO, commissionAsset: '' };
  }
  if (commissionAsset === undefined && !commission.isZero()) {
    throw new Refusal(
      `commissionAsset: missing for a fee of ${commission.toFixed()} (expected ${expected('commissionAsset')})`,
    );
  }
  return { commission, commissionAsset: commissionAsset ?? '' };
}

/**
 * Normalises one raw trade into a {@link Fill}.
 *
 * Accepted shapes: `price`/`p`, `qty`/`q`/`quantity`/`v`, `quoteQty`/`quote_qty`/`amount`/`a`,
 * each a string or number; the side from `isBuyer` or `side` (`BUY`/`SELL`, or 1/2); fees from
 * `commission` + `commissionAsset`; the time from `time`/`timestamp` in milliseconds. A missing
 * `quoteQty` is derived exactly as price × qty; a row with no fee fields at all is fee-free.
 * Price, quantity and quote quantity must be positive decimals; anything else is refused with a
 * reason naming the field.
 *
 * @example
 * normalizeTrade({ symbol: 'BTCUSDC', id: '7', orderId: '9', p: '60000', q: '0.1',
 *   quote_qty: '6000', commission: '0', commissionAsset: 'USDC', isBuyer: true, time: 1767225600000 })
 * // → { ok: true, fill: { side: 'BUY', price: 60000, qty: 0.1, … } }
 */
export function normalizeTrade(raw: unknown): NormalizeTradeResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: `trade: expected an object, got ${raw === null ? 'null' : typeof raw}` };
  }
  const row = raw as Record<string, unknown>;
  try {
    const symbol = required(row, 'symbol', assetName);
    const tradeId = required(row, 'tradeId', identifier);
    const orderId = required(row, 'orderId', identifier);
    const clientOrderId = optional(row, 'clientOrderId', z.union([z.string(), z.number()]).transform(String));
    const price = required(row, 'price', positiveDecimal);
    const qty = required(row, 'qty', positiveDecimal);
    const quoteQty = optional(row, 'quoteQty', positiveDecimal) ?? price.times(qty);
    const side = resolveSide(row);
    const { commission, commissionAsset } = resolveFee(row);
    const time = required(row, 'time', timeMs);
    const isMaker = optional(row, 'isMaker', flag);
    const trimmedClientId = clientOrderId?.trim();
    const fill: Fill = {
      symbol,
      tradeId,
      orderId,
      ...(trimmedClientId ? { clientOrderId: trimmedClientId } : {}),
      side,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      time,
      isMaker: isMaker === undefined ? false : toBool(isMaker),
    };
    return { ok: true, fill };
  } catch (error) {
    if (error instanceof Refusal) {
      const where =
        typeof row.symbol === 'string' ? ` (${row.symbol} ${String(row.id ?? row.tradeId ?? '?')})` : '';
      return { ok: false, reason: `${error.reason}${where}` };
    }
    // A bug here must not take the whole sync down: report it like any bad row.
    return { ok: false, reason: `trade: could not be read (${String(error)})` };
  }
}
