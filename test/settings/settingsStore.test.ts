import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/money.js';
import { SETTINGS, SETTING_KEYS } from '../../src/settings/definitions.js';
import type { SettingDef } from '../../src/settings/settingTypes.js';
import { SettingsStore } from '../../src/settings/SettingsStore.js';
import { ManualClock } from '../../src/common/clock.js';
import { testDb } from '../helpers/testDb.js';

function store() {
  const db = testDb();
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 12));
  return { db, clock, settings: new SettingsStore(db, clock) };
}

describe('settings registry', () => {
  it.each(SETTING_KEYS)('%s: the default passes its own schema and round-trips', (key) => {
    const def = SETTINGS[key] as SettingDef<unknown>;
    const text = def.format(def.default);
    const parsed = def.schema.safeParse(text);
    expect(parsed.success, `${key} default "${text}"`).toBe(true);
    expect(def.format(parsed.success ? parsed.data : undefined)).toBe(text);
    expect(def.description.length, `${key} has a description`).toBeGreaterThan(5);
    if (def.kind === 'decimal' || def.kind === 'int') {
      expect(def.min, `${key} has a range`).toBeDefined();
      expect(def.max).toBeDefined();
      expect(def.step, `${key} has a step for the +/- buttons`).toBeGreaterThan(0);
    }
  });

  it('uses the documented defaults for the named parameters', () => {
    const { settings } = store();
    expect(settings.get('reserve.usdc').toFixed()).toBe('50');
    expect(settings.get('reserve.usdt').toFixed()).toBe('5');
    expect(settings.get('take-profit.minProfitPct').toFixed()).toBe('3');
    expect(settings.get('scanner.orderUsdt').toFixed()).toBe('10');
    expect(settings.get('accumulate.intervalSec')).toBe(60);
    expect(settings.get('scanner.cron')).toBe('*/15 * * * *');
    expect(settings.get('paused')).toBe(false);
    expect(settings.get('exclusions')).toEqual([]);
  });
});

describe('SettingsStore', () => {
  it('writes a valid value, reads it live and records who, when, old and new', () => {
    const { settings, clock } = store();
    const result = settings.set('take-profit.minProfitPct', '4.5', 'tg:42');
    expect(result).toEqual({
      ok: true,
      key: 'take-profit.minProfitPct',
      old: '3',
      new: '4.5',
      changed: true,
      version: 1,
    });
    expect(settings.get('take-profit.minProfitPct').equals(dec('4.5'))).toBe(true);
    expect(settings.history('take-profit.minProfitPct')).toEqual([
      {
        id: 1,
        key: 'take-profit.minProfitPct',
        oldValue: '3',
        newValue: '4.5',
        actor: 'tg:42',
        at: clock.now(),
      },
    ]);
  });

  it('survives a restart: a new store on the same database sees the value', () => {
    const { db, clock, settings } = store();
    settings.set('reserve.usdc', '75', 'tg:1');
    expect(new SettingsStore(db, clock).get('reserve.usdc').toFixed()).toBe('75');
  });

  it.each([
    ['take-profit.minProfitPct', 'abc', /expected a number/],
    ['take-profit.minProfitPct', '-1', /must be within 0.1…1000 %/],
    ['reserve.usdc', '1e3', /expected a number/],
    ['accumulate.intervalSec', '1.5', /whole number/],
    ['accumulate.intervalSec', '5', /10…86400/],
    ['accumulate.mode', 'yolo', /auto, confirm, notify/],
    ['paused', 'maybe', /on or off/],
    ['scanner.cron', 'every minute', /cron expression/],
    ['scanner.cron', '*/61 * * * *', /step 61 in the minute field is larger than the field \(0–59\)/],
    ['exclusions', 'PEPE-USDT', /symbols such as/],
    ['notify.quietHours', '25-7', /hours such as 23-07/],
  ])('refuses %s = %s with a clear message and changes nothing', (key, value, message) => {
    const { settings } = store();
    const before = settings.getText(key as never);
    const result = settings.set(key, value, 'tg:1');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      expect(result.error.startsWith(key), 'the message names the setting').toBe(true);
    }
    expect(settings.getText(key as never)).toBe(before);
    expect(settings.history()).toEqual([]);
  });

  it('refuses an unknown key and suggests neighbours', () => {
    const { settings } = store();
    const result = settings.set('take-profit.minProfit', '3', 'tg:1');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/unknown setting.*take-profit.minProfitPct/);
  });

  it('normalises values: booleans, symbols lists, enums', () => {
    const { settings } = store();
    settings.set('paused', 'ON', 'tg:1');
    expect(settings.get('paused')).toBe(true);
    settings.set('exclusions', 'pepeusdt, DOGEUSDT pepeusdt', 'tg:1');
    expect(settings.get('exclusions')).toEqual(['DOGEUSDT', 'PEPEUSDT']);
    settings.set('scanner.mode', 'Confirm', 'tg:1');
    expect(settings.get('scanner.mode')).toBe('confirm');
  });

  it('lists by prefix in declaration order and notifies listeners on change', () => {
    const { settings } = store();
    const seen: string[] = [];
    settings.onChange((c) => seen.push(`${c.key}:${c.oldValue}->${c.newValue}`));
    settings.set('scanner.minScore', '70', 'tg:1');
    expect(seen).toEqual(['scanner.minScore:60->70']);
    const keys = settings.list('scanner.').map((v) => v.key);
    expect(keys[0]).toBe('scanner.enabled');
    expect(settings.list('scanner.minScore')[0]).toMatchObject({ value: '70', isDefault: false });
  });

  it('does not record a write that changes nothing twice', () => {
    const { settings } = store();
    settings.set('reserve.usdt', '7', 'tg:1');
    settings.set('reserve.usdt', '7.0', 'tg:1');
    expect(settings.history('reserve.usdt')).toHaveLength(1);
  });
});
