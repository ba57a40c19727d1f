-- The people who usually sign a secretariat's approved statement (formand, næstformand),
-- kept in the secretariat's settings and offered when a statement is approved.
CREATE TABLE secretariat_signatory (
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (secretariat_id, position)
);
