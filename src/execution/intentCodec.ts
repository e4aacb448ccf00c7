/**
 * Order intents as JSON for `confirmations.payload`: decimals travel as strings and are parsed
 * back with zod, so a stored confirmation executes exactly the order it showed.
 */
import { z } from 'zod';
import { dec, toWire } from '../domain/money.js';
import { OrderType } from '../domain/market.js';
import { STRATEGY_IDS } from '../domain/strategy.js';
import type { OrderIntent } from '../domain/intent.js';

const decimalText = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, { message: 'expected a decimal string' })
  .transform((s) => dec(s));

const intentSchema = z.object({
  kind: z.literal('order'),
  origin: z.enum([...STRATEGY_IDS, 'manual']),
  symbol: z.string().min(2),
  side: z.enum(['BUY', 'SELL']),
  type: z.enum(Object.values(OrderType) as [OrderType, ...OrderType[]]),
  price: decimalText,
  quantity: decimalText.optional(),
  quoteAmount: decimalText.optional(),
  reason: z.string(),
  ttlMs: z.number().int().positive().optional(),
  repriceOnExpiry: z.boolean().optional(),
  minSellPrice: decimalText.optional(),
  allowLoss: z.boolean().optional(),
});

/** Serialises an order intent for a confirmation's payload, decimals as exact strings. */
export function encodeIntent(intent: OrderIntent): string {
  return JSON.stringify({
    ...intent,
    price: toWire(intent.price),
    quantity: intent.quantity && toWire(intent.quantity),
    quoteAmount: intent.quoteAmount && toWire(intent.quoteAmount),
    minSellPrice: intent.minSellPrice && toWire(intent.minSellPrice),
  });
}

/** Parses a stored intent; throws a readable error naming the bad field. */
export function decodeIntent(json: string): OrderIntent {
  const parsed = intentSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `stored intent is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown'}`,
    );
  }
  return parsed.data;
}
