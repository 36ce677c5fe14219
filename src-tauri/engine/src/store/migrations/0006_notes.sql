-- The CS lead's notes (insights.md §7): per month an executive summary ('summary'), a note
-- per KPI ('kpi:<id>') and an action per account ('account:<id>', with an optional owner
-- and due date). They belong to no import batch: imports, undo, take-back and purges never
-- touch them; a backup copies them with the rest of the file.
CREATE TABLE notes (
    month    TEXT NOT NULL,
    key      TEXT NOT NULL,
    text     TEXT NOT NULL,
    owner    TEXT,
    due_date TEXT,
    PRIMARY KEY (month, key)
);
