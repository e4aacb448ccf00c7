/**
 * Conversation state in SQLite (`conv_state`), so a settings dialogue survives a restart. The
 * plugin versions the state; the row is deleted when the dialogue ends.
 */
import type { ConversationData, VersionedStateStorage } from '@grammyjs/conversations';
import { ConversationStateRepository } from '../persistence/ConversationStateRepository.js';
import type { Db } from '../persistence/db.js';

type Stored = Parameters<VersionedStateStorage<string, ConversationData>['write']>[1];

/** The conversations plugin's storage over `conv_state`. */
export function sqliteConversationStorage(db: Db): VersionedStateStorage<string, ConversationData> {
  const rows = new ConversationStateRepository(db);
  return {
    read(key) {
      const value = rows.read(key);
      if (value === undefined) return undefined;
      try {
        return JSON.parse(value) as Stored;
      } catch {
        // A corrupt row would block the chat forever; dropping it only ends the dialogue.
        rows.delete(key);
        return undefined;
      }
    },
    write(key, state) {
      rows.write(key, JSON.stringify(state));
    },
    delete(key) {
      rows.delete(key);
    },
  };
}
