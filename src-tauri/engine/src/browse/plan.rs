//! A [`Query`] made into a plan: SQL for what SQLite decides exactly (batch, numbers,
//! dates, yes/no, empty cells), Rust for text matching, the search and sorting.

use super::sort::{fold, text_of, Keys};
use super::*;

/// A condition checked in Rust on a text value (Unicode case-insensitive).
enum TextTest {
    Equals(Vec<u8>),
    Contains(Box<memchr::memmem::Finder<'static>>),
}

/// A validated query: SQL for what SQLite can decide exactly (batch, numbers, dates,
/// yes/no, empty cells), Rust for text matching and sorting.
pub(super) struct Plan {
    table: &'static str,
    /// Columns the scan reads after the rowid (column 0).
    read: Vec<&'static str>,
    conditions: Vec<String>,
    params: Vec<SqlValue>,
    tests: Vec<(usize, TextTest)>,
    /// Where the search looks (read indexes) and its folded needle.
    search: Option<(Vec<usize>, memchr::memmem::Finder<'static>)>,
    /// Read index, the column's type, descending.
    sort: Option<(usize, ColumnType, bool)>,
}

impl Plan {
    pub(super) fn new(kind: Kind, q: &Query) -> Result<Plan> {
        let mut plan = Plan {
            table: kind.id(),
            read: Vec::new(),
            conditions: Vec::new(),
            params: Vec::new(),
            tests: Vec::new(),
            search: None,
            sort: None,
        };
        if let Some(batch) = q.batch {
            plan.params.push(SqlValue::Integer(batch));
            plan.conditions
                .push(format!("batch_id = ?{}", plan.params.len()));
        }
        for f in &q.filters {
            plan.filter(kind, f)?;
        }
        if let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let at: Vec<usize> = cols(kind)
                .iter()
                .filter(|c| c.ty == ColumnType::Text)
                .map(|c| plan.read_index(c.id))
                .collect();
            let needle = fold(text.as_bytes(), &mut Vec::new()).to_vec();
            plan.search = Some((at, memchr::memmem::Finder::new(&needle).into_owned()));
        }
        if let Some(s) = &q.sort {
            let c = find_col(kind, &s.column)?;
            plan.sort = Some((plan.read_index(c.id), c.ty, s.descending));
        }
        Ok(plan)
    }

    fn read_index(&mut self, id: &'static str) -> usize {
        let at = self.read.iter().position(|r| *r == id).unwrap_or_else(|| {
            self.read.push(id);
            self.read.len() - 1
        });
        at + 1
    }

    /// `?N` for a new bound parameter.
    fn bind(&mut self, v: SqlValue) -> String {
        self.params.push(v);
        format!("?{}", self.params.len())
    }

    fn filter(&mut self, kind: Kind, f: &Filter) -> Result<()> {
        let c = find_col(kind, &f.column)?;
        let bad = |problem| Error::BadFilter {
            column: f.column.clone(),
            problem,
        };
        let id = c.id;
        match f.op {
            FilterOp::IsEmpty => {
                self.conditions
                    .push(format!("(\"{id}\" IS NULL OR \"{id}\" = '')"));
                return Ok(());
            }
            FilterOp::NotEmpty => {
                self.conditions
                    .push(format!("(\"{id}\" IS NOT NULL AND \"{id}\" <> '')"));
                return Ok(());
            }
            _ => {}
        }
        let value = f
            .value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(FilterProblem::NeedsValue))?;
        let not_for = || bad(FilterProblem::NotForColumn { op: f.op.id() });
        match (c.ty, f.op) {
            (ColumnType::Text, FilterOp::Equals | FilterOp::Contains) => {
                let folded = fold(value.as_bytes(), &mut Vec::new()).to_vec();
                let test = if f.op == FilterOp::Equals {
                    TextTest::Equals(folded)
                } else {
                    TextTest::Contains(Box::new(memchr::memmem::Finder::new(&folded).into_owned()))
                };
                let at = self.read_index(id);
                self.tests.push((at, test));
            }
            (ColumnType::Number, FilterOp::Equals | FilterOp::AtLeast | FilterOp::AtMost) => {
                let n = match convert::number(&convert::FileCell::Text(value.to_owned())) {
                    Ok(Some(n)) => n,
                    _ => return Err(bad(FilterProblem::NotANumber(value.to_owned()))),
                };
                let p = self.bind(SqlValue::Real(n));
                let cmp = match f.op {
                    FilterOp::AtLeast => ">=",
                    FilterOp::AtMost => "<=",
                    _ => "=",
                };
                self.conditions.push(format!("\"{id}\" {cmp} {p}"));
            }
            (ColumnType::Date, FilterOp::Contains) => {
                // ISO dates are digits and dashes: no case to fold, `instr` matches literally
                let p = self.bind(SqlValue::Text(value.to_owned()));
                self.conditions.push(format!("instr(\"{id}\", {p}) > 0"));
            }
            (ColumnType::Date, FilterOp::Equals | FilterOp::AtLeast | FilterOp::AtMost) => {
                let d = date_value(value)
                    .ok_or_else(|| bad(FilterProblem::NotADate(value.to_owned())))?;
                let len = d.len() as i64;
                let p = self.bind(SqlValue::Text(d));
                // compared at the value's precision: a month holds its days, a day its times
                let cond = match f.op {
                    FilterOp::AtLeast => format!("\"{id}\" >= {p}"),
                    FilterOp::AtMost => {
                        let n = self.bind(SqlValue::Integer(len));
                        format!("substr(\"{id}\", 1, {n}) <= {p}")
                    }
                    _ => {
                        let n = self.bind(SqlValue::Integer(len));
                        format!("substr(\"{id}\", 1, {n}) = {p}")
                    }
                };
                self.conditions.push(cond);
            }
            (ColumnType::Bool, FilterOp::Equals) => {
                let b = convert::boolean(&convert::FileCell::Text(value.to_owned()))
                    .ok_or_else(|| bad(FilterProblem::NotABool(value.to_owned())))?;
                let p = self.bind(SqlValue::Integer(i64::from(b)));
                self.conditions.push(format!("\"{id}\" = {p}"));
            }
            _ => return Err(not_for()),
        }
        Ok(())
    }

    /// The matching rowids in display order (the rows of live batches only), and the
    /// superseded ones among them (sorted; none unless `with_superseded`, else left out).
    pub(super) fn run(
        &mut self,
        conn: &rusqlite::Connection,
        hidden: &crate::store::Hidden,
        prec: &crate::store::supersede::Precedence,
        with_superseded: bool,
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        use crate::store::supersede::{self, within};
        let kind = Kind::parse(self.table).unwrap_or(Kind::Accounts);
        // superseded rows: by key (small tables) from a pass of their own, sorted by rowid;
        // by period alone (usage, touchpoints) checked per row in this scan
        let mut by_key: Vec<i64> = Vec::new();
        let mut by_period = None;
        if supersede::key_columns(kind).is_empty() {
            if let Some(rule) = prec.periods(kind) {
                let at = (self.read_index("batch_id"), self.read_index("date"));
                by_period = Some((rule, at));
            }
        } else if prec.active(kind) {
            supersede::for_each_superseded(conn, hidden, prec, kind, |id, _| by_key.push(id))?;
        }
        let mut key_at = 0;
        let mut marked = Vec::new();
        let mut sql = String::from("SELECT rowid");
        for r in &self.read {
            sql.push_str(&format!(", \"{r}\""));
        }
        sql.push_str(&format!(" FROM {}", self.table));
        let conditions: Vec<String> = self
            .conditions
            .iter()
            .cloned()
            .chain(hidden.condition())
            .collect();
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY rowid");
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(self.params.iter()))?;
        let mut buf = Vec::new();
        let mut ids = Vec::new();
        let mut keys = Keys::default();
        'rows: while let Some(r) = rows.next()? {
            for (at, test) in &self.tests {
                let Some(text) = text_of(r.get_ref(*at)?, &mut buf) else {
                    continue 'rows;
                };
                let hit = match test {
                    TextTest::Equals(want) => text == want.as_slice(),
                    TextTest::Contains(finder) => finder.find(text).is_some(),
                };
                if !hit {
                    continue 'rows;
                }
            }
            if let Some((at, finder)) = &self.search {
                let mut hit = false;
                for i in at {
                    if text_of(r.get_ref(*i)?, &mut buf).is_some_and(|t| finder.find(t).is_some()) {
                        hit = true;
                        break;
                    }
                }
                if !hit {
                    continue;
                }
            }
            let row_id: i64 = r.get(0)?;
            let superseded = match &by_period {
                Some((rule, (b, d))) => {
                    let batch: i64 = r.get(*b)?;
                    let date = r.get_ref(*d)?;
                    match date {
                        ValueRef::Text(t) => within(rule.periods(batch), t),
                        _ => false,
                    }
                }
                None => {
                    // both in rowid order
                    while by_key.get(key_at).is_some_and(|&id| id < row_id) {
                        key_at += 1;
                    }
                    by_key.get(key_at) == Some(&row_id)
                }
            };
            if superseded {
                if !with_superseded {
                    continue;
                }
                marked.push(row_id);
            }
            match self.sort {
                None => ids.push(row_id),
                Some((at, ty, _)) => keys.push(r.get_ref(at)?, row_id, ty, &mut buf),
            }
        }
        let ids = match self.sort {
            None => ids,
            Some((_, _, descending)) => keys.sorted(descending),
        };
        // collected in rowid order: sorted
        Ok((ids, marked))
    }
}

/// A date filter's value as the ISO prefix to compare with: a year `2026`, a month
/// `2026-10` (also `Okt 2026`), a day `2026-10-31` (also `31.10.2026`) or a date-time.
pub(super) fn date_value(value: &str) -> Option<String> {
    let v = value.trim();
    if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.to_owned());
    }
    if let Some(m) = Month::parse(v) {
        return Some(m.to_string());
    }
    let cell = convert::FileCell::Text(v.to_owned());
    if let Some(d) = convert::date_time(&cell, SlashOrder::DayFirst) {
        return Some(if d.time() == chrono::NaiveTime::MIN {
            d.format("%Y-%m-%d").to_string()
        } else {
            d.format("%Y-%m-%d %H:%M:%S").to_string()
        });
    }
    convert::month(&cell, SlashOrder::DayFirst).map(|m| m.to_string())
}
