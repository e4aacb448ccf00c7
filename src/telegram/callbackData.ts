/**
 * Callback data shared by the bot and the notifier (Telegram allows 64 bytes). Settings menu
 * buttons are encoded by @grammyjs/menu with short indexes (see menus/settingGroups.ts).
 */
import type { PageCursor } from '../app/appViews.js';

/** Confirm / Skip of a confirmation: `c:y:<id>` / `c:n:<id>` (ids are short and callback-safe). */
export function confirmationButtons(id: string): { text: string; callback_data: string }[] {
  return [
    { text: '✅ Confirm', callback_data: `c:y:${id}` },
    { text: '⏭ Skip', callback_data: `c:n:${id}` },
  ];
}

/**
 * The buttons of a setting change's confirm screen: Save and Cancel answer the confirmation
 * through the one confirmation service (`c:y:<id>` / `c:n:<id>`, like every confirmation), What if?
 * replays it first (`wi:<id>`, open to viewers too).
 */
export function settingConfirmButtons(confirmationId: string): { text: string; callback_data: string }[] {
  return [
    { text: '✅ Save', callback_data: `c:y:${confirmationId}` },
    { text: '🔮 What if?', callback_data: `wi:${confirmationId}` },
    { text: '✖ Cancel', callback_data: `c:n:${confirmationId}` },
  ];
}

/** The −/+ buttons of a confirm screen, moving the proposed value by one step: `sa:<id>:d|u`. */
export function settingStepButtons(
  confirmationId: string,
  step: string,
): { text: string; callback_data: string }[] {
  return [
    { text: `− ${step}`, callback_data: `sa:${confirmationId}:d` },
    { text: `+ ${step}`, callback_data: `sa:${confirmationId}:u` },
  ];
}

/** Matches a confirm screen's −/+ button: the confirmation id and `d` (down) or `u` (up). */
export const SETTING_STEP_DATA = /^sa:([A-Za-z0-9_-]{1,16}):([du])$/;

/** The paged lists: `t` = /trades, `o` = /orders. */
export type PagedList = 't' | 'o';

/** Where a page button leads: the rows after, before or from the key of a row. */
export type PageButtonCursor = Exclude<PageCursor, { readonly kind: 'first' }>;

const CURSOR_CODES = { after: 'a', before: 'b', from: 'f' } as const;

/**
 * Callback data of a page button, `pg:<list>:<a|b|f>:<at>:<id>:<size>`: the page is addressed by
 * the key of a row, so it shows the same rows when new ones arrive. Viewers may page.
 */
export function pageData(list: PagedList, cursor: PageButtonCursor, size: number): string {
  return `pg:${list}:${CURSOR_CODES[cursor.kind]}:${cursor.key.at}:${cursor.key.id}:${size}`;
}

/** Matches the callback data of every page button (see {@link pageData}). */
export const PAGE_DATA = /^pg:([to]):([abf]):(\d{1,15}):(\d{1,15}):(\d{1,2})$/;

/** The list, cursor and page size of a page button's data; undefined when it is not one. */
export function parsePageData(
  data: string,
): { readonly list: PagedList; readonly cursor: PageButtonCursor; readonly size: number } | undefined {
  const m = PAGE_DATA.exec(data);
  if (!m) return undefined;
  const kind = m[2] === 'a' ? 'after' : m[2] === 'b' ? 'before' : 'from';
  return {
    list: m[1] as PagedList,
    cursor: { kind, key: { at: Number(m[3]), id: Number(m[4]) } },
    size: Number(m[5]),
  };
}
