/**
 * Model numbers to MEXC wire strings. Internal to the simulator.
 *
 * Prices are integer tick counts and are printed exactly (the integer with the decimal point
 * inserted), with the symbol's price decimals as MEXC prints them. Volumes come from the float
 * model and are cut down to an integer number of units first. This keeps the all-symbol
 * tickers free of per-field Decimal objects while every string stays an exact, exponent-free
 * decimal.
 */
import { Decimal } from '../../domain/money.js';
import type { SymbolSpec } from './universe.js';

/** `units` × 10^-decimals as a plain decimal string, exactly (units must be a safe integer). */
export function scaledText(units: number, decimals: number): string {
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const text = decimals > 0 ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return units < 0 ? `-${text}` : text;
}

/** A float amount from the model, rounded down to `decimals`. */
function floorText(amount: number, decimals: number): string {
  const value = Number.isFinite(amount) && amount > 0 ? amount : 0;
  const units = Math.floor(value * 10 ** decimals);
  if (Number.isSafeInteger(units)) return scaledText(units, decimals);
  return new Decimal(value).toFixed(decimals, Decimal.ROUND_DOWN);
}

/** A price in ticks with the symbol's price decimals. */
export function priceText(spec: SymbolSpec, ticks: number): string {
  return scaledText(ticks, spec.pricePrecision);
}

/** A base quantity given in steps (integer units of 10^-qtyPrecision). */
export function stepsText(spec: SymbolSpec, steps: number): string {
  return scaledText(steps, spec.qtyPrecision);
}

/** A base quantity from the model (volumes), rounded down to the step. */
export function qtyText(spec: SymbolSpec, qty: number): string {
  return floorText(qty, spec.qtyPrecision);
}

/** A quote amount from the model (volumes), with the price decimals but at most 8. */
export function quoteText(spec: SymbolSpec, amount: number): string {
  return floorText(amount, Math.min(8, Math.max(2, spec.pricePrecision)));
}
