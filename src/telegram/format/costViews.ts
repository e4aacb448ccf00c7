/** Texts of /cost: the holdings the trade history cannot explain, and the result of setting a cost. */
import type { CostBasisResult, UnexplainedHoldingView } from '../../app/appViews.js';
import { b, code, escapeHtml, i } from './html.js';
import { formatPrice, formatQty } from '../../domain/format.js';

/** Callback data of the "set its cost" button of a holding: `cb:<ASSET>`. */
export const COST_PREFIX = 'cb:';

/** The example the owner can copy: typed as it is typed, so in `<code>` and not a formatted number. */
const EXAMPLE = code('/cost BTC 61000');

/** "✅ BTC cost set to 61,000.00 USDC per unit, for the 0.02 BTC … (was 60,500.00 USDC, price at first sight)". */
export function formatCostResult(r: Extract<CostBasisResult, { ok: true }>): string {
  const was = r.previous
    ? ` (was ${formatPrice(r.previous.price)} ${r.previous.costAsset}, ${r.previous.source === 'owner' ? 'set by the owner' : 'price at first sight'})`
    : '';
  const qty = r.qty.greaterThan(0)
    ? `, for the ${formatQty(r.qty)} ${r.asset} the trade history cannot explain`
    : '';
  return `✅ ${b(r.asset)} cost set to ${b(`${formatPrice(r.price)} ${r.costAsset}`)} per unit${escapeHtml(qty)}${escapeHtml(was)}. /pnl shows it as set by the owner.`;
}

/** One line per holding the history cannot explain, or a note that there is none. */
export function formatUnexplained(list: readonly UnexplainedHoldingView[]): string {
  if (list.length === 0)
    return `${b('Cost basis')}\nThe trade history explains every holding.\n${i('Usage: /cost <ASSET> <price per unit>, e.g.')} ${EXAMPLE}`;
  const lines = list.map((h) =>
    escapeHtml(
      h.source === 'owner'
        ? `${h.asset} ${formatQty(h.qty)}: cost set by the owner`
        : `${h.asset} ${formatQty(h.qty)} has no recorded cost (the price at first sight is used); set it?`,
    ),
  );
  return `${b('Cost basis')}\n${lines.join('\n')}\n${i('Tap a button, or: /cost <ASSET> <price per unit>, e.g.')} ${EXAMPLE}`;
}
