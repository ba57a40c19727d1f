-- PostgreSQL twin of db/migrations/0009_audit_speed.sql: the audit log newest first with any
-- filter, through an index in time order.
DROP INDEX IF EXISTS audit_log_scope;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_who_at ON audit_log (who, at);
CREATE INDEX audit_log_scope_at ON audit_log (secretariat_id, year, at);
CREATE INDEX audit_log_secretariat_at ON audit_log (secretariat_id, at);
CREATE INDEX audit_log_year_at ON audit_log (year, at);
