//! One customer, many names, in the database (`sources.md` §1; migration 0007): the
//! accounts' link fields (`domain`, `aliases`), the user's answers for values that matched
//! no account (table `links`: VALUE is ACCOUNT_ID, or "not a customer"), and the
//! [`Resolver`] an import resolves every other dataset's account column with.
//!
//! The app's link step uses [`Store::unmatched_proposals`] (similar accounts for a value,
//! never applied by themselves) and [`Store::link`] (store the user's answer); the CLI's
//! `cspulse link` does the same.

use super::Store;
use crate::error::{Error, Result};
use crate::sources::identity::{AccountLinks, By, Directory, Resolution};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// One stored answer: `value` (as a file writes it) is the account `account_id`, or, when
/// that is `None`, not a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Link {
    pub value: String,
    pub account_id: Option<String>,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub linked_at: String,
}

/// An account proposed for a value that matched none (similar name), for the user to
/// confirm: never applied by itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ProposedAccount {
    pub account_id: String,
    pub name: String,
    /// Jaro–Winkler similarity of the name keys, 0.85 … 1.
    pub similarity: f64,
}

/// The link fields of every account in live batches (a later batch's row of an account
/// replaces an earlier one), in first-seen order; `without_demo` leaves out the sample
/// company's accounts (an import that replaces the sample resolves against the user's own).
pub(super) fn account_links(
    conn: &Connection,
    without_demo: bool,
) -> rusqlite::Result<Vec<AccountLinks>> {
    let mut conds: Vec<String> = Vec::new();
    conds.push("batch_id IN (SELECT id FROM batches WHERE state = 'live')".into());
    if without_demo {
        conds.push("batch_id IN (SELECT id FROM batches WHERE source <> 'demo')".into());
    }
    let sql = format!(
        "SELECT account_id, name, domain, aliases FROM accounts WHERE {} ORDER BY batch_id, src_row",
        conds.join(" AND ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out: Vec<AccountLinks> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for row in rows {
        let (account_id, name, domain, aliases) = row?;
        let a = AccountLinks {
            account_id: account_id.clone(),
            name: name.unwrap_or_default(),
            domain,
            aliases: parse_aliases(aliases.as_deref()),
        };
        match at.get(&account_id) {
            Some(&i) => out[i] = a,
            None => {
                at.insert(account_id, out.len());
                out.push(a);
            }
        }
    }
    Ok(out)
}

/// The `aliases` column: a JSON array of texts (a damaged value gives none).
pub(crate) fn parse_aliases(text: Option<&str>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str::<Vec<String>>(t).ok())
        .unwrap_or_default()
}

fn stored_links(conn: &Connection) -> rusqlite::Result<Vec<Link>> {
    let mut stmt = conn.prepare("SELECT value, account_id, linked_at FROM links ORDER BY value")?;
    let rows = stmt.query_map([], |r| {
        Ok(Link {
            value: r.get(0)?,
            account_id: r.get(1)?,
            linked_at: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The accounts with the user's answers applied: a value linked to an account is one more
/// alias of it; values marked "not a customer" are returned apart.
pub(super) fn with_answers(
    mut accounts: Vec<AccountLinks>,
    links: &[Link],
) -> (Vec<AccountLinks>, Vec<String>) {
    let at: std::collections::HashMap<String, usize> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.account_id.clone(), i))
        .collect();
    let mut none = Vec::new();
    for l in links {
        match &l.account_id {
            Some(id) => {
                if let Some(&i) = at.get(id) {
                    accounts[i].aliases.push(l.value.clone());
                }
            }
            None => none.push(l.value.clone()),
        }
    }
    (accounts, none)
}

/// Resolves account columns at import: the accounts' link fields and the user's answers,
/// indexed once; the accounts of the file being imported are added as its tables pass.
pub(crate) struct Resolver {
    accounts: Vec<AccountLinks>,
    not_customers: Vec<String>,
    links: Vec<Link>,
    dir: Directory,
    /// Accounts added since `dir` was built.
    stale: bool,
}

impl Resolver {
    pub(crate) fn new(accounts: Vec<AccountLinks>, links: Vec<Link>) -> Resolver {
        let (accounts, not_customers) = with_answers(accounts, &links);
        let dir = Directory::build(&accounts).with_not_customers(not_customers.clone());
        Resolver {
            accounts,
            not_customers,
            links,
            dir,
            stale: false,
        }
    }

    /// Are there accounts to resolve against? Without any, account columns are taken as
    /// written (nothing to link them to yet).
    pub(crate) fn active(&self) -> bool {
        !self.accounts.is_empty()
    }

    /// An account of the file being imported (its accounts table came first): later tables
    /// of the same file resolve against it too.
    pub(crate) fn add_account(&mut self, a: AccountLinks) {
        match self
            .accounts
            .iter_mut()
            .find(|x| x.account_id == a.account_id)
        {
            Some(x) => *x = a,
            None => self.accounts.push(a),
        }
        self.stale = true;
    }

    /// Rebuilds the index after accounts were added (the stored answers applied again).
    pub(crate) fn refresh(&mut self) {
        if self.stale {
            let plain: Vec<AccountLinks> = self.accounts.clone();
            let (accounts, _) = with_answers(plain, &self.links);
            self.dir = Directory::build(&accounts).with_not_customers(self.not_customers.clone());
            self.stale = false;
        }
    }

    pub(crate) fn resolve(&self, value: &str) -> Resolution {
        self.dir.resolve(value)
    }

    pub(crate) fn account_id(&self, index: usize) -> &str {
        &self.accounts[index].account_id
    }

    pub(crate) fn proposals(&self, value: &str, n: usize) -> Vec<ProposedAccount> {
        self.dir
            .proposals(value, n)
            .into_iter()
            .map(|p| ProposedAccount {
                account_id: self.accounts[p.index].account_id.clone(),
                name: self.accounts[p.index].name.clone(),
                similarity: p.similarity,
            })
            .collect()
    }
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// Every account's link fields (the live batches), with the user's linked values as
    /// aliases: what the accounts screen shows as an account's other names.
    pub fn account_links(&self) -> Result<Vec<AccountLinks>> {
        let accounts = account_links(&self.conn, false)?;
        let links = stored_links(&self.conn)?;
        Ok(with_answers(accounts, &links).0)
    }

    /// The resolver an import uses (`without_demo`: the sample company's accounts left out).
    pub(crate) fn resolver(&self, without_demo: bool) -> Result<Resolver> {
        Ok(Resolver::new(
            account_links(&self.conn, without_demo)?,
            stored_links(&self.conn)?,
        ))
    }

    /// The stored answers, by value.
    pub fn links(&self) -> Result<Vec<Link>> {
        Ok(stored_links(&self.conn)?)
    }

    /// What the app's link step works with: every account the user imported (not the
    /// sample company's) with its other names, and the answers given so far.
    pub fn link_book(&self) -> Result<LinkBook> {
        let accounts = account_links(&self.conn, true)?;
        let links = stored_links(&self.conn)?;
        Ok(LinkBook {
            accounts: with_answers(accounts, &links).0,
            links,
        })
    }

    /// Stores the user's answer for `value` (as a file writes it; surrounding spaces do not
    /// count): it is the account `account_id`, or (`None`) not a customer. Every later
    /// import uses it; an earlier answer for the value is replaced. The account must be one
    /// of the imported accounts.
    pub fn link(&mut self, value: &str, account_id: Option<&str>) -> Result<Link> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Error::EmptyLinkValue);
        }
        let account_id = account_id.map(str::trim);
        if let Some(id) = account_id {
            let known = account_links(&self.conn, false)?
                .iter()
                .any(|a| a.account_id == id);
            if !known {
                return Err(Error::NoSuchAccount(id.to_owned()));
            }
        }
        let link = Link {
            value: value.to_owned(),
            account_id: account_id.map(str::to_owned),
            linked_at: now(),
        };
        self.short_write(|tx| {
            tx.execute(
                "INSERT INTO links(value, account_id, linked_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(value) DO UPDATE SET account_id = excluded.account_id, linked_at = excluded.linked_at",
                params![link.value, link.account_id, link.linked_at],
            )?;
            Ok(())
        })?;
        Ok(link)
    }

    /// Forgets the answer for `value`; whether there was one.
    pub fn unlink(&mut self, value: &str) -> Result<bool> {
        let value = value.trim().to_owned();
        self.short_write(|tx| Ok(tx.execute("DELETE FROM links WHERE value = ?1", [&value])? > 0))
    }

    /// The stored answer for `value`, if any.
    pub fn link_of(&self, value: &str) -> Result<Option<Link>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value, account_id, linked_at FROM links WHERE value = ?1",
                [value.trim()],
                |r| {
                    Ok(Link {
                        value: r.get(0)?,
                        account_id: r.get(1)?,
                        linked_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Up to `n` accounts with names like `value` (a value an import listed as matching no
    /// account), best first: what the link step proposes. Nothing is linked by this.
    pub fn unmatched_proposals(&self, value: &str, n: usize) -> Result<Vec<ProposedAccount>> {
        Ok(self.resolver(false)?.proposals(value, n))
    }

    /// What `value` resolves to now: the account id and the rule, or `None`.
    pub fn resolve_value(&self, value: &str) -> Result<Option<(String, By)>> {
        let r = self.resolver(false)?;
        Ok(match r.resolve(value) {
            Resolution::Account { index, by } => Some((r.account_id(index).to_owned(), by)),
            _ => None,
        })
    }
}

/// The accounts a value can be linked to, with what they are called elsewhere (domain,
/// other tools' ids, values linked before), and the answers stored: the app's link step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LinkBook {
    /// By account id.
    pub accounts: Vec<AccountLinks>,
    /// By value.
    pub links: Vec<Link>,
}

/// How an import linked one table's account column (`import --json` → `links`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LinkReport {
    /// The column that names the customer, as headed in the file.
    pub column: String,
    /// Records linked by each rule: our account id, another tool's id (alias, or a value
    /// the user linked), the domain of an e-mail address or website, the normalised name.
    #[ts(type = "number")]
    pub by_account_id: u64,
    #[ts(type = "number")]
    pub by_alias: u64,
    #[ts(type = "number")]
    pub by_domain: u64,
    #[ts(type = "number")]
    pub by_name: u64,
    /// Each value linked by alias, domain or name: which account, by what, how many rows.
    pub links: Vec<LinkMade>,
    /// Values that matched no account, most rows first; their rows are not imported.
    pub unmatched: Vec<UnmatchedValue>,
    /// Values that fit several accounts (not guessed); their rows are not imported.
    pub ambiguous: Vec<AmbiguousValue>,
    /// Rows of values the user marked "not a customer" (not imported).
    #[ts(type = "number")]
    pub not_a_customer: u64,
    /// Values beyond the first [`LISTED_VALUES`] of `links`, `unmatched` and `ambiguous`.
    #[ts(type = "number")]
    pub values_not_listed: u64,
}

/// How many values a [`LinkReport`] lists per list.
pub const LISTED_VALUES: usize = 1000;
/// How many unmatched values get proposals (the most frequent first).
const PROPOSED_VALUES: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LinkMade {
    pub value: String,
    pub account_id: String,
    pub by: By,
    #[ts(type = "number")]
    pub rows: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnmatchedValue {
    pub value: String,
    #[ts(type = "number")]
    pub rows: u64,
    /// The first row holding it, as the user sees it.
    pub first_row: u32,
    /// An address at a free-mail provider: it names a person, never a customer.
    pub free_mail: bool,
    /// Accounts with similar names, best first: to confirm, never applied.
    pub proposals: Vec<ProposedAccount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AmbiguousValue {
    pub value: String,
    #[ts(type = "number")]
    pub rows: u64,
    pub first_row: u32,
    /// The rule that found several accounts (domain or name; alias when two accounts carry
    /// the same other tool's id).
    pub by: By,
    pub candidates: Vec<String>,
}

/// One distinct value of a table's account column, resolved once.
struct Slot {
    value: String,
    res: Resolution,
    rows: u64,
    first_row: u32,
}

/// A value of up to 31 bytes, as a key held in the table itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Short {
    len: u8,
    bytes: [u8; 31],
}

impl Short {
    fn of(text: &str) -> Option<Short> {
        let b = text.as_bytes();
        (b.len() <= 31).then(|| {
            let mut bytes = [0u8; 31];
            bytes[..b.len()].copy_from_slice(b);
            Short {
                len: b.len() as u8,
                bytes,
            }
        })
    }
}

/// What the rows of one value become, and their count (see [`TableLinks::row`]).
#[derive(Clone, Copy)]
struct Hot {
    slot: u32,
    rows: u64,
    /// The last row counted (`u32::MAX`: none yet): a row with several records counts once.
    last_row: u32,
    outcome: Outcome,
}

#[derive(Clone, Copy)]
enum Outcome {
    /// Written as it is (an empty cell, or the account id itself; `by` counts it).
    Keep(Option<u8>),
    /// Written as the account id at `ids[start..start + len]`.
    As {
        start: u32,
        len: u32,
        by: u8,
    },
    Drop,
}

/// What [`TableLinks::row`] makes of a record.
pub(crate) enum Linked<'r> {
    /// As written (the account id itself, or an empty cell).
    Keep,
    /// The value in this field is another tool's name for this account id.
    As(usize, &'r str),
    /// Not imported (listed at the table's end).
    Drop,
}

/// The resolution of one table's account column while its rows stream through.
pub(crate) struct TableLinks {
    /// Index of `account_id` among the kind's fields.
    field: usize,
    column: String,
    sheet: Option<String>,
    /// Per distinct value, what its rows become: short values (nearly all: ids, e-mails,
    /// names) keyed by their bytes held in the table itself, so that a row costs one lookup
    /// in a compact table and no pointer to follow (a 1M-row event export against 10k
    /// accounts: the lookups were a fifth of the import's time with a `String` key and a
    /// slot beside it); the account ids written in place of the values in `ids`.
    short: rustc_hash::FxHashMap<Short, Hot>,
    long: rustc_hash::FxHashMap<String, Hot>,
    ids: String,
    slots: Vec<Slot>,
    by: [u64; 4],
    /// Records dropped (wide revenue: several per row) and rows skipped.
    dropped: usize,
    skipped: usize,
    last_skipped: Option<u32>,
}

fn by_index(by: By) -> usize {
    match by {
        By::AccountId => 0,
        By::Alias => 1,
        By::Domain => 2,
        By::Name => 3,
    }
}

impl TableLinks {
    /// For a table of `head`'s kind with an account column, other than accounts.
    pub(crate) fn new(head: &crate::import::TableHead) -> Option<TableLinks> {
        if head.kind == crate::model::Kind::Accounts {
            return None;
        }
        let field = crate::import::fields::fields(head.kind)
            .iter()
            .position(|f| f.id == "account_id")?;
        let column = head
            .mapping
            .iter()
            .find(|(f, _)| *f == "account_id")
            .map(|(_, c)| c.clone())?;
        Some(TableLinks {
            field,
            column,
            sheet: head.sheet.clone(),
            short: Default::default(),
            long: Default::default(),
            ids: String::new(),
            slots: Vec::new(),
            by: [0; 4],
            dropped: 0,
            skipped: 0,
            last_skipped: None,
        })
    }

    /// The same table read again from its first row (a column turned out to be written
    /// differently): nothing counted yet.
    pub(crate) fn fresh(&self) -> TableLinks {
        TableLinks {
            field: self.field,
            column: self.column.clone(),
            sheet: self.sheet.clone(),
            short: Default::default(),
            long: Default::default(),
            ids: String::new(),
            slots: Vec::new(),
            by: [0; 4],
            dropped: 0,
            skipped: 0,
            last_skipped: None,
        }
    }

    /// What becomes of a record's account column: kept as written, written as another
    /// account id (field, id: the record is not copied for it), or the row is not imported
    /// (unmatched, ambiguous, not a customer).
    pub(crate) fn row<'s>(
        &'s mut self,
        r: &Resolver,
        no: u32,
        values: &[crate::import::convert::Value],
    ) -> Linked<'s> {
        use crate::import::convert::Value;
        let Some(Value::Text(text)) = values.get(self.field) else {
            return Linked::Keep;
        };
        let short = Short::of(text);
        let found = match &short {
            Some(k) => self.short.get_mut(k),
            None => self.long.get_mut(text.as_str()),
        };
        let hot = match found {
            Some(h) => h,
            None => {
                let hot = self.first_seen(r, no, text);
                match short {
                    Some(k) => self.short.entry(k).or_insert(hot),
                    None => self.long.entry(text.clone()).or_insert(hot),
                }
            }
        };
        if hot.last_row != no {
            hot.rows += 1;
            hot.last_row = no;
        }
        match hot.outcome {
            Outcome::Keep(by) => {
                if let Some(b) = by {
                    self.by[b as usize] += 1;
                }
                Linked::Keep
            }
            Outcome::As { start, len, by } => {
                self.by[by as usize] += 1;
                let (start, len) = (start as usize, len as usize);
                Linked::As(self.field, &self.ids[start..start + len])
            }
            Outcome::Drop => {
                self.dropped += 1;
                if self.last_skipped != Some(no) {
                    self.skipped += 1;
                    self.last_skipped = Some(no);
                }
                Linked::Drop
            }
        }
    }

    /// A value seen for the first time: resolved, its slot kept for the table's end.
    fn first_seen(&mut self, r: &Resolver, no: u32, text: &str) -> Hot {
        let res = r.resolve(text);
        let outcome = match &res {
            Resolution::Empty => Outcome::Keep(None),
            Resolution::Account { index, by } => {
                let id = r.account_id(*index);
                let by = by_index(*by) as u8;
                if id == text {
                    Outcome::Keep(Some(by))
                } else {
                    let start = self.ids.len() as u32;
                    self.ids.push_str(id);
                    Outcome::As {
                        start,
                        len: id.len() as u32,
                        by,
                    }
                }
            }
            Resolution::Ambiguous { .. }
            | Resolution::NotACustomer
            | Resolution::Unmatched { .. } => Outcome::Drop,
        };
        self.slots.push(Slot {
            value: text.trim().to_owned(),
            res,
            rows: 0,
            first_row: no,
        });
        Hot {
            slot: (self.slots.len() - 1) as u32,
            rows: 0,
            last_row: u32::MAX,
            outcome,
        }
    }

    /// The table's end with the rows not imported counted and listed (one issue per
    /// value), and the report.
    pub(crate) fn finish(
        mut self,
        r: &Resolver,
        mut end: crate::import::TableEnd,
    ) -> (crate::import::TableEnd, LinkReport) {
        end.rows = end.rows.saturating_sub(self.dropped);
        end.skipped += self.skipped;
        let mut report = LinkReport {
            column: self.column.clone(),
            by_account_id: self.by[0],
            by_alias: self.by[1],
            by_domain: self.by[2],
            by_name: self.by[3],
            ..LinkReport::default()
        };
        for h in self.short.values().chain(self.long.values()) {
            self.slots[h.slot as usize].rows = h.rows;
        }
        self.slots
            .sort_by(|a, b| b.rows.cmp(&a.rows).then(a.first_row.cmp(&b.first_row)));
        let mut not_listed = 0u64;
        let mut proposed = 0usize;
        for s in &self.slots {
            let (en, de) = match &s.res {
                Resolution::Empty => continue,
                Resolution::Account { index, by } => {
                    if *by != By::AccountId {
                        if report.links.len() < LISTED_VALUES {
                            report.links.push(LinkMade {
                                value: s.value.clone(),
                                account_id: r.account_id(*index).to_owned(),
                                by: *by,
                                rows: s.rows,
                            });
                        } else {
                            not_listed += 1;
                        }
                    }
                    continue;
                }
                Resolution::NotACustomer => {
                    report.not_a_customer += s.rows;
                    not_a_customer_text(&s.value, s.rows)
                }
                Resolution::Unmatched { free_mail } => {
                    let proposals = if *free_mail || proposed >= PROPOSED_VALUES {
                        Vec::new()
                    } else {
                        proposed += 1;
                        r.proposals(&s.value, 3)
                    };
                    let texts = unmatched_text(&s.value, s.rows, *free_mail, &proposals);
                    if report.unmatched.len() < LISTED_VALUES {
                        report.unmatched.push(UnmatchedValue {
                            value: s.value.clone(),
                            rows: s.rows,
                            first_row: s.first_row,
                            free_mail: *free_mail,
                            proposals,
                        });
                    } else {
                        not_listed += 1;
                    }
                    texts
                }
                Resolution::Ambiguous { by, candidates } => {
                    let ids: Vec<String> = candidates
                        .iter()
                        .map(|&i| r.account_id(i).to_owned())
                        .collect();
                    let texts = ambiguous_text(&s.value, s.rows, *by, &ids);
                    if report.ambiguous.len() < LISTED_VALUES {
                        report.ambiguous.push(AmbiguousValue {
                            value: s.value.clone(),
                            rows: s.rows,
                            first_row: s.first_row,
                            by: *by,
                            candidates: ids,
                        });
                    } else {
                        not_listed += 1;
                    }
                    texts
                }
            };
            if end.issues.len() >= crate::import::MAX_LISTED_ISSUES {
                end.issues_not_listed += 1;
                continue;
            }
            end.issues.push(crate::import::Issue {
                sheet: self.sheet.clone(),
                row: s.first_row,
                column: self.column.clone(),
                value: s.value.clone(),
                reason: en,
                reason_de: de,
            });
        }
        report.values_not_listed = not_listed;
        (end, report)
    }
}

fn rows_en(n: u64) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

fn rows_de(n: u64) -> String {
    if n == 1 {
        "1 Zeile".into()
    } else {
        format!("{n} Zeilen")
    }
}

/// "17 rows for 'Schönconsult Ltd' match no account; not imported. Similar: … Link it
/// with `cspulse link …`" (and German).
fn unmatched_text(
    value: &str,
    rows: u64,
    free_mail: bool,
    proposals: &[ProposedAccount],
) -> (String, String) {
    let (mut en, mut de) = if free_mail {
        (
            format!("{} for '{value}' match no account (a free-mail address names a person, not a customer); not imported", rows_en(rows)),
            format!("{} für „{value}“ passen zu keinem Kunden (eine Freemail-Adresse nennt eine Person, keinen Kunden); nicht importiert", rows_de(rows)),
        )
    } else {
        (
            format!(
                "{} for '{value}' match no account; not imported",
                rows_en(rows)
            ),
            format!(
                "{} für „{value}“ passen zu keinem Kunden; nicht importiert",
                rows_de(rows)
            ),
        )
    };
    if let Some(p) = proposals.first() {
        en.push_str(&format!(
            ". Similar: '{}' ({}). If it is that customer: cspulse link \"{value}\" {}",
            p.name, p.account_id, p.account_id
        ));
        de.push_str(&format!(
            ". Ähnlich: „{}“ ({}). Wenn es dieser Kunde ist: cspulse link \"{value}\" {}",
            p.name, p.account_id, p.account_id
        ));
    } else if !free_mail {
        en.push_str(&format!(
            ". Link it to an account with cspulse link \"{value}\" ACCOUNT_ID, or mark it with --none"
        ));
        de.push_str(&format!(
            ". Verknüpfen Sie ihn mit cspulse link \"{value}\" KUNDEN-ID oder markieren Sie ihn mit --none"
        ));
    }
    (en, de)
}

fn ambiguous_text(value: &str, rows: u64, by: By, ids: &[String]) -> (String, String) {
    let (what_en, what_de) = match by {
        By::Domain => ("domain", "Domain"),
        By::Name => ("name", "Name"),
        By::Alias | By::AccountId => ("id", "ID"),
    };
    let list = ids.join(", ");
    (
        format!(
            "{} for '{value}': the {what_en} fits {} accounts ({list}), so CS Pulse does not guess; not imported. Say which with cspulse link \"{value}\" ACCOUNT_ID",
            rows_en(rows),
            ids.len()
        ),
        format!(
            "{} für „{value}“: {what_de} passt zu {} Kunden ({list}), CS Pulse rät nicht; nicht importiert. Legen Sie den Kunden mit cspulse link \"{value}\" KUNDEN-ID fest",
            rows_de(rows),
            ids.len()
        ),
    )
}

fn not_a_customer_text(value: &str, rows: u64) -> (String, String) {
    (
        format!(
            "{} for '{value}': not a customer (your answer); not imported",
            rows_en(rows)
        ),
        format!(
            "{} für „{value}“: kein Kunde (Ihre Antwort); nicht importiert",
            rows_de(rows)
        ),
    )
}
