-- The audit log (Ændringslog and `audit`) newest first with any filter, in time at a
-- million rows: each filter walks an index in time order and stops at the page's end.
-- (secretariat_id, year) is the prefix of audit_log_scope_at and is dropped.
DROP INDEX IF EXISTS audit_log_scope;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_who_at ON audit_log (who, at);
CREATE INDEX audit_log_scope_at ON audit_log (secretariat_id, year, at);
CREATE INDEX audit_log_secretariat_at ON audit_log (secretariat_id, at);
CREATE INDEX audit_log_year_at ON audit_log (year, at);
