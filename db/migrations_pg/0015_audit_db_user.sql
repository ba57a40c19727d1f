-- PostgreSQL twin of db/migrations/0015_audit_db_user.sql, and two triggers only PostgreSQL
-- has: the server records in db_user the login that wrote each audit row (whatever the
-- client sends), and announces every audit row on channel kkr_change (delivered at commit,
-- never for a rolled-back change), so that open windows can read what others changed.
-- db_user is not part of the chain (core/chain.py FIELDS).

ALTER TABLE audit_log ADD COLUMN db_user TEXT NOT NULL DEFAULT '';

CREATE FUNCTION kkr_audit_log_db_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_user := session_user;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_db_user BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION kkr_audit_log_db_user();

CREATE FUNCTION kkr_audit_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kkr_change', json_build_object(
        'id', NEW.id, 'tbl', NEW.tbl, 'key', NEW.key, 'secretariat_id', NEW.secretariat_id,
        'year', NEW.year, 'who', NEW.who, 'db_user', NEW.db_user, 'action', NEW.action)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION kkr_audit_log_notify();
