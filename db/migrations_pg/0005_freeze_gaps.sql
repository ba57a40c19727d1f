-- PostgreSQL twin of db/migrations/0005_freeze_gaps.sql: a line moved INTO a frozen year, a
-- new contribution or payout for an approved year, and an insert colliding with a frozen
-- line. PostgreSQL has no REPLACE; the collision trigger still refuses, with its Danish text,
-- an INSERT … ON CONFLICT (DO UPDATE or DO NOTHING) whose proposed row meets a frozen line
-- (BEFORE INSERT triggers fire before the conflict is resolved).

CREATE FUNCTION kkr_statement_line_frozen_move_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.secretariat_id IS DISTINCT FROM OLD.secretariat_id
        OR NEW.year IS DISTINCT FROM OLD.year)
       AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                      AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year + 1)
            OR (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                          AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year)
                AND (NEW.budget IS NOT NULL OR NEW.budget_note <> ''))) THEN
        RAISE EXCEPTION 'Låst: posten kan ikke flyttes ind i en godkendt opgørelse. Opret en ny revision for at ændre den.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER statement_line_frozen_move_in BEFORE UPDATE ON statement_line
    FOR EACH ROW EXECUTE FUNCTION kkr_statement_line_frozen_move_in();

CREATE FUNCTION kkr_allocation_frozen_year_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('contribution', 'payout')
       AND EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                     AND a.secretariat_id = NEW.secretariat_id AND a.year = NEW.year) THEN
        RAISE EXCEPTION 'Låst: opgørelsen for året er godkendt med sin fordeling. Opret en ny revision for at gemme en anden fordeling.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER allocation_frozen_year_insert BEFORE INSERT ON allocation
    FOR EACH ROW EXECUTE FUNCTION kkr_allocation_frozen_year_insert();

CREATE FUNCTION kkr_statement_line_frozen_replace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM statement_line s
        WHERE (s.id = NEW.id
               OR (s.secretariat_id = NEW.secretariat_id AND s.year = NEW.year
                   AND s.name = NEW.name))
          AND (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                         AND a.secretariat_id = s.secretariat_id AND a.year = s.year + 1)
               OR (EXISTS (SELECT 1 FROM approval a WHERE a.superseded_at IS NULL
                             AND a.secretariat_id = s.secretariat_id AND a.year = s.year)
                   AND (s.budget IS NOT NULL OR s.budget_note <> '')))) THEN
        RAISE EXCEPTION 'Låst: posten indgår i en godkendt opgørelse og kan ikke erstattes. Opret en ny revision for at ændre den.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER statement_line_frozen_replace BEFORE INSERT ON statement_line
    FOR EACH ROW EXECUTE FUNCTION kkr_statement_line_frozen_replace();
