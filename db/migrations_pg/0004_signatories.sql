-- PostgreSQL twin of db/migrations/0004_signatories.sql: the people who usually sign a
-- secretariat's approved statement, offered when a statement is approved.
CREATE TABLE secretariat_signatory (
    secretariat_id BIGINT NOT NULL REFERENCES secretariat(id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (secretariat_id, position)
);
