/**
 * Query-parameter parsing for the simulator's endpoints, validated with zod and mapped to the
 * MEXC error a real server would answer with. Internal to the simulator.
 */
import { z } from 'zod';
import { type Decimal, dec } from '../../domain/money.js';
import type { Market, SymbolRuntime } from './Market.js';
import { SimErrors } from './wire.js';

const INTEGER = z.string().regex(/^-?\d{1,16}$/, 'an integer');
const DECIMAL = z.string().regex(/^\d+(\.\d+)?$/, 'a plain decimal such as "0.0125"');
const CLIENT_ORDER_ID = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, "_" or "-", at most 32');

/** An optional integer parameter; a malformed value is a parameter error naming the field. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const parsed = INTEGER.safeParse(raw);
  if (!parsed.success) throw SimErrors.parameter(`${name} must be an integer, got "${raw}"`);
  return Number(parsed.data);
}

/** An optional positive decimal with at most `maxDecimals` decimals (MEXC: 10096 / 10102). */
export function decimalParam(
  params: URLSearchParams,
  name: string,
  maxDecimals: number,
): Decimal | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const parsed = DECIMAL.safeParse(raw);
  if (!parsed.success) throw SimErrors.parameter(`${name} must be a plain decimal, got "${raw}"`);
  const value = dec(parsed.data);
  if (value.isZero()) throw SimErrors.notPositive(name);
  if (value.decimalPlaces() > maxDecimals) throw SimErrors.tooManyDecimals(name, maxDecimals);
  return value;
}

/** The symbol named by `symbol`, which must exist (-1121 otherwise). */
export function symbolParam(market: Market, params: URLSearchParams): SymbolRuntime {
  const rt = market.runtime(params.get('symbol') ?? '');
  if (!rt) throw SimErrors.invalidSymbol();
  return rt;
}

/** `newClientOrderId`, if sent and well formed. */
export function clientOrderIdParam(params: URLSearchParams): string | undefined {
  const raw = params.get('newClientOrderId');
  if (raw === null || raw === '') return undefined;
  const parsed = CLIENT_ORDER_ID.safeParse(raw);
  if (!parsed.success)
    throw SimErrors.parameter(`newClientOrderId must be ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
