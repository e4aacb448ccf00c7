-- The running PnL snapshot: positions and realised results per asset after every fill whose
-- prices are recorded (the ledger's priced prefix), kept up to date in the same transaction as
-- the fills and their prices, so /pnl never replays the whole history. Derived data: a full
-- replay of `fills` rebuilds it, and the bot compares the two at start. Money as TEXT decimals.
CREATE TABLE pnl_snapshot_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  last_time   INTEGER NOT NULL,        -- newest fill time covered; every fill at or before it is in
  fill_count  INTEGER NOT NULL,        -- fills covered
  updated_at  INTEGER NOT NULL
);
CREATE TABLE pnl_snapshot (
  asset          TEXT PRIMARY KEY,
  cost_asset     TEXT NOT NULL,        -- USDC for BTC/ETH, USDT for altcoins
  qty            TEXT NOT NULL,
  avg_cost       TEXT NOT NULL,        -- per unit in cost_asset, fees included; 0 when flat
  realised_pnl   TEXT NOT NULL,        -- in cost_asset, net of fees
  fees_paid      TEXT NOT NULL,        -- in cost_asset
  realised_usdc  TEXT,                 -- NULL once one realisation could not be converted
  fees_usdc      TEXT                  -- NULL once one fee could not be converted
);
