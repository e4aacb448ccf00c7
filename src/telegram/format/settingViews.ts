/**
 * Formats the settings history (`/history`) and the confirm screen of a setting change (a typed
 * value, a what-if's proposal, an undo) as HTML.
 */
import type { ProposeSettingResult } from '../../app/appViews.js';
import type { SettingVersion } from '../../persistence/SettingsRepository.js';
import { formatDuration, formatTime } from '../../domain/format.js';
import { b, code, escapeHtml, i } from './html.js';

/**
 * `/history [key]`: one line per version, newest first — its number, when (in the report time zone),
 * the setting, old → new, who, and which version an undo restored.
 */
export function formatHistory(
  versions: readonly SettingVersion[],
  key: string | undefined,
  now: number,
  timeZone: string,
): string {
  const title = key ? `History of ${key}` : 'Settings history';
  if (versions.length === 0) {
    return `${b(title)}\nNo changes recorded yet${key ? ` for ${code(key)}` : ''}.`;
  }
  const lines = versions.map((v) => {
    const when = formatTime(v.at, now, timeZone);
    const undo = v.revertsId === undefined ? '' : ` · ↩ undo of #${v.revertsId}`;
    return `${b(`#${v.id}`)} ${escapeHtml(when)} ${key ? '' : `${escapeHtml(v.key)} `}${code(v.oldValue ?? 'default')} → ${code(v.newValue)} ${i(`by ${v.actor}${undo}`)}`;
  });
  return `${b(title)} (newest first, times in ${escapeHtml(timeZone)})\n${lines.join('\n')}`;
}

/** The confirm screen of a proposed setting change: what changes, old → new, and until when. */
export function formatSettingProposal(p: Extract<ProposeSettingResult, { ok: true }>, now: number): string {
  const head =
    p.revertsId === undefined ? `Change ${b(p.key)}?` : `↩ Undo #${p.revertsId}: change ${b(p.key)} back?`;
  const ttl = formatDuration(p.confirmation.expiresAt - now, { roundUp: true });
  return `${head}\n${code(p.old)} → ${code(p.new)}\n${i(`Save within ${ttl}; nothing changes until you do.`)}`;
}
