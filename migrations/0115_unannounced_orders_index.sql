-- Final orders whose fills were not announced yet: the tracker looks for them on every pass, and
-- without an index that meant reading every order ever placed. The index holds only those few.
CREATE INDEX orders_unannounced ON orders (id) WHERE final_at IS NOT NULL AND reported_qty <> executed_qty;
