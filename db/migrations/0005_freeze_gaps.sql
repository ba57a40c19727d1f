-- Closing two ways round the freeze of 0002, and billing on a key nobody approved:
-- a line moved INTO a frozen year (the triggers of 0002 look at OLD only), and a new
-- contribution or payout allocation for a year whose statement is approved (export would
-- bill the newest allocation, not the approved one), and INSERT OR REPLACE over a frozen row.

CREATE TRIGGER statement_line_frozen_move_in BEFORE UPDATE ON statement_line
WHEN (NEW.secretariat_id IS NOT OLD.secretariat_id OR NEW.year IS NOT OLD.year)
  AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                 AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
       OR (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                     AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)
           AND (NEW.budget IS NOT NULL OR NEW.budget_note <> '')))
BEGIN
    SELECT RAISE(ABORT, 'Låst: posten kan ikke flyttes ind i en godkendt opgørelse. Opret en ny revision for at ændre den.');
END;

CREATE TRIGGER allocation_frozen_year_insert BEFORE INSERT ON allocation
WHEN NEW.kind IN ('contribution', 'payout')
  AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)
BEGIN
    SELECT RAISE(ABORT, 'Låst: opgørelsen for året er godkendt med sin fordeling. Opret en ny revision for at gemme en anden fordeling.');
END;

-- INSERT OR REPLACE deletes the row it collides with without firing DELETE triggers (unless
-- a connection turns recursive_triggers on): refuse an insert that collides with a frozen row.
CREATE TRIGGER statement_line_frozen_replace BEFORE INSERT ON statement_line
WHEN EXISTS (
    SELECT 1 FROM statement_line s
    WHERE (s.id = NEW.id
           OR (s.secretariat_id = NEW.secretariat_id AND s.year = NEW.year
               AND s.name = NEW.name))
      AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                     AND a.secretariat_id = s.secretariat_id AND a.year = s.year + 1)
           OR (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = s.secretariat_id AND a.year = s.year)
               AND (s.budget IS NOT NULL OR s.budget_note <> ''))))
BEGIN
    SELECT RAISE(ABORT, 'Låst: posten indgår i en godkendt opgørelse og kan ikke erstattes. Opret en ny revision for at ændre den.');
END;
