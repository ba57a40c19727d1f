-- Who changed what, as the database server knows it: on PostgreSQL a trigger fills db_user
-- with the login of the session that wrote the audit row (db/migrations_pg/0015), which the
-- program cannot forge. SQLite has no logins: the column stays '' here. It is not part of
-- the chain (core/chain.py FIELDS): the chain is the program's, db_user the server's.
ALTER TABLE audit_log ADD COLUMN db_user TEXT NOT NULL DEFAULT '';
