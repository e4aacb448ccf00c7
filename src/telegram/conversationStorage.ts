/**
 * Conversation state in SQLite (`conv_state`), so a settings dialogue survives a restart. The
 * plugin versions the state; the row is deleted when the dialogue ends.
 */
import type { ConversationData, VersionedStateStorage } from '@grammyjs/conversations';
import type { Db } from '../persistence/db.js';

type Stored = Parameters<VersionedStateStorage<string, ConversationData>['write']>[1];

/** Keeps the state of chat conversations in SQLite, so a restart does not lose a half-entered value. */
export function sqliteConversationStorage(db: Db): VersionedStateStorage<string, ConversationData> {
  const read = db.prepare('SELECT value FROM conv_state WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO conv_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM conv_state WHERE key = ?');
  return {
    read(key) {
      const row = read.get(key) as { value: string } | undefined;
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as Stored;
      } catch {
        // A corrupt row would block the chat forever; dropping it only ends the dialogue.
        remove.run(key);
        return undefined;
      }
    },
    write(key, state) {
      write.run(key, JSON.stringify(state));
    },
    delete(key) {
      remove.run(key);
    },
  };
}
