-- Closed candles the bot fetched (scanner klines, the one-minute history replays need), kept so a
-- replay of the recent past reads them locally and fetches only what is missing. Prices and
-- volumes are the exchange's decimal text; deleted by the daily retention job.
CREATE TABLE candles (
  symbol        TEXT    NOT NULL,
  interval      TEXT    NOT NULL,
  open_time     INTEGER NOT NULL,
  open          TEXT    NOT NULL,
  high          TEXT    NOT NULL,
  low           TEXT    NOT NULL,
  close         TEXT    NOT NULL,
  volume        TEXT    NOT NULL,
  quote_volume  TEXT    NOT NULL,
  PRIMARY KEY (symbol, interval, open_time)
) WITHOUT ROWID;
CREATE INDEX candles_open_time ON candles (open_time);
