-- The first schema: reference data, secretariats, statements, rates, population,
-- allocations and the audit log. Money is INTEGER øre everywhere.

CREATE TABLE kkr (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE            -- "Nordjylland"; shown as "KKR Nordjylland"
);

CREATE TABLE kommune (
    code   INTEGER PRIMARY KEY,          -- kommunekode, e.g. 851
    name   TEXT NOT NULL UNIQUE,
    kkr_id INTEGER NOT NULL REFERENCES kkr(id)
);

CREATE TABLE secretariat (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    kkr_id       INTEGER NOT NULL REFERENCES kkr(id),
    host_kommune INTEGER REFERENCES kommune(code),
    unit         TEXT NOT NULL DEFAULT 'kr' CHECK (unit IN ('ore', 'kr')),
    created_at   TEXT NOT NULL
);

CREATE TABLE membership (
    id             INTEGER PRIMARY KEY,
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id) ON DELETE CASCADE,
    kommune_code   INTEGER NOT NULL REFERENCES kommune(code),
    from_year      INTEGER NOT NULL,
    to_year        INTEGER,
    CHECK (to_year IS NULL OR to_year >= from_year),
    UNIQUE (secretariat_id, kommune_code, from_year)
);

CREATE TABLE statement_line (
    id             INTEGER PRIMARY KEY,
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id) ON DELETE CASCADE,
    year           INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind           TEXT NOT NULL CHECK (kind IN ('udgift', 'indtægt')),
    role           TEXT NOT NULL DEFAULT '' CHECK (role IN ('', 'bidrag', 'overførsel')),
    budget         INTEGER,              -- øre; NULL = not known
    actual         INTEGER,              -- øre; NULL = not known yet
    budget_note    TEXT NOT NULL DEFAULT '',
    actual_note    TEXT NOT NULL DEFAULT '',
    UNIQUE (secretariat_id, year, name)
);
CREATE INDEX statement_line_order ON statement_line (secretariat_id, year, position);

CREATE TABLE pl_rate (
    year       INTEGER PRIMARY KEY,      -- the rate from year-1 to year
    expected   TEXT,                     -- percent as an exact decimal string, "4.8"
    final      TEXT,
    source     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE population (
    kommune_code INTEGER NOT NULL REFERENCES kommune(code),
    quarter      TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]K[1-4]'),
    value        INTEGER NOT NULL CHECK (value >= 0),
    source       TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    PRIMARY KEY (kommune_code, quarter)
);
CREATE INDEX population_quarter ON population (quarter);

CREATE TABLE allocation (
    id             INTEGER PRIMARY KEY,
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id) ON DELETE CASCADE,
    year           INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('contribution', 'payout', 'adjustment')),
    total          INTEGER NOT NULL,     -- øre
    unit           TEXT NOT NULL CHECK (unit IN ('ore', 'kr', 'tkr')),
    key_kind       TEXT NOT NULL CHECK (key_kind IN ('population', 'equal', 'fixed')),
    quarter        TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX allocation_lookup ON allocation (secretariat_id, year, kind);

CREATE TABLE allocation_row (
    allocation_id INTEGER NOT NULL REFERENCES allocation(id) ON DELETE CASCADE,
    kommune_code  INTEGER NOT NULL REFERENCES kommune(code),
    weight        TEXT NOT NULL,         -- population, or the agreed share, exact
    amount        INTEGER NOT NULL,      -- øre
    PRIMARY KEY (allocation_id, kommune_code)
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    who       TEXT NOT NULL,
    tbl       TEXT NOT NULL,
    key       TEXT NOT NULL,
    secretariat_id INTEGER,              -- for filtering; no foreign key: the log outlives rows
    year      INTEGER,
    action    TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_log_tbl ON audit_log (tbl, key);
CREATE INDEX audit_log_scope ON audit_log (secretariat_id, year);
