-- A kommune's CVR, EAN and account string are facts about the kommune, not about the
-- secretariat that bills it: they are kept once per database in kommune_erp and offered to
-- every secretariat. member_erp stays, now holding only a secretariat's own values for a
-- kommune (an override: another account string for this secretariat's bills, say).
--
-- Moving the values typed per secretariat:
--   * a kommune gets the values of its most complete row (most fields filled in), and among
--     equally complete rows the most recently updated one (then the highest secretariat id,
--     so the choice never depends on the order SQLite happens to read rows in);
--   * a secretariat whose row equals those values, or has nothing typed at all, loses its
--     row: it now reads the shared values;
--   * a secretariat whose row differs keeps it as its own override, so no secretariat's next
--     export bills with other numbers than it did before this migration. The window marks
--     such rows («Kun dette sekretariat»); unticking it makes the shared values apply.
--
-- The profile option quote_text writes the CSV's text fields (CVR, EAN, konto, …) inside
-- "…", which some ERP imports need to read a code as text.

CREATE TABLE kommune_erp (
    kommune_code INTEGER PRIMARY KEY REFERENCES kommune(code),
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
               ORDER BY (cvr <> '') + (ean <> '') + (account <> '') DESC,
                        updated_at DESC, secretariat_id DESC) AS rank
    FROM member_erp
    WHERE cvr <> '' OR ean <> '' OR account <> '')
WHERE rank = 1;

DELETE FROM member_erp
WHERE (cvr = '' AND ean = '' AND account = '')
   OR EXISTS (SELECT 1 FROM kommune_erp k
              WHERE k.kommune_code = member_erp.kommune_code AND k.cvr = member_erp.cvr
                AND k.ean = member_erp.ean AND k.account = member_erp.account);

ALTER TABLE export_profile ADD COLUMN quote_text INTEGER NOT NULL DEFAULT 0;
