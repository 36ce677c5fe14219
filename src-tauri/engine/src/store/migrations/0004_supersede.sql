-- Re-imports and overlapping exports (datasets.md "Re-imports"; README "Supersede by key").
-- Across imports of one kind, a later import's rows supersede the earlier imports' rows with
-- the same key (or, for usage, touchpoints and surveys without a response id, dated within
-- its period). A rule of reading: every batch keeps its rows.
--   overlap    'supersede' (the default) or 'add' (the user chose "add as additional
--              records": this batch's rows supersede nothing)
--   import_no  the first batch id of the import that wrote the batch: the sheets of one
--              file are one import and never supersede each other; a later import has a
--              larger number
--   period_first, period_last
--              the first and last day (YYYY-MM-DD) among the batch's rows that the period
--              rule applies to (usage, touchpoints: all; surveys: those without a
--              response id); NULL for the other kinds or when there is none
ALTER TABLE batches ADD COLUMN overlap TEXT NOT NULL DEFAULT 'supersede'
  CHECK (overlap IN ('supersede', 'add'));
ALTER TABLE batches ADD COLUMN import_no INTEGER;
ALTER TABLE batches ADD COLUMN period_first TEXT;
ALTER TABLE batches ADD COLUMN period_last TEXT;
-- batches written before this version: one import per file and import time
UPDATE batches SET import_no = (SELECT min(b.id) FROM batches b
                                 WHERE b.sha256 = batches.sha256
                                   AND b.imported_at = batches.imported_at);
UPDATE batches SET period_first = p.a, period_last = p.b
  FROM (SELECT batch_id, min(substr(date, 1, 10)) AS a, max(substr(date, 1, 10)) AS b
          FROM usage GROUP BY batch_id) AS p
 WHERE p.batch_id = batches.id;
UPDATE batches SET period_first = p.a, period_last = p.b
  FROM (SELECT batch_id, min(substr(date, 1, 10)) AS a, max(substr(date, 1, 10)) AS b
          FROM touchpoints GROUP BY batch_id) AS p
 WHERE p.batch_id = batches.id;
UPDATE batches SET period_first = p.a, period_last = p.b
  FROM (SELECT batch_id, min(substr(date, 1, 10)) AS a, max(substr(date, 1, 10)) AS b
          FROM surveys WHERE response_id IS NULL GROUP BY batch_id) AS p
 WHERE p.batch_id = batches.id;
