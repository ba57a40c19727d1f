-- PostgreSQL twin of db/migrations/0008_kommune_erp.sql: a kommune's CVR, EAN and account
-- string kept once per database (kommune_erp); member_erp keeps only a secretariat's own
-- values that differ (see the SQLite file for the rules of the move).

CREATE TABLE kommune_erp (
    kommune_code BIGINT PRIMARY KEY REFERENCES kommune(code),
    cvr          TEXT NOT NULL DEFAULT '',
    ean          TEXT NOT NULL DEFAULT '',
    account      TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL
);

INSERT INTO kommune_erp (kommune_code, cvr, ean, account, updated_at)
SELECT kommune_code, cvr, ean, account, updated_at FROM (
    SELECT kommune_code, cvr, ean, account, updated_at,
           row_number() OVER (
               PARTITION BY kommune_code
               ORDER BY CAST(cvr <> '' AS INTEGER) + CAST(ean <> '' AS INTEGER)
                        + CAST(account <> '' AS INTEGER) DESC,
                        updated_at DESC, secretariat_id DESC) AS rank
    FROM member_erp
    WHERE cvr <> '' OR ean <> '' OR account <> '') AS ranked
WHERE rank = 1;

DELETE FROM member_erp
WHERE (cvr = '' AND ean = '' AND account = '')
   OR EXISTS (SELECT 1 FROM kommune_erp k
              WHERE k.kommune_code = member_erp.kommune_code AND k.cvr = member_erp.cvr
                AND k.ean = member_erp.ean AND k.account = member_erp.account);

ALTER TABLE export_profile ADD COLUMN quote_text BIGINT NOT NULL DEFAULT 0;
