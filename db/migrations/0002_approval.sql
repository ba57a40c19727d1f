-- Approvals of statements (issue: approval and the printed documents).
SELECT 1;
