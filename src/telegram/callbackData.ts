/**
 * Callback data shared by the bot and the notifier (Telegram allows 64 bytes). Settings menu
 * buttons are encoded by @grammyjs/menu with short indexes (see menus/settingGroups.ts).
 */

/** Confirm / Skip of a confirmation: `c:y:<id>` / `c:n:<id>` (ids are short and callback-safe). */
export function confirmationButtons(id: string): { text: string; callback_data: string }[] {
  return [
    { text: '✅ Confirm', callback_data: `c:y:${id}` },
    { text: '⏭ Skip', callback_data: `c:n:${id}` },
  ];
}

/** The what-if button of a setting change's confirm screen: `wi:<confirmation id>`. */
export function whatIfButton(confirmationId: string): { text: string; callback_data: string } {
  return { text: '🔮 What if?', callback_data: `wi:${confirmationId}` };
}
