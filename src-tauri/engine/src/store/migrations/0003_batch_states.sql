-- Batch states (README "Durability"). Readers see the rows of 'live' batches only.
--   staging  an import is writing it in short transactions; a new import that finds one while
--            it holds the import lock knows its import died, and removes it
--   live     committed: every reader sees it
--   undone   hidden by an undo or by clearing the sample data; taken back until the next
--            import commits (or an explicit purge)
--   purging  its rows are being deleted (replaced, purged, or an import that failed)
--   purged   no rows left; the batch's id stays so that a take-back can say it is gone
ALTER TABLE batches ADD COLUMN state TEXT NOT NULL DEFAULT 'live';
-- two imports of the same file at once could both commit before this version: the later
-- copies are hidden (undone), not deleted
UPDATE batches SET state = 'undone'
 WHERE EXISTS (SELECT 1 FROM batches b
                WHERE b.sha256 = batches.sha256
                  AND coalesce(b.sheet, '') = coalesce(batches.sheet, '')
                  AND b.id < batches.id);
-- one live batch per file (SHA-256) and sheet: the import's commit checks it, and the index
-- refuses a second one whatever the order of two racing imports
DROP INDEX IF EXISTS batches_sha256;
CREATE UNIQUE INDEX batches_file ON batches(sha256, coalesce(sheet, '')) WHERE state = 'live';
