-- ERP export: profiles (the file layouts), the ERP fields of each member kommune per
-- secretariat, the secretariat's own journal accounts, and the log of every export.

CREATE TABLE export_profile (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    builtin           INTEGER NOT NULL DEFAULT 0,      -- shipped: copied, never changed
    columns           TEXT NOT NULL,                   -- JSON [[field, header], ...] in order
    separator         TEXT NOT NULL CHECK (length(separator) = 1),
    decimal_separator TEXT NOT NULL CHECK (decimal_separator IN (',', '.')),
    date_format       TEXT NOT NULL,                   -- "dd-mm-åååå"
    encoding          TEXT NOT NULL CHECK (encoding IN ('utf-8-sig', 'utf-8', 'cp1252')),
    line_end          TEXT NOT NULL CHECK (line_end IN ('crlf', 'lf')),
    updated_at        TEXT NOT NULL
);

INSERT INTO export_profile (name, builtin, columns, separator, decimal_separator, date_format,
                            encoding, line_end, updated_at)
VALUES ('Standard (Excel)', 1,
        '[["kommunekode","kommunekode"],["kommune","kommune"],["cvr","CVR"],["ean","EAN"],'
        || '["konto","konto"],["beløb","beløb"],["tekst","tekst"],["år","år"],'
        || '["periode","periode"],["forfaldsdato","forfaldsdato"],["reference","reference"]]',
        ';', ',', 'dd-mm-åååå', 'utf-8-sig', 'crlf', '2024-01-01T00:00:00+01:00');

CREATE TABLE member_erp (
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id) ON DELETE CASCADE,
    kommune_code   INTEGER NOT NULL REFERENCES kommune(code),
    cvr            TEXT NOT NULL DEFAULT '',
    ean            TEXT NOT NULL DEFAULT '',
    account        TEXT NOT NULL DEFAULT '',    -- the kommune's own account string
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (secretariat_id, kommune_code)
);

CREATE TABLE secretariat_journal (
    secretariat_id     INTEGER PRIMARY KEY REFERENCES secretariat(id) ON DELETE CASCADE,
    receivable_account TEXT NOT NULL DEFAULT '',  -- the host's debtor account
    income_account     TEXT NOT NULL DEFAULT '',  -- the secretariat's income account
    updated_at         TEXT NOT NULL
);

-- No foreign keys: the log outlives the allocation and the profile it names.
CREATE TABLE export_log (
    id             INTEGER PRIMARY KEY,
    secretariat_id INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    kind           TEXT,                        -- allocation kind; NULL for a statement
    allocation_id  INTEGER,
    what           TEXT NOT NULL CHECK (what IN ('erp', 'journal', 'xlsx')),
    profile        TEXT NOT NULL DEFAULT '',
    exported_at    TEXT NOT NULL,
    exported_by    TEXT NOT NULL,
    total          INTEGER NOT NULL,            -- øre, the sum of the amounts written
    rows           INTEGER NOT NULL
);
CREATE INDEX export_log_lookup ON export_log (secretariat_id, year, kind, what);

CREATE TABLE export_file (
    export_id INTEGER NOT NULL REFERENCES export_log(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    total     INTEGER NOT NULL,
    PRIMARY KEY (export_id, path)
);
