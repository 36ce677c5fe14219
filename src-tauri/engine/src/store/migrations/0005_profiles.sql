-- Import profiles (sources.md §6): what was decided for a file, under its signature.
-- `body` is the profile as versioned JSON (import/profile.rs); undo never touches this table.
CREATE TABLE profiles (
    name TEXT PRIMARY KEY NOT NULL,
    signature TEXT NOT NULL,
    body TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX profiles_signature ON profiles(signature);
