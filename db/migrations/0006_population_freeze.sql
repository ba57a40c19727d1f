-- The population figures an approved allocation was keyed on stay as approved.
--
-- An allocation frozen by an approval in force (approval_allocation) with a population key
-- holds, in each row's weight, the figure of that kommune in the key quarter. While the
-- approval is in force that figure may not change, move or disappear in `population`: a
-- hand edit or an import of another figure is refused; writing the same figure again (an
-- import of the same file) is allowed. «Ny revision» releases the figures, as it releases the
-- statement lines; the superseded approval keeps its weights in its own frozen rows.
-- INSERT OR REPLACE is caught by the INSERT trigger: the row it would delete without a
-- DELETE trigger firing is only replaced when the new figure is the approved one.

CREATE TRIGGER population_frozen_update BEFORE UPDATE ON population
WHEN ((NEW.kommune_code IS NOT OLD.kommune_code OR NEW.quarter IS NOT OLD.quarter)
      AND EXISTS (SELECT 1 FROM approval ap
                  JOIN approval_allocation aa ON aa.approval_id = ap.id
                  JOIN allocation a ON a.id = aa.allocation_id
                  JOIN allocation_row r ON r.allocation_id = a.id
                  WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
                    AND ((a.quarter = OLD.quarter AND r.kommune_code = OLD.kommune_code)
                         OR (a.quarter = NEW.quarter AND r.kommune_code = NEW.kommune_code))))
  OR (NEW.value IS NOT OLD.value
      AND EXISTS (SELECT 1 FROM approval ap
                  JOIN approval_allocation aa ON aa.approval_id = ap.id
                  JOIN allocation a ON a.id = aa.allocation_id
                  JOIN allocation_row r ON r.allocation_id = a.id
                  WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
                    AND a.quarter = NEW.quarter AND r.kommune_code = NEW.kommune_code
                    AND r.weight IS NOT CAST(NEW.value AS TEXT)))
BEGIN
    SELECT RAISE(ABORT, 'Låst: folketallet indgår i en godkendt fordeling og kan ikke ændres. Opret en ny revision af opgørelsen for at ændre det.');
END;

CREATE TRIGGER population_frozen_delete BEFORE DELETE ON population
WHEN EXISTS (SELECT 1 FROM approval ap
             JOIN approval_allocation aa ON aa.approval_id = ap.id
             JOIN allocation a ON a.id = aa.allocation_id
             JOIN allocation_row r ON r.allocation_id = a.id
             WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
               AND a.quarter = OLD.quarter AND r.kommune_code = OLD.kommune_code)
BEGIN
    SELECT RAISE(ABORT, 'Låst: folketallet indgår i en godkendt fordeling og kan ikke slettes. Opret en ny revision af opgørelsen for at ændre det.');
END;

CREATE TRIGGER population_frozen_insert BEFORE INSERT ON population
WHEN EXISTS (SELECT 1 FROM approval ap
             JOIN approval_allocation aa ON aa.approval_id = ap.id
             JOIN allocation a ON a.id = aa.allocation_id
             JOIN allocation_row r ON r.allocation_id = a.id
             WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
               AND a.quarter = NEW.quarter AND r.kommune_code = NEW.kommune_code
               AND r.weight IS NOT CAST(NEW.value AS TEXT))
BEGIN
    SELECT RAISE(ABORT, 'Låst: folketallet indgår i en godkendt fordeling og kan ikke ændres. Opret en ny revision af opgørelsen for at ændre det.');
END;
