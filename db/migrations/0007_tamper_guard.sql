-- Closing what plain SQL outside the program could still do to an approval (a connection of
-- its own has recursive_triggers OFF, so REPLACE's implicit delete fires no DELETE trigger):
--   * REPLACE conflicts: an INSERT OR REPLACE / REPLACE INTO, or an UPDATE OR REPLACE, whose
--     new row collides on a key with a frozen row would delete that row silently;
--   * moves of frozen rows (id), and an allocation turned into the billed one of an approved
--     year by a change of kind, year, secretariat or id;
--   * an approval inserted over another, or whose row does not say what its snapshot says;
--     a signatory or frozen allocation added that the snapshot does not hold;
--     "Ny revision" (superseded_at) set without the audit row the program writes first;
--   * the audit log, the export log and its files are append-only, and every audit row
--     carries `chain`: the SHA-256 of the previous row's link and its own content, computed
--     by the program (store/db.py), so a deleted or edited row breaks the chain.
-- The chain starts here: the row this migration adds records how many rows came before it.
-- Nothing here can stop someone who drops the triggers; services/verify.py does not trust
-- them: it recomputes the snapshots' hashes, compares the frozen rows with the snapshots,
-- walks the chain and recreates a missing or altered trigger from these files.

ALTER TABLE audit_log ADD COLUMN chain TEXT;

INSERT INTO audit_log (at, who, tbl, key, action, old_value, new_value)
VALUES (strftime('%Y-%m-%dT%H:%M:%S', 'now') || '+00:00', 'kkr-desktop', 'audit_log', 'kæde',
        'insert', NULL,
        json_object('rows_before', (SELECT count(*) FROM audit_log),
                    'last_id', (SELECT coalesce(max(id), 0) FROM audit_log)));

-- Where the last walk of the chain found it whole, so that opening walks only the rows
-- written since (a full walk of a million rows takes seconds). Not evidence, a bookmark:
-- the walk checks that the row it names still has its link and that as many rows precede
-- it, walks from the start once a day and whenever the bookmark does not hold, and a
-- bookmark set forward by hand is caught by the next day's full walk.
CREATE TABLE audit_checkpoint (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    row_id     INTEGER NOT NULL,
    link       TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    full_walk  TEXT NOT NULL     -- the day of the last walk from the start (YYYY-MM-DD)
);

-- --- statement lines ----------------------------------------------------------------------

CREATE TRIGGER statement_line_frozen_collision BEFORE UPDATE ON statement_line
WHEN EXISTS (
    SELECT 1 FROM statement_line s
    WHERE s.id <> OLD.id
      AND (s.id = NEW.id
           OR (s.secretariat_id = NEW.secretariat_id AND s.year = NEW.year
               AND s.name = NEW.name))
      AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                     AND a.secretariat_id = s.secretariat_id AND a.year = s.year + 1)
           OR (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = s.secretariat_id AND a.year = s.year)
               AND (s.budget IS NOT NULL OR s.budget_note <> ''))))
BEGIN
    SELECT RAISE(ABORT, 'Låst: ændringen ville erstatte en post, der indgår i en godkendt opgørelse. Opret en ny revision for at ændre den.');
END;

CREATE TRIGGER statement_line_frozen_id BEFORE UPDATE ON statement_line
WHEN NEW.id IS NOT OLD.id
  AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                 AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
       OR (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                     AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year)
           AND (OLD.budget IS NOT NULL OR OLD.budget_note <> '')))
BEGIN
    SELECT RAISE(ABORT, 'Låst: posten indgår i en godkendt opgørelse og kan ikke flyttes.');
END;

-- --- allocations --------------------------------------------------------------------------

CREATE TRIGGER allocation_frozen_replace BEFORE INSERT ON allocation
WHEN EXISTS (SELECT 1 FROM approval_allocation WHERE allocation_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: fordelingen indgår i en godkendt opgørelse og kan ikke erstattes.');
END;

CREATE TRIGGER allocation_frozen_collision BEFORE UPDATE ON allocation
WHEN NEW.id IS NOT OLD.id
  AND EXISTS (SELECT 1 FROM approval_allocation WHERE allocation_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: ændringen ville erstatte en fordeling, der indgår i en godkendt opgørelse.');
END;

CREATE TRIGGER allocation_frozen_year_move BEFORE UPDATE ON allocation
WHEN (NEW.id IS NOT OLD.id OR NEW.secretariat_id IS NOT OLD.secretariat_id
      OR NEW.year IS NOT OLD.year OR NEW.kind IS NOT OLD.kind)
  AND NEW.kind IN ('contribution', 'payout')
  AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)
BEGIN
    SELECT RAISE(ABORT, 'Låst: opgørelsen for året er godkendt med sin fordeling; en anden fordeling kan ikke flyttes ind. Opret en ny revision for at gemme en anden fordeling.');
END;

-- --- approvals ----------------------------------------------------------------------------
-- A new approval is the next revision, in force, and its row says what its snapshot says.
-- (Its SHA-256 cannot be computed here; verification does that.)

CREATE TRIGGER approval_no_replace BEFORE INSERT ON approval
WHEN EXISTS (SELECT 1 FROM approval a
             WHERE a.id = NEW.id
                OR (a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year
                    AND (a.revision = NEW.revision OR a.superseded_at IS NULL)))
BEGIN
    SELECT RAISE(ABORT, 'En godkendelse kan ikke erstattes. Opret en ny revision i stedet.');
END;

CREATE TRIGGER approval_insert_matches_snapshot BEFORE INSERT ON approval
WHEN NEW.superseded_at IS NOT NULL OR NEW.superseded_by IS NOT NULL
  OR NEW.revision IS NOT (SELECT coalesce(max(revision), 0) + 1 FROM approval
                          WHERE secretariat_id = NEW.secretariat_id AND year = NEW.year)
  OR NOT json_valid(NEW.content)
  OR json_extract(NEW.content, '$.year') IS NOT NEW.year
  OR json_extract(NEW.content, '$.revision') IS NOT NEW.revision
  OR json_extract(NEW.content, '$.approval.body') IS NOT NEW.body
  OR json_extract(NEW.content, '$.approval.meeting_date') IS NOT NEW.meeting_date
  OR json_extract(NEW.content, '$.approval.case') IS NOT NEW.case_item
BEGIN
    SELECT RAISE(ABORT, 'En godkendelse kan kun gemmes som den næste revision, gældende, og med de oplysninger dens indhold har.');
END;

-- "Ny revision": the program writes the audit row first; an UPDATE that is not the newest
-- audit row's exact change is refused, so the change never happens without a trace.
CREATE TRIGGER approval_supersede_audited BEFORE UPDATE ON approval
WHEN NEW.superseded_at IS NOT OLD.superseded_at
  AND (coalesce(NEW.superseded_by, '') = ''
       OR NOT EXISTS (
           SELECT 1 FROM audit_log l
           WHERE l.id = (SELECT max(id) FROM audit_log)
             AND l.tbl = 'approval' AND l.key = CAST(OLD.id AS TEXT) AND l.action = 'update'
             AND json_extract(l.new_value, '$.superseded_at') IS NEW.superseded_at
             AND json_extract(l.new_value, '$.superseded_by') IS NEW.superseded_by))
BEGIN
    SELECT RAISE(ABORT, 'En godkendelse kan kun erstattes med «Ny revision» i programmet.');
END;

-- A signatory is added only to the approval in force, once per position, and only as its
-- snapshot names him or her.
CREATE TRIGGER approval_signatory_insert BEFORE INSERT ON approval_signatory
WHEN EXISTS (SELECT 1 FROM approval_signatory
             WHERE approval_id = NEW.approval_id AND position = NEW.position)
  OR NOT EXISTS (
      SELECT 1 FROM approval a
      WHERE a.id = NEW.approval_id AND a.superseded_at IS NULL
        AND json_extract(a.content, '$.approval.signatories[' || (NEW.position - 1) || '].name')
            IS NEW.name
        AND json_extract(a.content, '$.approval.signatories[' || (NEW.position - 1) || '].title')
            IS NEW.title)
BEGIN
    SELECT RAISE(ABORT, 'En godkendelses underskrivere kan ikke ændres.');
END;

-- A frozen allocation is linked only to the approval in force, of its own secretariat and
-- year, one of each kind, and only as the snapshot shows it (kind and total).
CREATE TRIGGER approval_allocation_insert BEFORE INSERT ON approval_allocation
WHEN EXISTS (SELECT 1 FROM approval_allocation x JOIN allocation y ON y.id = x.allocation_id
             WHERE x.approval_id = NEW.approval_id
               AND y.kind = (SELECT kind FROM allocation WHERE id = NEW.allocation_id))
  OR NOT EXISTS (
      SELECT 1 FROM approval a JOIN allocation al ON al.id = NEW.allocation_id
      WHERE a.id = NEW.approval_id AND a.superseded_at IS NULL
        AND al.secretariat_id = a.secretariat_id AND al.year = a.year
        AND EXISTS (SELECT 1 FROM json_each(a.content, '$.allocations') j
                    WHERE json_extract(j.value, '$.kind') = al.kind
                      AND json_extract(j.value, '$.total') = al.total))
BEGIN
    SELECT RAISE(ABORT, 'En godkendelses fordelinger kan ikke ændres.');
END;

-- --- append-only logs ---------------------------------------------------------------------

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'Revisionssporet kan ikke ændres.');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'Revisionssporet kan ikke slettes.');
END;

CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
  OR NEW.id <= (SELECT max(id) FROM audit_log)
  OR NEW.chain IS NULL OR length(NEW.chain) <> 64
BEGIN
    SELECT RAISE(ABORT, 'Revisionssporet kan kun forlænges, af programmet.');
END;

CREATE TRIGGER export_log_no_update BEFORE UPDATE ON export_log
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan ikke ændres.');
END;

CREATE TRIGGER export_log_no_delete BEFORE DELETE ON export_log
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan ikke slettes.');
END;

CREATE TRIGGER export_log_no_replace BEFORE INSERT ON export_log
WHEN EXISTS (SELECT 1 FROM export_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan kun forlænges.');
END;

CREATE TRIGGER export_file_no_update BEFORE UPDATE ON export_file
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan ikke ændres.');
END;

CREATE TRIGGER export_file_no_delete BEFORE DELETE ON export_file
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan ikke slettes.');
END;

CREATE TRIGGER export_file_no_replace BEFORE INSERT ON export_file
WHEN EXISTS (SELECT 1 FROM export_file WHERE export_id = NEW.export_id AND path = NEW.path)
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan kun forlænges.');
END;

-- --- an export whose files never reached their place ------------------------------------
-- The export log is append-only, so an export that was logged but whose files could not be
-- put in place (the rename failed) is withdrawn by a row here, never deleted: the log keeps
-- what happened, and a withdrawn export does not count as billed.

CREATE TABLE export_withdrawn (
    export_id    INTEGER PRIMARY KEY REFERENCES export_log(id),
    withdrawn_at TEXT NOT NULL,
    withdrawn_by TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0)
);

CREATE TRIGGER export_withdrawn_no_update BEFORE UPDATE ON export_withdrawn
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan ikke ændres.');
END;

CREATE TRIGGER export_withdrawn_no_delete BEFORE DELETE ON export_withdrawn
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan ikke slettes.');
END;

CREATE TRIGGER export_withdrawn_no_replace BEFORE INSERT ON export_withdrawn
WHEN EXISTS (SELECT 1 FROM export_withdrawn WHERE export_id = NEW.export_id)
BEGIN
    SELECT RAISE(ABORT, 'Eksportloggen kan kun forlænges.');
END;
