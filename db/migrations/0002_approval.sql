-- Approvals of the statement "Regnskab N−1 og budget N" and the freeze they impose.
--
-- An approval of (secretariat, N) snapshots the approved content (canonical JSON, with its
-- SHA-256) so that the approved document can always be printed again, and freezes in the
-- database itself, whoever writes (the program, a script, plain SQL):
--   * the lines of year N−1 entirely (budget N−1 and regnskab N−1);
--   * the budget side of the lines of year N (name, kind, role, budget, budget note);
--     the regnskab of year N is entered later and stays editable;
--   * the allocations the document shows, for good: an approved key never changes.
-- "Ny revision" marks the approval superseded (superseded_at); that is the one change an
-- approval row allows, and it makes the lines editable again until the next approval.

CREATE TABLE approval (
    id             INTEGER PRIMARY KEY,
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id),
    year           INTEGER NOT NULL,     -- the statement N (regnskab N−1 og budget N)
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    body           TEXT NOT NULL CHECK (length(trim(body)) > 0),
    meeting_date   TEXT NOT NULL CHECK (meeting_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    case_item      TEXT NOT NULL CHECK (length(trim(case_item)) > 0),
    content        TEXT NOT NULL,        -- canonical JSON of what was approved
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    approved_at    TEXT NOT NULL,
    approved_by    TEXT NOT NULL,
    superseded_at  TEXT,                 -- set by "Ny revision"; NULL = in force
    superseded_by  TEXT,
    UNIQUE (secretariat_id, year, revision)
);
CREATE UNIQUE INDEX approval_in_force ON approval (secretariat_id, year)
    WHERE superseded_at IS NULL;

CREATE TABLE approval_signatory (
    approval_id INTEGER NOT NULL REFERENCES approval(id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (approval_id, position)
);

CREATE TABLE approval_allocation (
    approval_id   INTEGER NOT NULL REFERENCES approval(id),
    allocation_id INTEGER NOT NULL REFERENCES allocation(id),
    PRIMARY KEY (approval_id, allocation_id)
);
CREATE INDEX approval_allocation_by_allocation ON approval_allocation (allocation_id);

-- --- an approval is a record: only "Ny revision" may touch it, once ------------------------

CREATE TRIGGER approval_no_delete BEFORE DELETE ON approval
BEGIN
    SELECT RAISE(ABORT, 'En godkendelse kan ikke slettes. Opret en ny revision i stedet.');
END;

CREATE TRIGGER approval_no_update BEFORE UPDATE ON approval
WHEN OLD.superseded_at IS NOT NULL
  OR NEW.superseded_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.secretariat_id IS NOT OLD.secretariat_id
  OR NEW.year IS NOT OLD.year OR NEW.revision IS NOT OLD.revision
  OR NEW.body IS NOT OLD.body OR NEW.meeting_date IS NOT OLD.meeting_date
  OR NEW.case_item IS NOT OLD.case_item OR NEW.content IS NOT OLD.content
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.approved_at IS NOT OLD.approved_at
  OR NEW.approved_by IS NOT OLD.approved_by
BEGIN
    SELECT RAISE(ABORT, 'En godkendelse kan ikke ændres. Opret en ny revision i stedet.');
END;

CREATE TRIGGER approval_signatory_no_update BEFORE UPDATE ON approval_signatory
BEGIN
    SELECT RAISE(ABORT, 'En godkendelses underskrivere kan ikke ændres.');
END;

CREATE TRIGGER approval_signatory_no_delete BEFORE DELETE ON approval_signatory
BEGIN
    SELECT RAISE(ABORT, 'En godkendelses underskrivere kan ikke slettes.');
END;

CREATE TRIGGER approval_allocation_no_update BEFORE UPDATE ON approval_allocation
BEGIN
    SELECT RAISE(ABORT, 'En godkendelses fordelinger kan ikke ændres.');
END;

CREATE TRIGGER approval_allocation_no_delete BEFORE DELETE ON approval_allocation
BEGIN
    SELECT RAISE(ABORT, 'En godkendelses fordelinger kan ikke slettes.');
END;

-- --- frozen statement lines ---------------------------------------------------------------
-- Year N−1 of an approved statement N: nothing may change, be added or be removed.

CREATE TRIGGER statement_line_frozen_prev_update BEFORE UPDATE ON statement_line
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
  AND (NEW.secretariat_id IS NOT OLD.secretariat_id OR NEW.year IS NOT OLD.year
       OR NEW.position IS NOT OLD.position OR NEW.name IS NOT OLD.name
       OR NEW.kind IS NOT OLD.kind OR NEW.role IS NOT OLD.role
       OR NEW.budget IS NOT OLD.budget OR NEW.actual IS NOT OLD.actual
       OR NEW.budget_note IS NOT OLD.budget_note OR NEW.actual_note IS NOT OLD.actual_note)
BEGIN
    SELECT RAISE(ABORT, 'Låst: posten indgår i en godkendt opgørelse (regnskab og budget). Opret en ny revision for at ændre den.');
END;

CREATE TRIGGER statement_line_frozen_prev_delete BEFORE DELETE ON statement_line
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
BEGIN
    SELECT RAISE(ABORT, 'Låst: posten indgår i en godkendt opgørelse (regnskab og budget) og kan ikke slettes. Opret en ny revision for at ændre den.');
END;

CREATE TRIGGER statement_line_frozen_prev_insert BEFORE INSERT ON statement_line
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
BEGIN
    SELECT RAISE(ABORT, 'Låst: regnskabsåret indgår i en godkendt opgørelse; der kan ikke tilføjes poster. Opret en ny revision for at ændre den.');
END;

-- Year N of an approved statement N: the budget side is frozen; the regnskab of year N
-- (actual, actual_note), the order, and lines without any budget stay free.

CREATE TRIGGER statement_line_frozen_budget_update BEFORE UPDATE ON statement_line
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year)
  AND (NEW.secretariat_id IS NOT OLD.secretariat_id OR NEW.year IS NOT OLD.year
       OR ((OLD.budget IS NOT NULL OR OLD.budget_note <> ''
            OR NEW.budget IS NOT NULL OR NEW.budget_note <> '')
           AND (NEW.name IS NOT OLD.name OR NEW.kind IS NOT OLD.kind
                OR NEW.role IS NOT OLD.role OR NEW.budget IS NOT OLD.budget
                OR NEW.budget_note IS NOT OLD.budget_note)))
BEGIN
    SELECT RAISE(ABORT, 'Låst: budgettet er godkendt. Opret en ny revision for at ændre det.');
END;

CREATE TRIGGER statement_line_frozen_budget_delete BEFORE DELETE ON statement_line
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year)
  AND (OLD.budget IS NOT NULL OR OLD.budget_note <> '')
BEGIN
    SELECT RAISE(ABORT, 'Låst: budgettet er godkendt; posten kan ikke slettes. Opret en ny revision for at ændre det.');
END;

CREATE TRIGGER statement_line_frozen_budget_insert BEFORE INSERT ON statement_line
WHEN EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
               AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)
  AND (NEW.budget IS NOT NULL OR NEW.budget_note <> '')
BEGIN
    SELECT RAISE(ABORT, 'Låst: budgettet er godkendt; der kan ikke tilføjes budgetposter. Opret en ny revision for at ændre det.');
END;

-- --- frozen allocations: an allocation an approved document showed never changes ---------

CREATE TRIGGER allocation_frozen_update BEFORE UPDATE ON allocation
WHEN EXISTS (SELECT 1 FROM approval_allocation WHERE allocation_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: fordelingen indgår i en godkendt opgørelse og kan ikke ændres.');
END;

CREATE TRIGGER allocation_frozen_delete BEFORE DELETE ON allocation
WHEN EXISTS (SELECT 1 FROM approval_allocation WHERE allocation_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: fordelingen indgår i en godkendt opgørelse og kan ikke slettes.');
END;

CREATE TRIGGER allocation_row_frozen_update BEFORE UPDATE ON allocation_row
WHEN EXISTS (SELECT 1 FROM approval_allocation
             WHERE allocation_id IN (OLD.allocation_id, NEW.allocation_id))
BEGIN
    SELECT RAISE(ABORT, 'Låst: fordelingen indgår i en godkendt opgørelse og kan ikke ændres.');
END;

CREATE TRIGGER allocation_row_frozen_delete BEFORE DELETE ON allocation_row
WHEN EXISTS (SELECT 1 FROM approval_allocation WHERE allocation_id = OLD.allocation_id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: fordelingen indgår i en godkendt opgørelse og kan ikke ændres.');
END;

CREATE TRIGGER allocation_row_frozen_insert BEFORE INSERT ON allocation_row
WHEN EXISTS (SELECT 1 FROM approval_allocation WHERE allocation_id = NEW.allocation_id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: fordelingen indgår i en godkendt opgørelse og kan ikke ændres.');
END;
