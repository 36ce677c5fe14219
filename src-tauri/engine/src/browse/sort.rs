//! Text folding and sort keys of the data browser: Unicode case-insensitive matching, text
//! sorted with umlauts next to their base letter, dates as ISO text, empty cells last.

use super::ColumnType;
use rusqlite::types::ValueRef;

/// A value as folded text for matching (numbers as SQLite writes them); `None` when empty.
pub(super) fn text_of<'b>(v: ValueRef<'_>, buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
    match v {
        ValueRef::Text(t) => Some(fold(t, buf)),
        ValueRef::Integer(i) => {
            *buf = i.to_string().into_bytes();
            Some(buf)
        }
        ValueRef::Real(r) => {
            *buf = r.to_string().into_bytes();
            Some(buf)
        }
        ValueRef::Null | ValueRef::Blob(_) => None,
    }
}

/// Lower-cases `text` for case-insensitive matching into `buf`: ASCII directly, anything
/// else per character by Unicode's rules, with `ß` and `ẞ` as `ss` and final `ς` as `σ`.
pub(super) fn fold<'b>(text: &[u8], buf: &'b mut Vec<u8>) -> &'b [u8] {
    buf.clear();
    if text.is_ascii() {
        buf.extend(text.iter().map(u8::to_ascii_lowercase));
        return buf;
    }
    let mut utf8 = [0u8; 4];
    for c in String::from_utf8_lossy(text).chars() {
        for l in c.to_lowercase() {
            match l {
                'ß' => buf.extend_from_slice(b"ss"),
                'ς' => buf.extend_from_slice('σ'.encode_utf8(&mut utf8).as_bytes()),
                l => buf.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes()),
            }
        }
    }
    buf
}

/// The sort key of text: folded, and accents dropped (`Ä` sorts with `A`, as in a German
/// phone book, DIN 5007-1).
fn text_key<'b>(text: &[u8], buf: &'b mut Vec<u8>) -> std::borrow::Cow<'b, [u8]> {
    let folded = fold(text, buf);
    if folded.is_ascii() {
        return std::borrow::Cow::Borrowed(folded);
    }
    use unicode_normalization::UnicodeNormalization as _;
    std::borrow::Cow::Owned(
        String::from_utf8_lossy(folded)
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect::<String>()
            .into_bytes(),
    )
}

/// The sort key of an ISO date, date-time or month: its digits (`2026-10-31 14:05:00` →
/// `20261031140500`), which order the same way and fit a [`TextKey`]'s prefix.
fn date_key<'b>(text: &'b [u8], buf: &'b mut Vec<u8>) -> &'b [u8] {
    if !text
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b' ' | b'T'))
    {
        return text;
    }
    buf.clear();
    buf.extend(text.iter().filter(|b| b.is_ascii_digit()));
    buf
}

/// Bytes of a text key held in [`TextKey::prefix`].
const PREFIX: usize = 15;
const SHORT: usize = usize::MAX;

/// A text sort key: its first 15 bytes and its length (0xFF when longer) as one integer,
/// so that most comparisons are one integer comparison; a longer key's bytes are kept in
/// [`Keys::long`] for ties of the prefix.
#[derive(Clone, Copy)]
struct TextKey {
    prefix: u128,
    /// Where a longer key's bytes start in [`Keys::long`] (a u32 length, then the bytes),
    /// or [`SHORT`].
    long: usize,
    row_id: i64,
}

/// Sort keys by kind of value: numbers before text (a column holds one or the other),
/// empty cells last.
#[derive(Default)]
pub(super) struct Keys {
    numbers: Vec<(f64, i64)>,
    texts: Vec<TextKey>,
    long: Vec<u8>,
    empty: Vec<i64>,
}

impl Keys {
    pub(super) fn push(&mut self, v: ValueRef<'_>, row_id: i64, ty: ColumnType, buf: &mut Vec<u8>) {
        match v {
            ValueRef::Integer(i) => self.numbers.push((i as f64, row_id)),
            ValueRef::Real(r) => self.numbers.push((r, row_id)),
            ValueRef::Text([]) => self.empty.push(row_id),
            ValueRef::Text(t) => {
                let key = match ty {
                    ColumnType::Text => text_key(t, buf),
                    ColumnType::Date => std::borrow::Cow::Borrowed(date_key(t, buf)),
                    _ => std::borrow::Cow::Borrowed(t),
                };
                let mut bytes = [0u8; 16];
                let n = key.len().min(PREFIX);
                bytes[..n].copy_from_slice(&key[..n]);
                let long = if key.len() <= PREFIX {
                    bytes[PREFIX] = key.len() as u8;
                    SHORT
                } else {
                    bytes[PREFIX] = 0xFF;
                    let at = self.long.len();
                    self.long
                        .extend_from_slice(&(key.len() as u32).to_le_bytes());
                    self.long.extend_from_slice(&key);
                    at
                };
                self.texts.push(TextKey {
                    prefix: u128::from_be_bytes(bytes),
                    long,
                    row_id,
                });
            }
            ValueRef::Null | ValueRef::Blob(_) => self.empty.push(row_id),
        }
    }

    /// Rowids in order; ties (and empty cells) in rowid order.
    pub(super) fn sorted(mut self, descending: bool) -> Vec<i64> {
        let long = &self.long;
        let bytes = |at: usize| {
            let mut n = [0u8; 4];
            n.copy_from_slice(&long[at..at + 4]);
            &long[at + 4..at + 4 + u32::from_le_bytes(n) as usize]
        };
        // equal prefixes of long keys (length byte 0xFF) are decided by the whole key
        let by_key = |a: &TextKey, b: &TextKey| {
            a.prefix.cmp(&b.prefix).then_with(|| {
                if a.long == SHORT || b.long == SHORT {
                    std::cmp::Ordering::Equal
                } else {
                    bytes(a.long).cmp(bytes(b.long))
                }
            })
        };
        let mut out = Vec::with_capacity(self.numbers.len() + self.texts.len() + self.empty.len());
        if descending {
            self.numbers
                .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            self.texts
                .sort_unstable_by(|a, b| by_key(b, a).then(a.row_id.cmp(&b.row_id)));
            out.extend(self.texts.iter().map(|k| k.row_id));
            out.extend(self.numbers.iter().map(|k| k.1));
        } else {
            self.numbers
                .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            self.texts
                .sort_unstable_by(|a, b| by_key(a, b).then(a.row_id.cmp(&b.row_id)));
            out.extend(self.numbers.iter().map(|k| k.1));
            out.extend(self.texts.iter().map(|k| k.row_id));
        }
        // collected in rowid order
        out.extend(self.empty);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::date_value;
    use super::*;

    #[test]
    fn folding_is_unicode_case_insensitive() {
        let f = |s: &str| String::from_utf8(fold(s.as_bytes(), &mut Vec::new()).to_vec());
        assert_eq!(f("ÄÖÜ Straße").ok().as_deref(), Some("äöü strasse"));
        assert_eq!(f("GROẞ").ok().as_deref(), Some("gross"));
        assert_eq!(f("100% _x_ \\").ok().as_deref(), Some("100% _x_ \\"));
        assert_eq!(f("ΟΔΟΣ").ok().as_deref(), Some("οδοσ"));
    }

    fn order(values: &[Option<&str>], ty: ColumnType, descending: bool) -> Vec<i64> {
        let mut keys = Keys::default();
        let mut buf = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let v = v.map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes()));
            keys.push(v, i as i64 + 1, ty, &mut buf);
        }
        keys.sorted(descending)
    }

    #[test]
    fn long_text_keys_sort_by_their_whole_text() {
        let values = [
            Some("aaaaaaaaaaaaaaa-z"),
            Some("aaaaaaaaaaaaaaa-b-long"),
            Some("aaaaaaaaaaaaaaa"),
            Some("aaaaaaaaaaaaaa"),
            Some("AAAAAAAAAAAAAAA-B-LONG"),
            Some("b"),
            None,
            Some(""),
        ];
        assert_eq!(
            order(&values, ColumnType::Text, false),
            [4, 3, 2, 5, 1, 6, 7, 8]
        );
        assert_eq!(
            order(&values, ColumnType::Text, true),
            [6, 1, 2, 5, 3, 4, 7, 8]
        );
    }

    #[test]
    fn text_keys_sort_as_their_folded_text_would() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let alphabet: Vec<char> = "aAäÄz-_ 0ßé".chars().collect();
        let values: Vec<Option<String>> = (0..3000)
            .map(|_| {
                if rng.random_range(0..20) == 0 {
                    return None;
                }
                let shared = if rng.random_bool(0.5) {
                    "prefix-shared-by-many"
                } else {
                    ""
                };
                let n = rng.random_range(0..12);
                let tail: String = (0..n)
                    .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                    .collect();
                Some(format!("{shared}{tail}"))
            })
            .collect();
        let refs: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
        for descending in [false, true] {
            let mut want: Vec<(Vec<u8>, i64)> = Vec::new();
            let mut empty = Vec::new();
            for (i, v) in refs.iter().enumerate() {
                match v {
                    Some(t) if !t.is_empty() => want.push((
                        text_key(t.as_bytes(), &mut Vec::new()).to_vec(),
                        i as i64 + 1,
                    )),
                    _ => empty.push(i as i64 + 1),
                }
            }
            want.sort_by(|a, b| {
                let by = if descending {
                    b.0.cmp(&a.0)
                } else {
                    a.0.cmp(&b.0)
                };
                by.then(a.1.cmp(&b.1))
            });
            let mut want: Vec<i64> = want.into_iter().map(|k| k.1).collect();
            want.extend(empty);
            assert_eq!(order(&refs, ColumnType::Text, descending), want);
        }
    }

    #[test]
    fn date_keys_keep_the_order_of_iso_text() {
        let values = [
            Some("2026-10-02"),
            Some("2026-10-01 08:00:00"),
            Some("2026-10"),
            Some("2026-10-01"),
            Some("2026-10-01 00:00:00"),
            Some("2025-12-31 23:59:59"),
        ];
        assert_eq!(order(&values, ColumnType::Date, false), [6, 3, 4, 5, 2, 1]);
        assert_eq!(
            date_key(b"2026-10-31 14:05:00", &mut Vec::new()),
            b"20261031140500"
        );
    }

    #[test]
    fn date_values_are_iso_prefixes() {
        assert_eq!(date_value("2026").as_deref(), Some("2026"));
        assert_eq!(date_value("2026-1").as_deref(), Some("2026-01"));
        assert_eq!(date_value("31.10.2026").as_deref(), Some("2026-10-31"));
        assert_eq!(date_value("2026-10-31").as_deref(), Some("2026-10-31"));
        assert_eq!(
            date_value("2026-10-31 14:05:00").as_deref(),
            Some("2026-10-31 14:05:00")
        );
        assert_eq!(date_value("Okt 2026").as_deref(), Some("2026-10"));
        assert_eq!(date_value("soon"), None);
    }
}
