-- «Dagsordenspunkt»: one agenda item of a KKR meeting that puts the statements of several
-- secretariats of one KKR and year before the body in one document, with an agenda text
-- (sagsfremstilling and indstilling) typed by the officer, and approves them in one act.
--
-- Each statement is still approved on its own (an approval row, snapshot, SHA-256 and
-- Dokument-id of its own, through the same triggers as a single approval); agenda_approval
-- records the act: which approvals it comprises and a snapshot of the agenda text it
-- approved, with a SHA-256 over that text and the members' SHA-256s. Once approved, the
-- item, its statements and its text are frozen here; services/verify.py checks it all
-- again without trusting these triggers.

CREATE TABLE agenda_item (
    id               INTEGER PRIMARY KEY,
    kkr_id           INTEGER NOT NULL REFERENCES kkr(id),
    year             INTEGER NOT NULL,     -- the statements N (regnskab N−1 og budget N)
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    case_item        TEXT NOT NULL CHECK (length(trim(case_item)) > 0),
    sagsfremstilling TEXT NOT NULL DEFAULT '',
    indstilling      TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL
);

CREATE TABLE agenda_item_statement (
    agenda_id      INTEGER NOT NULL REFERENCES agenda_item(id),
    secretariat_id INTEGER NOT NULL REFERENCES secretariat(id),
    position       INTEGER NOT NULL CHECK (position >= 1),
    PRIMARY KEY (agenda_id, secretariat_id),
    UNIQUE (agenda_id, position)
);

CREATE TABLE agenda_approval (
    agenda_id    INTEGER PRIMARY KEY REFERENCES agenda_item(id),
    body         TEXT NOT NULL CHECK (length(trim(body)) > 0),
    meeting_date TEXT NOT NULL CHECK (meeting_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    case_item    TEXT NOT NULL CHECK (length(trim(case_item)) > 0),
    content      TEXT NOT NULL,        -- canonical JSON: the agenda text and the members
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    approved_at  TEXT NOT NULL,
    approved_by  TEXT NOT NULL
);

CREATE TABLE agenda_approval_member (
    agenda_id   INTEGER NOT NULL REFERENCES agenda_approval(agenda_id),
    position    INTEGER NOT NULL CHECK (position >= 1),
    approval_id INTEGER NOT NULL UNIQUE REFERENCES approval(id),
    PRIMARY KEY (agenda_id, position)
);

-- --- an approved item is a record ------------------------------------------------------

CREATE TRIGGER agenda_item_frozen_update BEFORE UPDATE ON agenda_item
WHEN EXISTS (SELECT 1 FROM agenda_approval WHERE agenda_id IN (OLD.id, NEW.id))
BEGIN
    SELECT RAISE(ABORT, 'Låst: dagsordenspunktet er godkendt og kan ikke ændres.');
END;

CREATE TRIGGER agenda_item_frozen_delete BEFORE DELETE ON agenda_item
WHEN EXISTS (SELECT 1 FROM agenda_approval WHERE agenda_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: dagsordenspunktet er godkendt og kan ikke slettes.');
END;

CREATE TRIGGER agenda_item_no_replace BEFORE INSERT ON agenda_item
WHEN EXISTS (SELECT 1 FROM agenda_item WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkt kan ikke erstattes.');
END;

CREATE TRIGGER agenda_item_statement_frozen_insert BEFORE INSERT ON agenda_item_statement
WHEN EXISTS (SELECT 1 FROM agenda_approval WHERE agenda_id = NEW.agenda_id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: dagsordenspunktet er godkendt; dets opgørelser kan ikke ændres.');
END;

CREATE TRIGGER agenda_item_statement_frozen_update BEFORE UPDATE ON agenda_item_statement
WHEN EXISTS (SELECT 1 FROM agenda_approval WHERE agenda_id IN (OLD.agenda_id, NEW.agenda_id))
BEGIN
    SELECT RAISE(ABORT, 'Låst: dagsordenspunktet er godkendt; dets opgørelser kan ikke ændres.');
END;

CREATE TRIGGER agenda_item_statement_frozen_delete BEFORE DELETE ON agenda_item_statement
WHEN EXISTS (SELECT 1 FROM agenda_approval WHERE agenda_id = OLD.agenda_id)
BEGIN
    SELECT RAISE(ABORT, 'Låst: dagsordenspunktet er godkendt; dets opgørelser kan ikke ændres.');
END;

-- The approval of an item is inserted once, and says what its snapshot says: the item, its
-- text as it stands, the facts.
CREATE TRIGGER agenda_approval_insert BEFORE INSERT ON agenda_approval
WHEN EXISTS (SELECT 1 FROM agenda_approval WHERE agenda_id = NEW.agenda_id)
  OR NOT json_valid(NEW.content)
  OR NOT EXISTS (
      SELECT 1 FROM agenda_item i
      WHERE i.id = NEW.agenda_id
        AND json_extract(NEW.content, '$.agenda_id') IS i.id
        AND json_extract(NEW.content, '$.year') IS i.year
        AND json_extract(NEW.content, '$.title') IS i.title
        AND json_extract(NEW.content, '$.case') IS i.case_item
        AND json_extract(NEW.content, '$.sagsfremstilling') IS i.sagsfremstilling
        AND json_extract(NEW.content, '$.indstilling') IS i.indstilling)
  OR json_extract(NEW.content, '$.approval.body') IS NOT NEW.body
  OR json_extract(NEW.content, '$.approval.meeting_date') IS NOT NEW.meeting_date
  OR json_extract(NEW.content, '$.approval.case') IS NOT NEW.case_item
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkts godkendelse kan kun gemmes én gang og med de oplysninger, dens indhold har.');
END;

CREATE TRIGGER agenda_approval_no_update BEFORE UPDATE ON agenda_approval
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkts godkendelse kan ikke ændres.');
END;

CREATE TRIGGER agenda_approval_no_delete BEFORE DELETE ON agenda_approval
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkts godkendelse kan ikke slettes.');
END;

-- A member is the approval in force of a statement the item holds, linked once, at the
-- position and with the SHA-256 the agenda's snapshot names.
CREATE TRIGGER agenda_approval_member_insert BEFORE INSERT ON agenda_approval_member
WHEN EXISTS (SELECT 1 FROM agenda_approval_member
             WHERE agenda_id = NEW.agenda_id AND position = NEW.position)
  OR NOT EXISTS (
      SELECT 1 FROM agenda_approval g
      JOIN approval a ON a.id = NEW.approval_id
      JOIN agenda_item i ON i.id = g.agenda_id
      WHERE g.agenda_id = NEW.agenda_id AND a.superseded_at IS NULL AND a.year = i.year
        AND EXISTS (SELECT 1 FROM agenda_item_statement s
                    WHERE s.agenda_id = g.agenda_id AND s.secretariat_id = a.secretariat_id)
        AND json_extract(g.content, '$.statements[' || (NEW.position - 1) || '].sha256')
            IS a.sha256)
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkts godkendelser kan ikke ændres.');
END;

CREATE TRIGGER agenda_approval_member_no_update BEFORE UPDATE ON agenda_approval_member
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkts godkendelser kan ikke ændres.');
END;

CREATE TRIGGER agenda_approval_member_no_delete BEFORE DELETE ON agenda_approval_member
BEGIN
    SELECT RAISE(ABORT, 'Et dagsordenspunkts godkendelser kan ikke slettes.');
END;
