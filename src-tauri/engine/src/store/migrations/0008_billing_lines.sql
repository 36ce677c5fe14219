-- A billing export's lines (sources.md §5): the batch's revenue rows are the MRR derived
-- from them; the lines are kept for lineage (which lines made which MRR, and why the others
-- did not count). Amounts in major units, net of tax, credits negative. They belong to the
-- revenue batch: undo hides them with it, a purge deletes them with its rows.
CREATE TABLE billing_lines (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  customer TEXT NOT NULL,
  amount REAL,
  currency TEXT,
  period_start TEXT,
  period_end TEXT,
  status TEXT NOT NULL,
  line_type TEXT NOT NULL,
  not_mrr TEXT,
  months INTEGER NOT NULL,
  mrr_per_month REAL
);
CREATE INDEX billing_lines_batch ON billing_lines(batch_id);
