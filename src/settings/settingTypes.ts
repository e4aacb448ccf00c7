/**
 * Setting kinds: each parses the owner's text (chat, /set) with a zod schema and formats the
 * stored value back. Values are stored as TEXT in SQLite in their canonical string form.
 */
import { cronProblem } from '../common/cron.js';
import { z } from 'zod';
import type { Decimal } from '../domain/money.js';
import { dec, toWire } from '../domain/money.js';

/** One setting's definition: kind, default, parser, formatter, range and description. */
export interface SettingDef<T> {
  readonly key: string;
  readonly kind: 'decimal' | 'int' | 'bool' | 'enum' | 'cron' | 'symbols' | 'text';
  readonly default: T;
  readonly description: string;
  readonly unit?: string;
  /** Inclusive bounds for numbers. */
  readonly min?: number;
  readonly max?: number;
  /** Increment used by the +/− buttons. */
  readonly step?: number;
  readonly options?: readonly string[];
  /** The zod schema that turns the owner's text into a value, with a readable error. */
  readonly schema: z.ZodType<T, string>;
  readonly format: (value: T) => string;
  /** Only the owner may read it in full (none today; kept for secrets that may come). */
  readonly secret?: boolean;
}

interface Common {
  description: string;
  unit?: string;
}

function rangeText(min: number, max: number, unit?: string): string {
  return `${min}…${max}${unit ? ` ${unit}` : ''}`;
}

/** A decimal setting with a range and a step for the −/+ buttons. */
export function decimalSetting(
  key: string,
  def: string,
  o: Common & { min: number; max: number; step: number },
): SettingDef<Decimal> {
  const schema = z
    .string()
    .trim()
    .regex(/^[+-]?(\d+\.?\d*|\.\d+)$/, { message: `expected a number such as ${def}` })
    .transform((s) => dec(s))
    .refine((d) => d.greaterThanOrEqualTo(o.min) && d.lessThanOrEqualTo(o.max), {
      message: `must be within ${rangeText(o.min, o.max, o.unit)}`,
    });
  return { key, kind: 'decimal', default: dec(def), schema, format: toWire, ...o };
}

/** A whole-number setting with a range and a step for the −/+ buttons. */
export function intSetting(
  key: string,
  def: number,
  o: Common & { min: number; max: number; step: number },
): SettingDef<number> {
  const schema = z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/, { message: `expected a whole number such as ${def}` })
    .transform((s) => Number.parseInt(s, 10))
    .refine((n) => n >= o.min && n <= o.max, {
      message: `must be within ${rangeText(o.min, o.max, o.unit)}`,
    });
  return { key, kind: 'int', default: def, schema, format: String, ...o };
}

const TRUE_WORDS = ['true', 'on', 'yes', '1', 'enabled'];
const FALSE_WORDS = ['false', 'off', 'no', '0', 'disabled'];

/** An on/off setting. */
export function boolSetting(key: string, def: boolean, o: Common): SettingDef<boolean> {
  const schema = z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => TRUE_WORDS.includes(s) || FALSE_WORDS.includes(s), { message: 'expected on or off' })
    .transform((s) => TRUE_WORDS.includes(s));
  return { key, kind: 'bool', default: def, schema, format: (v) => (v ? 'on' : 'off'), ...o };
}

/** A setting that takes one of a fixed list of words. */
export function enumSetting<T extends string>(
  key: string,
  def: T,
  options: readonly T[],
  o: Common,
): SettingDef<T> {
  const schema = z
    .string()
    .trim()
    .toLowerCase()
    .refine((s): s is T => (options as readonly string[]).includes(s), {
      message: `expected one of ${options.join(', ')}`,
    })
    .transform((s) => s as T);
  return { key, kind: 'enum', default: def, options, schema, format: String, ...o };
}

/** A cron schedule setting (UTC), validated by `shared/cron.ts` on top of node-cron. */
export function cronSetting(key: string, def: string, o: Common): SettingDef<string> {
  const schema = z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const problem = cronProblem(s);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `${problem}; expected a cron expression such as */15 * * * *`,
        });
    });
  return { key, kind: 'cron', default: def, schema, format: String, ...o };
}

const SYMBOL = /^[A-Z0-9]{2,20}$/;

/** A comma-separated list of symbols such as `PEPEUSDT,DOGEUSDT`; `none` or empty clears it. */
export function symbolsSetting(key: string, o: Common): SettingDef<readonly string[]> {
  const schema = z
    .string()
    .trim()
    .transform((s) =>
      s === '' || s.toLowerCase() === 'none' ? [] : s.split(/[\s,]+/).map((x) => x.toUpperCase()),
    )
    .refine((list) => list.every((x) => SYMBOL.test(x)), {
      message: 'expected symbols such as PEPEUSDT,DOGEUSDT (letters and digits), or none',
    })
    .transform((list) => [...new Set(list)].sort());
  return {
    key,
    kind: 'symbols',
    default: [],
    schema,
    format: (v) => (v.length === 0 ? 'none' : v.join(',')),
    ...o,
  };
}

/** Quiet hours as `HH-HH` in TZ_REPORTS, or `off`. */
export function hoursRangeSetting(key: string, def: string, o: Common): SettingDef<string> {
  const schema = z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => s === 'off' || /^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/.test(s), {
      message: 'expected hours such as 23-07, or off',
    });
  return { key, kind: 'text', default: def, schema, format: String, ...o };
}
