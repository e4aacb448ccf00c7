-- Initial schema. Money columns (prices, quantities, fees, PnL) are TEXT decimal strings.
-- Times are INTEGER Unix milliseconds.

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT NOT NULL
);

CREATE TABLE settings_history (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  key         TEXT NOT NULL,
  old_value   TEXT,
  new_value   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX settings_history_key ON settings_history (key, at);

-- Every order the bot places, written before it is sent.
CREATE TABLE orders (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  client_order_id   TEXT NOT NULL UNIQUE,
  exchange_order_id TEXT,
  origin            TEXT NOT NULL,              -- strategy id or 'manual'
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type              TEXT NOT NULL,
  price             TEXT,
  quantity          TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN
                      ('PENDING', 'NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'PARTIALLY_CANCELED',
                       'UNKNOWN', 'REJECTED', 'LOST')),
  executed_qty      TEXT NOT NULL DEFAULT '0',
  cumm_quote_qty    TEXT NOT NULL DEFAULT '0',
  reason            TEXT NOT NULL DEFAULT '',
  error             TEXT,
  expires_at        INTEGER,                    -- TTL for cancel / re-price
  reprice_on_expiry INTEGER NOT NULL DEFAULT 0,
  not_found_count   INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  sent_at           INTEGER,
  updated_at        INTEGER NOT NULL,
  final_at          INTEGER
);
CREATE INDEX orders_open ON orders (status) WHERE final_at IS NULL;
CREATE INDEX orders_symbol ON orders (symbol, created_at);

-- Account fills, the source of truth for positions. One row per (symbol, trade id).
CREATE TABLE fills (
  symbol            TEXT NOT NULL,
  trade_id          TEXT NOT NULL,
  order_id          TEXT NOT NULL,
  client_order_id   TEXT,
  origin            TEXT,                       -- strategy id / 'manual'; NULL = not the bot's
  base_asset        TEXT NOT NULL,
  quote_asset       TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
  price             TEXT NOT NULL,
  qty               TEXT NOT NULL,
  quote_qty         TEXT NOT NULL,
  commission        TEXT NOT NULL,
  commission_asset  TEXT NOT NULL,
  is_maker          INTEGER NOT NULL,
  time              INTEGER NOT NULL,
  recorded_at       INTEGER NOT NULL,
  PRIMARY KEY (symbol, trade_id)
);
CREATE INDEX fills_time ON fills (time);
CREATE INDEX fills_base ON fills (base_asset, time);

-- Per-symbol fill sync cursor.
CREATE TABLE fill_sync (
  symbol      TEXT PRIMARY KEY,
  synced_to   INTEGER NOT NULL
);

-- Owner-set or first-seen cost basis for holdings that fills cannot explain.
CREATE TABLE cost_basis (
  asset       TEXT PRIMARY KEY,
  price       TEXT NOT NULL,
  cost_asset  TEXT NOT NULL,
  qty         TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('owner', 'first-seen')),
  set_at      INTEGER NOT NULL
);

-- Symbols blocked for a while, e.g. after a 10007 answer.
CREATE TABLE symbol_blocks (
  symbol      TEXT PRIMARY KEY,
  until       INTEGER NOT NULL,
  reason      TEXT NOT NULL
);

-- Outgoing notifications: survives restarts, sent in order, at most once after success.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  critical    INTEGER NOT NULL DEFAULT 0,
  text        TEXT NOT NULL,
  photo       BLOB,
  dedupe_key  TEXT,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'held', 'sending', 'sent', 'failed', 'merged')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  not_before  INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER
);
CREATE INDEX outbox_pending ON outbox (status, id);

-- Deduplication of repeated errors: one message per key per window, with a count.
CREATE TABLE error_dedupe (
  key           TEXT PRIMARY KEY,
  first_at      INTEGER NOT NULL,
  last_sent_at  INTEGER NOT NULL,
  suppressed    INTEGER NOT NULL DEFAULT 0
);

-- One row per scheduled run (shown by /status).
CREATE TABLE job_runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  job         TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER,
  outcome     TEXT CHECK (outcome IN ('ok', 'error', 'skipped', 'abandoned')),
  summary     TEXT,
  error       TEXT
);
CREATE INDEX job_runs_job ON job_runs (job, started_at);

-- Audit trail: order events, alerts, foreign activity, setting changes, pauses.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  type        TEXT NOT NULL,
  severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  origin      TEXT,
  symbol      TEXT,
  message     TEXT NOT NULL,
  data        TEXT
);
CREATE INDEX events_type ON events (type, at);

-- Confirmations waiting for the owner: one-time, expiring.
CREATE TABLE confirmations (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  summary     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  outcome     TEXT CHECK (outcome IN ('confirmed', 'skipped', 'expired', 'failed'))
);

-- Scanner verdicts for /why and scan reports.
CREATE TABLE scans (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  universe      INTEGER NOT NULL DEFAULT 0,
  analysed      INTEGER NOT NULL DEFAULT 0,
  requests      INTEGER NOT NULL DEFAULT 0,
  weight        INTEGER NOT NULL DEFAULT 0,
  leaders       TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE scan_verdicts (
  scan_id     INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  symbol      TEXT NOT NULL,
  score       INTEGER NOT NULL,
  passed      INTEGER NOT NULL,
  verdict     TEXT NOT NULL,                     -- JSON: every gate with its numbers
  PRIMARY KEY (scan_id, symbol)
);
CREATE INDEX scan_verdicts_symbol ON scan_verdicts (symbol, scan_id);

-- Small per-strategy state (last report time, daily counters not derivable from fills).
CREATE TABLE strategy_state (
  strategy    TEXT NOT NULL,
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (strategy, key)
);

-- Portfolio value over time, downsampled as it ages.
CREATE TABLE equity_snapshots (
  at          INTEGER PRIMARY KEY,
  total_usdc  TEXT NOT NULL,
  core_usdc   TEXT NOT NULL,
  alts_usdc   TEXT NOT NULL,
  usdc        TEXT NOT NULL,
  usdt_usdc   TEXT NOT NULL,
  resolution  TEXT NOT NULL DEFAULT 'raw'
);

-- The paper exchange's private side.
CREATE TABLE paper_balances (
  asset       TEXT PRIMARY KEY,
  free        TEXT NOT NULL,
  locked      TEXT NOT NULL
);

CREATE TABLE paper_orders (
  order_id          TEXT PRIMARY KEY,
  client_order_id   TEXT NOT NULL UNIQUE,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL,
  type              TEXT NOT NULL,
  price             TEXT,
  orig_qty          TEXT NOT NULL,
  executed_qty      TEXT NOT NULL,
  cumm_quote_qty    TEXT NOT NULL,
  status            TEXT NOT NULL,
  time              INTEGER NOT NULL,
  update_time       INTEGER NOT NULL
);
CREATE INDEX paper_orders_open ON paper_orders (status);

CREATE TABLE paper_fills (
  trade_id          TEXT PRIMARY KEY,
  symbol            TEXT NOT NULL,
  order_id          TEXT NOT NULL,
  client_order_id   TEXT,
  side              TEXT NOT NULL,
  price             TEXT NOT NULL,
  qty               TEXT NOT NULL,
  quote_qty         TEXT NOT NULL,
  commission        TEXT NOT NULL,
  commission_asset  TEXT NOT NULL,
  is_maker          INTEGER NOT NULL,
  time              INTEGER NOT NULL
);
CREATE INDEX paper_fills_symbol ON paper_fills (symbol, time);

-- grammY conversations state, so a conversation survives a restart.
CREATE TABLE conv_state (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL
);
