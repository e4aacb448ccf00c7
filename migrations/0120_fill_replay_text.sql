-- What the fills replay reads of each fill (the running PnL snapshot's rebuild at start, over the
-- whole history), as one text that SQLite builds when a row is written or its prices recorded,
-- and keeps. Joined at read time it cost about twice as much to read as the stored text: a start
-- over 100 000 fills spent a tenth of its rebuild building texts. Generated from the row, it
-- cannot differ from it. The layout (fields joined by char(31); the repository reads it, with the
-- fill's time and rowid in front):
--   length(base_asset), 1 for a sell, price,qty,quote_qty,commission, usdc_usdt,
--   fee_price,fee_price_quote, commission_asset (char(30) when it is the quote asset), symbol,
--   trade_id, order_id
-- A stored generated column cannot be added to an existing table, so the table is built anew with
-- it, every row copied with its rowid (the replay pages by time and rowid), and its indexes
-- created again.
CREATE TABLE fills_rebuilt (
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
  usdc_usdt         TEXT,                       -- USDCUSDT at the fill
  fee_price         TEXT,                       -- the fee asset's price (MX) at the fill
  fee_price_quote   TEXT,                       -- the stablecoin fee_price is quoted in
  prices_source     TEXT,                       -- 'book' (read when recorded) or 'kline' (close of the fill's minute)
  prices_at         INTEGER,                    -- when they were recorded; NULL = not yet
  replay            TEXT GENERATED ALWAYS AS (
    length(base_asset) || char(31) || (side = 'SELL') || char(31) ||
    price || ',' || qty || ',' || quote_qty || ',' || commission || char(31) ||
    ifnull(usdc_usdt, '') || char(31) ||
    ifnull(fee_price || ',' || fee_price_quote, '') || char(31) ||
    ifnull(NULLIF(commission_asset, quote_asset), char(30)) || char(31) ||
    symbol || char(31) || trade_id || char(31) || order_id
  ) STORED,
  PRIMARY KEY (symbol, trade_id)
);
INSERT INTO fills_rebuilt (rowid, symbol, trade_id, order_id, client_order_id, origin, base_asset,
  quote_asset, side, price, qty, quote_qty, commission, commission_asset, is_maker, time,
  recorded_at, usdc_usdt, fee_price, fee_price_quote, prices_source, prices_at)
SELECT rowid, symbol, trade_id, order_id, client_order_id, origin, base_asset,
  quote_asset, side, price, qty, quote_qty, commission, commission_asset, is_maker, time,
  recorded_at, usdc_usdt, fee_price, fee_price_quote, prices_source, prices_at
FROM fills;
DROP TABLE fills;
ALTER TABLE fills_rebuilt RENAME TO fills;
CREATE INDEX fills_time ON fills (time);
CREATE INDEX fills_base ON fills (base_asset, time);
CREATE INDEX fills_unattributed ON fills (time) WHERE origin IS NULL;
CREATE INDEX fills_unpriced ON fills (time) WHERE prices_at IS NULL;
