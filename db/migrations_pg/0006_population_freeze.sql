-- PostgreSQL twin of db/migrations/0006_population_freeze.sql: the population figures an
-- approved allocation was keyed on stay as approved while the approval is in force; writing
-- the same figure again is allowed. (An INSERT … ON CONFLICT onto a frozen figure is caught
-- by the INSERT trigger, as SQLite's INSERT OR REPLACE is.)

CREATE FUNCTION kkr_population_frozen_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ((NEW.kommune_code IS DISTINCT FROM OLD.kommune_code
         OR NEW.quarter IS DISTINCT FROM OLD.quarter)
        AND EXISTS (SELECT 1 FROM approval ap
                    JOIN approval_allocation aa ON aa.approval_id = ap.id
                    JOIN allocation a ON a.id = aa.allocation_id
                    JOIN allocation_row r ON r.allocation_id = a.id
                    WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
                      AND ((a.quarter = OLD.quarter AND r.kommune_code = OLD.kommune_code)
                           OR (a.quarter = NEW.quarter AND r.kommune_code = NEW.kommune_code))))
       OR (NEW.value IS DISTINCT FROM OLD.value
           AND EXISTS (SELECT 1 FROM approval ap
                       JOIN approval_allocation aa ON aa.approval_id = ap.id
                       JOIN allocation a ON a.id = aa.allocation_id
                       JOIN allocation_row r ON r.allocation_id = a.id
                       WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
                         AND a.quarter = NEW.quarter AND r.kommune_code = NEW.kommune_code
                         AND r.weight IS DISTINCT FROM CAST(NEW.value AS TEXT))) THEN
        RAISE EXCEPTION 'Låst: folketallet indgår i en godkendt fordeling og kan ikke ændres. Opret en ny revision af opgørelsen for at ændre det.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER population_frozen_update BEFORE UPDATE ON population
    FOR EACH ROW EXECUTE FUNCTION kkr_population_frozen_update();

CREATE FUNCTION kkr_population_frozen_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM approval ap
               JOIN approval_allocation aa ON aa.approval_id = ap.id
               JOIN allocation a ON a.id = aa.allocation_id
               JOIN allocation_row r ON r.allocation_id = a.id
               WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
                 AND a.quarter = OLD.quarter AND r.kommune_code = OLD.kommune_code) THEN
        RAISE EXCEPTION 'Låst: folketallet indgår i en godkendt fordeling og kan ikke slettes. Opret en ny revision af opgørelsen for at ændre det.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER population_frozen_delete BEFORE DELETE ON population
    FOR EACH ROW EXECUTE FUNCTION kkr_population_frozen_delete();

CREATE FUNCTION kkr_population_frozen_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM approval ap
               JOIN approval_allocation aa ON aa.approval_id = ap.id
               JOIN allocation a ON a.id = aa.allocation_id
               JOIN allocation_row r ON r.allocation_id = a.id
               WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'
                 AND a.quarter = NEW.quarter AND r.kommune_code = NEW.kommune_code
                 AND r.weight IS DISTINCT FROM CAST(NEW.value AS TEXT)) THEN
        RAISE EXCEPTION 'Låst: folketallet indgår i en godkendt fordeling og kan ikke ændres. Opret en ny revision af opgørelsen for at ændre det.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER population_frozen_insert BEFORE INSERT ON population
    FOR EACH ROW EXECUTE FUNCTION kkr_population_frozen_insert();
