-- The paper exchange settles resting orders without asking for rules again: each order keeps
-- its assets, the maker fee rate it was accepted under, and the funds still held for it.
ALTER TABLE paper_orders ADD COLUMN base_asset TEXT NOT NULL DEFAULT '';
ALTER TABLE paper_orders ADD COLUMN quote_asset TEXT NOT NULL DEFAULT '';
-- Fee rate (fraction) charged when the resting remainder fills as maker.
ALTER TABLE paper_orders ADD COLUMN maker_fee TEXT NOT NULL DEFAULT '0';
-- Funds held for the unfilled remainder: quote (buy, including the maker fee) or base (sell).
ALTER TABLE paper_orders ADD COLUMN locked TEXT NOT NULL DEFAULT '0';
CREATE INDEX paper_orders_symbol ON paper_orders (symbol, status);
