//! Import profiles in the database (table `profiles`, migration 0005): list, find by a
//! file's signature (the user's own, then [`profile::BUILT_IN`]), save, rename, delete,
//! import from and export to JSON. The profile format is in [`crate::import::profile`].

use super::Store;
use crate::error::{Error, Result};
use crate::import::profile::{self, Choices, Profile};
use crate::import::{Input, Options};
use rusqlite::{params, OptionalExtension};
use std::path::Path;

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn built_in() -> Vec<Profile> {
    profile::BUILT_IN
        .iter()
        .map(|f| Profile {
            built_in: true,
            ..f()
        })
        .collect()
}

/// Which profile an import uses, as the user named it (`--profile NAME|FILE.json`).
#[derive(Clone, Debug)]
pub enum ProfileChoice {
    /// A stored or built-in profile by name.
    Named(String),
    /// A profile file (not stored).
    File(std::path::PathBuf),
}

impl ProfileChoice {
    /// `NAME` or a path to a `.json` file.
    pub fn parse(text: &str) -> ProfileChoice {
        let p = Path::new(text);
        if text.to_ascii_lowercase().ends_with(".json") || p.is_file() {
            ProfileChoice::File(p.into())
        } else {
            ProfileChoice::Named(text.into())
        }
    }
}

impl Store {
    /// The user's profiles by name, then the built-in ones.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        let mut stmt = self
            .conn
            .prepare("SELECT body, used_at FROM profiles ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (body, used_at) in rows {
            let p = Profile::from_json(&body, Path::new("cspulse.db"))?;
            out.push(Profile { used_at, ..p });
        }
        out.extend(built_in());
        out.extend(crate::import::builtin::listed());
        Ok(out)
    }

    /// The profile named `name` (the user's own or built in).
    pub fn profile(&self, name: &str) -> Result<Profile> {
        self.profiles()?
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::NoSuchProfile(name.into()))
    }

    /// The profile for files with `signature`: the user's own first, then a built-in one.
    pub fn profile_for(&self, signature: &str) -> Result<Option<Profile>> {
        Ok(self
            .profiles()?
            .into_iter()
            .filter(|p| !p.signature.starts_with("built-in: "))
            .find(|p| p.signature == signature))
    }

    /// Adds `p` (from `profiles import`); a profile of that name must not exist.
    pub fn add_profile(&mut self, p: &Profile) -> Result<()> {
        if self.profiles()?.iter().any(|q| q.name == p.name) {
            return Err(Error::ProfileExists(p.name.clone()));
        }
        self.write_profile(p)
    }

    fn write_profile(&mut self, p: &Profile) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO profiles(name, signature, body, saved_at, used_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![p.name, p.signature, p.to_json(), p.saved_at, p.used_at],
        )?;
        Ok(())
    }

    /// Renames a profile of the user's.
    pub fn rename_profile(&mut self, old: &str, new: &str) -> Result<Profile> {
        let p = self.own_profile(old)?;
        if new.trim().is_empty() || self.profiles()?.iter().any(|q| q.name == new) {
            return Err(Error::ProfileExists(new.into()));
        }
        let renamed = Profile {
            name: new.trim().into(),
            ..p
        };
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM profiles WHERE name = ?1", [old])?;
        tx.execute(
            "INSERT INTO profiles(name, signature, body, saved_at, used_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![renamed.name, renamed.signature, renamed.to_json(), renamed.saved_at, renamed.used_at],
        )?;
        tx.commit()?;
        Ok(renamed)
    }

    /// Deletes a profile of the user's.
    pub fn delete_profile(&mut self, name: &str) -> Result<Profile> {
        let p = self.own_profile(name)?;
        self.conn
            .execute("DELETE FROM profiles WHERE name = ?1", [name])?;
        Ok(p)
    }

    fn own_profile(&self, name: &str) -> Result<Profile> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT body, used_at FROM profiles WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((b, used_at)) => Ok(Profile {
                used_at,
                ..Profile::from_json(&b, Path::new("cspulse.db"))?
            }),
            None => Err(Error::NoSuchProfile(name.into())),
        }
    }

    /// The options an import of `path` runs with, and the profile they came from: the
    /// profile the user named, else — when the user chose nothing (`opts` has no choices)
    /// — the profile saved for the file's signature. Writes nothing.
    pub fn profile_options(
        &self,
        path: &Path,
        input: Input,
        opts: &Options,
        chosen: Option<&ProfileChoice>,
    ) -> Result<(Options, Option<Profile>)> {
        let p = match chosen {
            Some(ProfileChoice::Named(n)) => Some(self.profile(n)?),
            Some(ProfileChoice::File(f)) => Some(Profile::read(f)?),
            None if Choices::of(opts).any() => None,
            // a file whose shape cannot be read has no profile: the import tells why
            None => match profile::signature(path, input) {
                Ok(sig) => self.profile_for(&sig)?,
                Err(_) => None,
            },
        };
        Ok(match p {
            Some(p) => (p.choices.apply(opts), Some(p)),
            None => (opts.clone(), None),
        })
    }

    /// After an import: records that `used` was used, or — when the user made choices
    /// (`opts`) and no profile was used — saves them as the profile for the file's
    /// signature (replacing the one saved for it before). Returns the profile saved.
    pub fn remember_profile(
        &mut self,
        path: &Path,
        input: Input,
        opts: &Options,
        used: Option<&Profile>,
    ) -> Result<Option<Profile>> {
        let now = now();
        if let Some(u) = used {
            self.conn.execute(
                "UPDATE profiles SET used_at = ?1 WHERE name = ?2",
                params![now, u.name],
            )?;
            return Ok(None);
        }
        let choices = Choices::of(opts);
        if !choices.any() {
            return Ok(None);
        }
        let sig = profile::signature(path, input)?;
        let existing: Option<String> = self
            .conn
            .query_row(
                "SELECT name FROM profiles WHERE signature = ?1 ORDER BY name LIMIT 1",
                [&sig],
                |r| r.get(0),
            )
            .optional()?;
        let name = match existing {
            Some(n) => n,
            None => {
                let base = profile::name_for(path);
                let taken: Vec<String> = self.profiles()?.into_iter().map(|p| p.name).collect();
                let mut name = base.clone();
                let mut n = 2;
                while taken.contains(&name) {
                    name = format!("{base} ({n})");
                    n += 1;
                }
                name
            }
        };
        let p = Profile::new(&name, sig, choices, &now);
        self.write_profile(&p)?;
        Ok(Some(p))
    }
}
