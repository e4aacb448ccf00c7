-- Equity compaction thins only rows that are not yet at their final resolution; this index
-- finds the oldest such row without scanning the whole history.
CREATE INDEX equity_snapshots_resolution ON equity_snapshots (resolution, at);
