-- Payment follow-up: what each kommune has paid (or received) against its bill of a year,
-- across the bodies of its KKR (core/billing.py: the reference KKR<year>-<kommunekode>).
-- Append-only, like the audit and export logs: a wrong entry is reversed by a counter-entry
-- (`reverses` names it, the amount is its opposite), never changed or deleted, so the open
-- amount on any day can be explained from the rows. Every insert is audited by the program.
-- (The lead may renumber this file when merging; nothing refers to its number.)

CREATE TABLE payment (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    kommune_code INTEGER NOT NULL REFERENCES kommune(code),
    reference    TEXT NOT NULL,          -- KKR<year>-<kommunekode>
    paid_on      TEXT NOT NULL,          -- YYYY-MM-DD, the day of the bank entry
    amount       INTEGER NOT NULL CHECK (amount <> 0),  -- øre; + the kommune paid, − it received
    source       TEXT NOT NULL,          -- 'indtastet', or the imported file's name
    line         INTEGER,                -- the line of the imported file
    bank_text    TEXT NOT NULL DEFAULT '',
    reverses     INTEGER REFERENCES payment(id),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);

CREATE INDEX payment_year_kommune ON payment (year, kommune_code);

CREATE TRIGGER payment_no_update BEFORE UPDATE ON payment
BEGIN
    SELECT RAISE(ABORT, 'En registreret betaling kan ikke ændres; registrér en modpostering.');
END;

CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN
    SELECT RAISE(ABORT, 'En registreret betaling kan ikke slettes; registrér en modpostering.');
END;

-- No REPLACE over an existing row, and a counter-entry is the exact opposite of the entry it
-- reverses (same kommune, year and reference), once.
CREATE TRIGGER payment_append_only BEFORE INSERT ON payment
WHEN EXISTS (SELECT 1 FROM payment WHERE id = NEW.id)
  OR (NEW.reverses IS NOT NULL AND (
        NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = NEW.reverses AND p.reverses IS NULL
                      AND p.amount = -NEW.amount AND p.year = NEW.year
                      AND p.kommune_code = NEW.kommune_code AND p.reference = NEW.reference)
        OR EXISTS (SELECT 1 FROM payment p WHERE p.reverses = NEW.reverses)))
BEGIN
    SELECT RAISE(ABORT, 'Betalingerne kan kun forlænges; en modpostering skal modsvare én registreret betaling nøjagtigt og kun én gang.');
END;

-- Who the kommuner ask about a body's bill: printed on the letters and put in the e-invoice
-- (until now typed with --contact each time).
ALTER TABLE secretariat ADD COLUMN contact TEXT NOT NULL DEFAULT '';
