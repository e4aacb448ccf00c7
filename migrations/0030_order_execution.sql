-- Order execution details the executor needs beyond 0001's orders table: assets for the reserve
-- check, the in-profit guard and TTL re-pricing inputs, fill-report progress, and not-found tracking.
ALTER TABLE orders ADD COLUMN base_asset TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN quote_asset TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN min_sell_price TEXT;
ALTER TABLE orders ADD COLUMN allow_loss INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN ttl_ms INTEGER;
-- Re-pricing peg: the book side the price followed ('bid' | 'ask') and price / touch at placement.
ALTER TABLE orders ADD COLUMN peg_ref TEXT;
ALTER TABLE orders ADD COLUMN peg_ratio TEXT;
-- The order this one re-prices (TTL expiry), for the audit trail.
ALTER TABLE orders ADD COLUMN replaces TEXT;
-- Executed quantity already announced in order.filled events (so a fill is announced once).
ALTER TABLE orders ADD COLUMN reported_qty TEXT NOT NULL DEFAULT '0';
ALTER TABLE orders ADD COLUMN reported_quote TEXT NOT NULL DEFAULT '0';
ALTER TABLE orders ADD COLUMN first_not_found_at INTEGER;
ALTER TABLE orders ADD COLUMN last_checked_at INTEGER;

CREATE INDEX orders_origin_open ON orders (origin, symbol) WHERE final_at IS NULL;

-- Foreign activity seen on the account (orders and fills the bot did not place), each alerted once.
CREATE TABLE foreign_activity (
  kind        TEXT NOT NULL CHECK (kind IN ('order', 'fill')),
  key         TEXT NOT NULL,              -- exchange order id, or trade id
  symbol      TEXT NOT NULL,
  detail      TEXT NOT NULL,
  first_seen  INTEGER NOT NULL,
  PRIMARY KEY (kind, symbol, key)
);
