//! Text files (CSV, TSV, `;`- or `|`-separated): the encoding (BOM, UTF-16 by shape, UTF-8,
//! else a legacy code page guessed by `chardetng`), the delimiter (sniffed from the first
//! line, or Excel's `sep=;` line), then records streamed by the `csv` crate with line
//! numbers as an editor shows them, each record bounded while it is read.

use super::{Budgeted, FileRow, OpenedFile, ReadSeek, RowProblem, Rows};
use crate::error::{Error, Result};
use crate::import::convert::{Decimal, FileCell};
use std::io::{Cursor, Read, Seek};
use std::path::PathBuf;

impl OpenedFile {
    /// Binary files that are not text (PDF, images, executables) are refused up front.
    pub(super) fn check_text(&self) -> Result<()> {
        let head = self.input.head(&self.path, 8192)?;
        if utf16_order(&head).is_some() {
            return Ok(());
        }
        let nul = head.iter().filter(|&&b| b == 0).count();
        let control = head
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
            .count();
        if nul > 0 || control * 20 > head.len() {
            return Err(Error::UnsupportedFormat {
                file: self.path.clone(),
            });
        }
        Ok(())
    }
}

/// UTF-16 without a BOM, told by where the zero bytes are in mostly-ASCII text.
fn utf16_order(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(encoding_rs::UTF_16LE);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(encoding_rs::UTF_16BE);
    }
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even0, mut odd0) = (0, 0);
    for p in head.chunks_exact(2) {
        even0 += (p[0] == 0) as usize;
        odd0 += (p[1] == 0) as usize;
    }
    if odd0 * 10 >= pairs * 7 && even0 * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even0 * 10 >= pairs * 7 && odd0 * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The text encoding: BOM, else UTF-16 by shape, else UTF-8 when the sample is valid UTF-8,
/// else chardetng's guess among the legacy code pages.
fn text_encoding(sample: &[u8], complete: bool) -> &'static encoding_rs::Encoding {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(sample) {
        return enc;
    }
    if let Some(enc) = utf16_order(sample) {
        return enc;
    }
    let valid_up_to = match std::str::from_utf8(sample) {
        Ok(_) => sample.len(),
        Err(e) => e.valid_up_to(),
    };
    // a sample cut inside a multi-byte character is still UTF-8
    if valid_up_to == sample.len() || (!complete && sample.len() - valid_up_to < 4) {
        return encoding_rs::UTF_8;
    }
    // valid multi-byte UTF-8 next to a few stray bytes: a UTF-8 file with some rows in
    // another encoding (those rows are reported), not a legacy file
    if has_utf8_multibyte(sample) {
        return encoding_rs::UTF_8;
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(sample, complete);
    let enc = det.guess(None, true);
    if enc == encoding_rs::UTF_8 {
        // invalid UTF-8 after all: the most common legacy code page of spreadsheet exports
        encoding_rs::WINDOWS_1252
    } else {
        enc
    }
}

/// Whether `bytes` hold at least one valid multi-byte UTF-8 character.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|c| !c.valid().is_ascii())
}

/// Whether a record's raw bytes end inside a quoted field (csv's quoting rules: a field
/// that starts with `"` is quoted until a `"` not followed by another `"`).
fn ends_inside_quotes(raw: &[u8], delimiter: u8) -> bool {
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if quoted {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if field_start && b == b'"' {
            quoted = true;
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
            i += 1;
            continue;
        }
        field_start = false;
        i += 1;
    }
    quoted
}

fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut best = (b',', 0);
    for d in [b',', b';', b'\t', b'|'] {
        let mut in_quotes = false;
        let mut n = 0;
        for &c in first_line {
            if c == b'"' {
                in_quotes = !in_quotes;
            } else if c == d && !in_quotes {
                n += 1;
            }
        }
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// Counts what the csv parser consumed: bytes, quotes, the last byte, end of input; keeps
/// the bytes not yet passed by a record (the csv parser reads ahead), to count lines.
///
/// It also bounds one record while it is read: the csv parser buffers a whole record before
/// it hands it over, so a quote opened near the top and never closed would make it (and the
/// line window) hold the rest of the file. Past `record_limit` bytes since the current
/// record began, reading fails, and the row reader says "a cell is too large".
struct Counting<R> {
    inner: R,
    bytes: u64,
    quotes: u64,
    last: u8,
    eof: bool,
    window: Vec<u8>,
    window_start: u64,
    /// Where the record being read began (the parser's position after the last record).
    record_start: u64,
    record_limit: u64,
    /// The limit was hit.
    over: bool,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.bytes.saturating_sub(self.record_start) > self.record_limit {
            self.over = true;
            return Err(std::io::Error::other(
                "a record is larger than the cell budget",
            ));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.eof = true;
        } else {
            self.bytes += n as u64;
            self.quotes += buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
            self.last = buf[n - 1];
            self.window.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }
}

/// Counts the bytes read from the file itself.
struct RawCount {
    inner: Box<dyn ReadSeek>,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Read for RawCount {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for RawCount {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(pos)?;
        self.read.store(at, std::sync::atomic::Ordering::Relaxed);
        Ok(at)
    }
}

type TextReader = csv::Reader<Counting<Box<dyn Read + Send>>>;

pub(super) struct TextRows {
    path: PathBuf,
    reader: TextReader,
    record: csv::ByteRecord,
    encoding: &'static encoding_rs::Encoding,
    /// The stream is UTF-8 (the file, or UTF-16 decoded to it while streaming).
    utf8: bool,
    utf16: bool,
    /// Some text so far was non-ASCII UTF-8: the file is UTF-8 for sure.
    saw_multibyte: bool,
    /// Bytes of the file read so far (before any decoding), for progress.
    raw_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
    line_offset: u32,
    pub(super) decimal_hint: Decimal,
    delimiter: u8,
    total: u64,
    pub(super) budget: Budgeted,
    cells: u64,
    /// Line counting: the byte up to which lines are counted, and the line there.
    counted_to: u64,
    line_at: u32,
}

impl TextRows {
    pub(super) fn open(src: &OpenedFile) -> Result<TextRows> {
        let sample = src.input.head(&src.path, 64 * 1024)?;
        let complete = sample.len() as u64 >= src.input.len();
        let encoding = text_encoding(&sample, complete);
        let raw_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut raw = RawCount {
            inner: src.input.open(&src.path)?,
            read: std::sync::Arc::clone(&raw_read),
        };
        let unreadable = |e: std::io::Error| Error::FileUnreadable {
            file: src.path.clone(),
            reason: e.kind(),
        };
        // skip a UTF-8 BOM; UTF-16 is decoded (BOM included) by encoding_rs_io
        let is_utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
        let mut stream: Box<dyn Read + Send> = if is_utf16 {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .bom_override(true)
                    .build(raw),
            )
        } else {
            if sample.starts_with(b"\xEF\xBB\xBF") {
                raw.seek(std::io::SeekFrom::Start(3)).map_err(unreadable)?;
            }
            Box::new(raw)
        };
        // the first lines decide the delimiter (title and blank lines above the header do
        // not count: the line with the most of one delimiter does); Excel's `sep=;` first
        // line names it. Line ends may be LF, CRLF or CR.
        let mut head = Vec::new();
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut line_start = 0;
        let mut byte = [0u8; 1];
        let mut read = |stream: &mut Box<dyn Read + Send>| -> Result<Option<u8>> {
            match stream.read(&mut byte).map_err(unreadable)? {
                0 => Ok(None),
                _ => Ok(Some(byte[0])),
            }
        };
        while head.len() < 64 * 1024 && lines.len() < 20 {
            let Some(b) = read(&mut stream)? else { break };
            head.push(b);
            if b == b'\n' || b == b'\r' {
                if b == b'\r' {
                    if let Some(next) = read(&mut stream)? {
                        head.push(next);
                        if next != b'\n' {
                            lines.push((line_start, head.len() - 1));
                            line_start = head.len() - 1;
                            continue;
                        }
                    }
                }
                lines.push((line_start, head.len()));
                line_start = head.len();
            }
        }
        if line_start < head.len() {
            lines.push((line_start, head.len()));
        }
        let first = lines.first().map_or(&head[..0], |&(a, b)| &head[a..b]);
        let first_trimmed: Vec<u8> = first
            .iter()
            .copied()
            .filter(|b| !matches!(b, b'\r' | b'\n' | b'"'))
            .collect();
        let sep_line = first_trimmed
            .strip_prefix(b"sep=")
            .filter(|s| s.len() == 1)
            .map(|s| s[0]);
        let (delimiter, line_offset, replay) = match sep_line {
            Some(d) => {
                let after = lines.first().map_or(0, |l| l.1);
                (d, 1, head[after..].to_vec())
            }
            None => {
                let best = lines
                    .iter()
                    .map(|&(a, b)| {
                        let line = &head[a..b];
                        let d = sniff_delimiter(line);
                        let n = line.iter().filter(|&&c| c == d).count();
                        (d, n)
                    })
                    .max_by_key(|&(_, n)| n)
                    .map_or(b',', |(d, n)| if n == 0 { b',' } else { d });
                (best, 0, head)
            }
        };
        let chained: Box<dyn Read + Send> = Box::new(Cursor::new(replay).chain(stream));
        let counting = Counting {
            inner: chained,
            bytes: 0,
            quotes: 0,
            last: b'\n',
            eof: false,
            window: Vec::new(),
            window_start: 0,
            record_start: 0,
            // a record may hold one cell of the largest size (4 bytes per character at most)
            // and more besides; far beyond any real row, and a few MB at most by default
            record_limit: (src.budget.cell_chars as u64)
                .saturating_mul(4)
                .saturating_add(4 << 20),
            over: false,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(counting);
        let decimal_hint = match delimiter {
            b';' => Decimal::Comma,
            b',' => Decimal::Point,
            _ => Decimal::Unknown,
        };
        Ok(TextRows {
            path: src.path.clone(),
            reader,
            record: csv::ByteRecord::new(),
            encoding,
            utf8: encoding == encoding_rs::UTF_8 || is_utf16,
            utf16: is_utf16,
            saw_multibyte: has_utf8_multibyte(&sample),
            raw_read,
            line_offset,
            decimal_hint,
            delimiter,
            total: src.input.len(),
            budget: Budgeted {
                path: src.path.clone(),
                budget: src.budget.clone(),
                started: src.started,
                cells: src.cells,
            },
            cells: src.cells,
            counted_to: 0,
            line_at: 1,
        })
    }

    /// Decodes one field; `None` when it is not text in the file's encoding.
    fn decode(&self, field: &[u8]) -> Option<String> {
        if self.utf8 {
            return std::str::from_utf8(field).ok().map(str::to_owned);
        }
        if field.is_ascii() {
            // ASCII is the same in every code page
            return Some(String::from_utf8_lossy(field).into_owned());
        }
        // valid multi-byte UTF-8 in a file read as a code page: the file mixes encodings
        if std::str::from_utf8(field).is_ok() && field.iter().any(|&b| b >= 0xC2) {
            return None;
        }
        let (text, _, had_errors) = self.encoding.decode(field);
        (!had_errors).then(|| text.into_owned())
    }
}

impl Rows for TextRows {
    fn next_row(&mut self, row: &mut FileRow) -> Result<bool> {
        let ok = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| match e.kind() {
                csv::ErrorKind::Io(_) if self.reader.get_ref().over => {
                    self.budget.too_large(crate::error::Limit::CellText)
                }
                csv::ErrorKind::Io(io) => Error::FileUnreadable {
                    file: self.path.clone(),
                    reason: io.kind(),
                },
                _ => Error::Corrupt {
                    file: self.path.clone(),
                    detail: e.to_string(),
                },
            })?;
        if !ok {
            self.cells = self.budget.cells;
            return Ok(false);
        }
        let next_record = self.reader.position().byte();
        self.reader.get_mut().record_start = next_record;
        // no row budget: the rows stream, one in memory at a time (the columns and the cell
        // text bound a row; the clock bounds the file)
        if self.record.len() > self.budget.budget.columns as usize {
            return Err(self.budget.too_large(crate::error::Limit::Columns));
        }
        // the line a user sees, counted from the record's first byte: the csv parser's own
        // position starts at the blank lines it skipped before the record
        let counting = self.reader.get_ref();
        let at_end = counting.eof && self.reader.position().byte() >= counting.bytes;
        let from = self
            .record
            .position()
            .map_or(self.counted_to, |p| p.byte())
            .max(self.counted_to);
        let window = &counting.window;
        let rel = |b: u64| ((b - counting.window_start) as usize).min(window.len());
        let lead = window[rel(from)..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count() as u64;
        let start = from + lead;
        let span = &window[rel(self.counted_to)..rel(start)];
        let lines = span
            .iter()
            .enumerate()
            .filter(|&(i, &b)| {
                b == b'\n' || (b == b'\r' && span.get(i + 1).is_none_or(|&n| n != b'\n'))
            })
            .count();
        // a line number past u32 (4 billion lines) would take far longer than the time
        // budget to reach; saturating keeps it well-defined
        self.line_at = self
            .line_at
            .saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
        self.counted_to = start;
        let start = self.line_at;
        if self.counted_to - counting.window_start > 1 << 20 {
            let cut = self.counted_to;
            let c = self.reader.get_mut();
            let n = (cut - c.window_start) as usize;
            c.window.drain(..n);
            c.window_start = cut;
        }
        let counting = self.reader.get_ref();
        row.no = start.saturating_add(self.line_offset);
        row.problem = None;
        // the row's cells keep their strings from the row before: no allocation per cell
        let n = self.record.len();
        row.cells.truncate(n);
        for ci in 0..n {
            let field = &self.record[ci];
            self.budget.streamed_cell()?;
            if field.len() > self.budget.budget.cell_chars
                && String::from_utf8_lossy(field).chars().count() > self.budget.budget.cell_chars
            {
                return Err(self.budget.too_large(crate::error::Limit::CellText));
            }
            if ci == row.cells.len() {
                row.cells.push(FileCell::Empty);
            }
            let slot = &mut row.cells[ci];
            if field.is_empty() {
                *slot = FileCell::Empty;
                continue;
            }
            // the first non-ASCII text of a file that looked like plain ASCII (and so was
            // taken as UTF-8) decides: not UTF-8 means the file's legacy code page, and as
            // every byte before was ASCII, nothing read so far changes
            if self.utf8 && !self.utf16 && !self.saw_multibyte && !field.is_ascii() {
                if std::str::from_utf8(field).is_ok() {
                    self.saw_multibyte = true;
                } else {
                    self.utf8 = false;
                    let mut det = chardetng::EncodingDetector::new();
                    det.feed(field, true);
                    let guess = det.guess(None, true);
                    self.encoding = if guess == encoding_rs::UTF_8 {
                        encoding_rs::WINDOWS_1252
                    } else {
                        guess
                    };
                }
            }
            let text: std::borrow::Cow<'_, str> = if self.utf8 || field.is_ascii() {
                match std::str::from_utf8(field) {
                    Ok(t) => t.into(),
                    Err(_) => {
                        row.problem
                            .get_or_insert(RowProblem::MixedEncoding { column: ci });
                        // shown as a legacy code page would show it
                        encoding_rs::WINDOWS_1252.decode(field).0
                    }
                }
            } else {
                match self.decode(field) {
                    Some(t) => t.into(),
                    None => {
                        row.problem
                            .get_or_insert(RowProblem::MixedEncoding { column: ci });
                        String::from_utf8_lossy(field)
                    }
                }
            };
            match slot {
                FileCell::Text(s) => {
                    s.clear();
                    s.push_str(&text);
                }
                other => *other = FileCell::Text(text.into_owned()),
            }
        }
        // a quote that is never closed swallows the rest of the file into the last record
        let raw_from = (self.counted_to.saturating_sub(counting.window_start) as usize)
            .min(counting.window.len());
        let raw = &counting.window[raw_from..];
        if at_end && counting.quotes % 2 == 1 && ends_inside_quotes(raw, self.delimiter) {
            if let Some(ci) = self.record.iter().position(|f| f.contains(&b'\n')) {
                row.problem = Some(RowProblem::UnclosedQuote { column: ci });
            }
        }
        Ok(true)
    }
    fn fraction(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let read = self.raw_read.load(std::sync::atomic::Ordering::Relaxed);
        (read as f64 / self.total as f64).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_bom_is_told_by_its_zero_bytes() {
        let le: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(utf16_order(&le), Some(encoding_rs::UTF_16LE));
        assert_eq!(utf16_order(&be), Some(encoding_rs::UTF_16BE));
        assert_eq!(utf16_order(b"a,b\n1,2\n"), None);
    }

    #[test]
    fn legacy_text_is_guessed_not_assumed() {
        assert_eq!(
            text_encoding("Größe;Müller\n".as_bytes(), true),
            encoding_rs::UTF_8
        );
        let (cp, _, _) = encoding_rs::WINDOWS_1252.encode("Größe;Müller;Straße\n");
        assert_eq!(text_encoding(&cp, true), encoding_rs::WINDOWS_1252);
    }
}
