-- An undo is a new version of a setting that restores an older one: it records which version it
-- reverts, so /history can say "undo of #12" instead of showing an unexplained change back.
ALTER TABLE settings_history ADD COLUMN reverts_id INTEGER REFERENCES settings_history (id);
