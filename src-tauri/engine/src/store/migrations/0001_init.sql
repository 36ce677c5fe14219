-- CS Pulse schema v1: import batches with lineage, the eleven dataset kinds, settings.
-- Dates are ISO text (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS), months YYYY-MM, booleans 0/1.
-- Every data row belongs to exactly one batch; deleting a batch deletes exactly its rows.

CREATE TABLE batches (
  id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: scripts may remember ids
  file_name     TEXT NOT NULL,
  file_path     TEXT NOT NULL,
  sheet         TEXT,
  kind          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  header_row    INTEGER NOT NULL,
  mapping       TEXT NOT NULL,   -- JSON object field -> column header
  rows_imported INTEGER NOT NULL,
  rows_skipped  INTEGER NOT NULL,
  issues        TEXT NOT NULL,   -- JSON array of issues
  source        TEXT NOT NULL DEFAULT 'file', -- 'file' or 'demo'
  imported_at   TEXT NOT NULL    -- UTC, ISO 8601
);
CREATE INDEX batches_sha256 ON batches(sha256);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  account_id TEXT NOT NULL, name TEXT, segment TEXT, plan TEXT, owner TEXT, region TEXT,
  start_date TEXT, churn_date TEXT, renewal_date TEXT, seats INTEGER, mrr REAL,
  onboarded_date TEXT
);
CREATE INDEX accounts_batch ON accounts(batch_id);

CREATE TABLE revenue (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  account_id TEXT NOT NULL, month TEXT NOT NULL, mrr REAL NOT NULL, currency TEXT
);
CREATE INDEX revenue_batch ON revenue(batch_id);

CREATE TABLE renewals (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  account_id TEXT NOT NULL, due_date TEXT NOT NULL, outcome TEXT NOT NULL, amount REAL
);
CREATE INDEX renewals_batch ON renewals(batch_id);

CREATE TABLE surveys (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  response_id TEXT, account_id TEXT, date TEXT NOT NULL, nps INTEGER, csat INTEGER,
  ces INTEGER, comment TEXT
);
CREATE INDEX surveys_batch ON surveys(batch_id);

CREATE TABLE tickets (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  ticket_id TEXT NOT NULL, account_id TEXT, created_at TEXT NOT NULL,
  first_response_at TEXT, first_response_minutes REAL, resolved_at TEXT, contacts INTEGER,
  first_contact_resolution INTEGER, channel TEXT
);
CREATE INDEX tickets_batch ON tickets(batch_id);

CREATE TABLE usage (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  account_id TEXT NOT NULL, user_id TEXT NOT NULL, date TEXT NOT NULL, sessions INTEGER,
  session_seconds REAL, feature TEXT
);
CREATE INDEX usage_batch ON usage(batch_id);
CREATE INDEX usage_date ON usage(date);

CREATE TABLE touchpoints (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  account_id TEXT NOT NULL, date TEXT NOT NULL, type TEXT, owner TEXT
);
CREATE INDEX touchpoints_batch ON touchpoints(batch_id);

CREATE TABLE campaigns (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  date TEXT NOT NULL, channel TEXT NOT NULL, name TEXT,
  sent INTEGER, delivered INTEGER, opened INTEGER, clicked INTEGER, converted INTEGER,
  unsubscribed INTEGER, page_views REAL, sessions REAL, bounces REAL, exits REAL,
  duration_seconds REAL, likes INTEGER, shares INTEGER, comments INTEGER, clicks INTEGER,
  registrations INTEGER, attendees INTEGER, interactions INTEGER
);
CREATE INDEX campaigns_batch ON campaigns(batch_id);

CREATE TABLE costs (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  month TEXT NOT NULL, type TEXT NOT NULL, category TEXT, amount REAL NOT NULL
);
CREATE INDEX costs_batch ON costs(batch_id);

CREATE TABLE leads (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  lead_id TEXT NOT NULL, created_date TEXT NOT NULL, converted_date TEXT, type TEXT
);
CREATE INDEX leads_batch ON leads(batch_id);

CREATE TABLE orders (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  src_row INTEGER NOT NULL,
  order_id TEXT NOT NULL, account_id TEXT NOT NULL, date TEXT NOT NULL, amount REAL NOT NULL
);
CREATE INDEX orders_batch ON orders(batch_id);
