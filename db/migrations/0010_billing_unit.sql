-- A secretariat rounds in two places: the budget's contribution (often whole kroner, as
-- printed) and what billing charges (the final rate's amount, usually in øre). `unit` stays
-- the budget's unit; `billing_unit` is the new one. Billing has always been in øre where an
-- amount carried øre, so øre is the default.
ALTER TABLE secretariat ADD COLUMN billing_unit TEXT NOT NULL DEFAULT 'ore'
    CHECK (billing_unit IN ('ore', 'kr'));
