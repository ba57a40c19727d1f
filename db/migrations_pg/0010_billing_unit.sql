-- PostgreSQL twin of db/migrations/0010_billing_unit.sql: what billing charges is rounded in
-- its own unit (øre by default).
ALTER TABLE secretariat ADD COLUMN billing_unit TEXT NOT NULL DEFAULT 'ore'
    CHECK (billing_unit IN ('ore', 'kr'));
