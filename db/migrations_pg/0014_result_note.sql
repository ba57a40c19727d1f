-- PostgreSQL twin of db/migrations/0014_result_note.sql: a footnote on the «Overskud/
-- underskud» row per year and side, frozen as the lines' notes are. (SQLite's WITHOUT ROWID
-- has no counterpart and needs none: the key is the row's only identity here anyway.)

CREATE TABLE result_note (
    secretariat_id BIGINT NOT NULL REFERENCES secretariat(id),
    year           BIGINT NOT NULL,      -- the year of the budget or regnskab
    field          TEXT NOT NULL CHECK (field IN ('budget', 'actual')),
    text           TEXT NOT NULL CHECK (length(trim(text)) > 0),
    PRIMARY KEY (secretariat_id, year, field)
);

CREATE FUNCTION kkr_result_note_frozen_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                 AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
       OR (NEW.field = 'budget'
           AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)) THEN
        RAISE EXCEPTION 'Låst: noten til overskud/underskud indgår i en godkendt opgørelse. Opret en ny revision for at ændre den.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER result_note_frozen_insert BEFORE INSERT ON result_note
    FOR EACH ROW EXECUTE FUNCTION kkr_result_note_frozen_insert();

CREATE FUNCTION kkr_result_note_frozen_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.secretariat_id IS DISTINCT FROM OLD.secretariat_id
        OR NEW.year IS DISTINCT FROM OLD.year
        OR NEW.field IS DISTINCT FROM OLD.field OR NEW.text IS DISTINCT FROM OLD.text)
       AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                      AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
            OR (OLD.field = 'budget'
                AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                              AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year))
            OR EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
            OR (NEW.field = 'budget'
                AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                              AND a.secretariat_id = NEW.secretariat_id
                              AND a.year = NEW.year))) THEN
        RAISE EXCEPTION 'Låst: noten til overskud/underskud indgår i en godkendt opgørelse. Opret en ny revision for at ændre den.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER result_note_frozen_update BEFORE UPDATE ON result_note
    FOR EACH ROW EXECUTE FUNCTION kkr_result_note_frozen_update();

CREATE FUNCTION kkr_result_note_frozen_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                 AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year + 1)
       OR (OLD.field = 'budget'
           AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = OLD.secretariat_id AND a.year = OLD.year)) THEN
        RAISE EXCEPTION 'Låst: noten til overskud/underskud indgår i en godkendt opgørelse og kan ikke slettes. Opret en ny revision for at ændre den.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER result_note_frozen_delete BEFORE DELETE ON result_note
    FOR EACH ROW EXECUTE FUNCTION kkr_result_note_frozen_delete();
