-- Prices fixed with each fill, so that its conversions (a BTCUSDT trade into USDC, an MX fee, its
-- realised PnL in USDC) never move afterwards. Money as TEXT decimals; NULL until recorded.
ALTER TABLE fills ADD COLUMN usdc_usdt TEXT;                -- USDCUSDT at the fill
ALTER TABLE fills ADD COLUMN fee_price TEXT;                -- the fee asset's price (MX) at the fill
ALTER TABLE fills ADD COLUMN fee_price_quote TEXT;          -- the stablecoin fee_price is quoted in
ALTER TABLE fills ADD COLUMN prices_source TEXT;            -- 'book' (read when recorded) or 'kline' (close of the fill's minute)
ALTER TABLE fills ADD COLUMN prices_at INTEGER;             -- when they were recorded; NULL = not yet
CREATE INDEX fills_unpriced ON fills (time) WHERE prices_at IS NULL;

-- Every owner-set cost basis change, like settings history: who, when, old -> new.
CREATE TABLE cost_basis_history (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  asset          TEXT NOT NULL,
  old_price      TEXT,                                    -- NULL when there was no basis
  old_cost_asset TEXT,
  old_source     TEXT,
  new_price      TEXT NOT NULL,
  cost_asset     TEXT NOT NULL,
  qty            TEXT NOT NULL,
  actor          TEXT NOT NULL,
  at             INTEGER NOT NULL
);
CREATE INDEX cost_basis_history_asset ON cost_basis_history (asset, at);
