-- One customer, many names (sources.md §1).
-- accounts gain their link fields: the website or e-mail domain as written, and the other
-- tools' ids for the account (a JSON array of texts, from the accounts file's id columns).
ALTER TABLE accounts ADD COLUMN domain TEXT;
ALTER TABLE accounts ADD COLUMN aliases TEXT;
-- The user's answers for values that matched no account (`cspulse link`, the app's link
-- step): VALUE is ACCOUNT_ID, or (account_id NULL) "not a customer". They belong to no
-- import batch: imports, undo and purges never touch them; every later import uses them.
CREATE TABLE links (
    value      TEXT PRIMARY KEY NOT NULL,
    account_id TEXT,
    linked_at  TEXT NOT NULL
);
