-- Fill attribution looks orders up by exchange order id when a fill carries no client order id.
CREATE INDEX orders_exchange_order_id ON orders (exchange_order_id, symbol);

-- Foreign activity (fills no bot order explains) is listed by time.
CREATE INDEX fills_unattributed ON fills (time) WHERE origin IS NULL;
