-- When the bot first started on this database: trades before it are history, not foreign
-- activity. An existing database starts at its first order.
CREATE TABLE first_start (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  started_at  INTEGER NOT NULL
);
INSERT INTO first_start (id, started_at)
  SELECT 1, MIN(created_at) FROM orders HAVING MIN(created_at) IS NOT NULL;
