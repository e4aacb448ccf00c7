-- Outbox delivery details: the keyboard a message carries, its parse mode, when a sender
-- claimed it and the Telegram message id once sent; error dedupe keeps the last message for the
-- "repeated N times" notice; small notifier state (daily report date).
ALTER TABLE outbox ADD COLUMN reply_markup TEXT;
ALTER TABLE outbox ADD COLUMN parse_mode TEXT DEFAULT 'HTML';
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
ALTER TABLE outbox ADD COLUMN message_id INTEGER;
CREATE INDEX outbox_chat_queue ON outbox (chat_id, status, id);

ALTER TABLE error_dedupe ADD COLUMN last_message TEXT;
ALTER TABLE error_dedupe ADD COLUMN critical INTEGER NOT NULL DEFAULT 0;

CREATE TABLE notify_state (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);
