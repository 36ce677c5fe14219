-- Loading a month of usage reads a contiguous part of the table: a full scan of 1M rows
-- (~0.13 s) beats the date index (~0.35–0.6 s of random page reads), and keeping that
-- index while importing rows in file order made a 1M-row import 10× slower. So no index.
DROP INDEX IF EXISTS usage_date;
-- The batch index is dropped for the same reason: undoing a usage batch scans the table
-- once (~0.15 s per million rows), which is cheaper than maintaining the index on every
-- imported row. The small tables keep theirs.
DROP INDEX IF EXISTS usage_batch;
