/**
 * Callback data shared by the bot and the notifier (Telegram allows 64 bytes). Settings menu
 * buttons are encoded by @grammyjs/menu with short indexes (see menus/settingGroups.ts).
 */

/** Confirm / Skip of a confirmation: `c:y:<ref>` / `c:n:<ref>`. */
export function confirmationButtons(ref: string): { text: string; callback_data: string }[] {
  return [
    { text: '✅ Confirm', callback_data: `c:y:${ref}` },
    { text: '⏭ Skip', callback_data: `c:n:${ref}` },
  ];
}

/** The short reference of a confirmation: its id when short and plain, else `#<row number>`. */
export function confirmationRef(id: string, seq: number): string {
  return Buffer.byteLength(id) <= 56 && /^[A-Za-z0-9_-]+$/.test(id) ? id : `#${seq}`;
}
