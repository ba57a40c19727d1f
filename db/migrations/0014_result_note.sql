-- A footnote on the «Overskud/underskud» row. The row is computed, so its note is kept here,
-- per year and side as a line's notes are (statement_line.budget_note / actual_note):
-- statement N shows the budget note and the regnskab note of N−1 and the budget note of N.
-- No row: no note (an empty text is the removal of the row).
--
-- The freeze is the lines' (0002_approval): an approval of statement N freezes both notes
-- of year N−1 and the budget note of year N; the regnskab note of year N stays open.
-- WITHOUT ROWID: the key is the only identity, so whether a row is frozen depends on its
-- key alone, and a REPLACE that collides with a frozen row has that row's key as NEW (its
-- implicit delete fires no DELETE trigger, but the INSERT or UPDATE trigger refuses it).

CREATE TABLE result_note (
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id),
    year           INTEGER NOT NULL,     -- the year of the budget or regnskab
    field          TEXT NOT NULL CHECK (field IN ('budget', 'actual')),
    text           TEXT NOT NULL CHECK (length(trim(text)) > 0),
    PRIMARY KEY (secretariat_id, year, field)
) WITHOUT ROWID;

CREATE TRIGGER result_note_frozen_insert BEFORE INSERT ON result_note
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
  OR (NEW.field = 'budget'
      AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                    AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year))
BEGIN
    SELECT RAISE(ABORT, 'Låst: noten til overskud/underskud indgår i en godkendt opgørelse. Opret en ny revision for at ændre den.');
END;

CREATE TRIGGER result_note_frozen_update BEFORE UPDATE ON result_note
WHEN (NEW.secretariat_id IS NOT OLD.secretariat_id OR NEW.year IS NOT OLD.year
      OR NEW.field IS NOT OLD.field OR NEW.text IS NOT OLD.text)
  AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                 AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
       OR (OLD.field = 'budget'
           AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year))
       OR EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                    AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
       OR (NEW.field = 'budget'
           AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)))
BEGIN
    SELECT RAISE(ABORT, 'Låst: noten til overskud/underskud indgår i en godkendt opgørelse. Opret en ny revision for at ændre den.');
END;

CREATE TRIGGER result_note_frozen_delete BEFORE DELETE ON result_note
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
  OR (OLD.field = 'budget'
      AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                    AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year))
BEGIN
    SELECT RAISE(ABORT, 'Låst: noten til overskud/underskud indgår i en godkendt opgørelse og kan ikke slettes. Opret en ny revision for at ændre den.');
END;
