-- Why a revision was opened («Ny revision»): asked for when the approved statement is made
-- editable again, kept here while the new revision is a draft, and copied into that
-- revision's snapshot when it is approved (so the printed document says what it replaces
-- and why, under the document's own hash). Append-only: a reason given stays given.

CREATE TABLE revision_reason (
    id             INTEGER PRIMARY KEY,
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id),
    year           INTEGER NOT NULL,     -- the statement N
    revision       INTEGER NOT NULL CHECK (revision >= 2),  -- the revision it opened
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at             TEXT NOT NULL,
    by             TEXT NOT NULL,
    UNIQUE (secretariat_id, year, revision)
);

CREATE TRIGGER revision_reason_no_update BEFORE UPDATE ON revision_reason
BEGIN
    SELECT RAISE(ABORT, 'Årsagen til en revision kan ikke ændres.');
END;

CREATE TRIGGER revision_reason_no_delete BEFORE DELETE ON revision_reason
BEGIN
    SELECT RAISE(ABORT, 'Årsagen til en revision kan ikke slettes.');
END;

-- Also closes REPLACE INTO over an existing row (its implicit delete fires no trigger).
CREATE TRIGGER revision_reason_no_replace BEFORE INSERT ON revision_reason
WHEN EXISTS (SELECT 1 FROM revision_reason
             WHERE id = NEW.id
                OR (secretariat_id = NEW.secretariat_id AND year = NEW.year
                    AND revision = NEW.revision))
BEGIN
    SELECT RAISE(ABORT, 'Årsagen til en revision kan ikke ændres.');
END;
