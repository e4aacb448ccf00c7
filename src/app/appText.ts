/** Small text helpers of the use cases: symbol parsing and chat-safe error text. */

/** Symbols as the owner types them for /exclude and /why. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,20}$/;

/** Normalises a typed symbol (`pepeusdt` → `PEPEUSDT`) or explains what is expected. */
export function parseSymbol(text: string): { ok: true; symbol: string } | { ok: false; error: string } {
  const symbol = text.trim().toUpperCase();
  if (!SYMBOL_PATTERN.test(symbol)) {
    return {
      ok: false,
      error: `"${text.trim().slice(0, 30)}" is not a symbol; expected letters and digits such as PEPEUSDT`,
    };
  }
  return { ok: true, symbol };
}

/** A short, secret-free description of an error for chat. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
