//! A CSV reader (RFC 4180 plus what spreadsheets really write): quoted
//! cells with doubled quotes and line breaks, a comma, semicolon or tab
//! delimiter guessed from the header, a UTF-8 or UTF-16 byte-order mark,
//! and GB18030 text from Chinese spreadsheets. Pure over bytes, so it can
//! be fuzzed; every row remembers the line it started on.

use std::borrow::Cow;

/// Why a file is not readable CSV; `line` is 1-based (0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub kind: CsvErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvErrorKind {
    /// NUL bytes: a binary file, not text.
    Binary,
    /// Neither UTF-8, UTF-16 nor GB18030.
    Encoding,
    /// A quoted cell never closed (the file is probably cut short).
    Unterminated,
    /// Nothing but blank lines.
    Empty,
    /// `--encoding` names no encoding tdesk knows.
    UnknownEncoding,
    /// The bytes do not read cleanly in the encoding given by name.
    NotInEncoding(&'static str),
}

/// One data row and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A parsed file: the header's cells and every non-blank row after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<CsvRow>,
    /// The encoding the bytes were read in (`UTF-8`, `GB18030`, …).
    pub encoding: &'static str,
}

/// Decodes a text file: UTF-8 (with or without BOM), UTF-16 with a BOM,
/// else the legacy encoding the bytes look like — what Excel writes on a
/// Chinese (GBK), Taiwanese (Big5), Japanese (Shift_JIS) or Western
/// (Windows-1252) system — as Firefox guesses it (chardetng). A guess that
/// does not read cleanly is an error, never mojibake.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), CsvErrorKind> {
    decode_as(bytes, None)
}

/// Like [`decode`], with the encoding given by name (`gbk`, `big5`,
/// `shift_jis`, `windows-1252`, any WHATWG label) when the guess is wrong.
pub fn decode_as<'a>(
    bytes: &'a [u8],
    label: Option<&str>,
) -> Result<(Cow<'a, str>, &'static str), CsvErrorKind> {
    let (enc, body) = if let Some(label) = label {
        let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes())
            .ok_or(CsvErrorKind::UnknownEncoding)?;
        // A BOM still says where the text starts.
        let start = encoding_rs::Encoding::for_bom(bytes).map_or(0, |(_, bom)| bom);
        (enc, &bytes[start..])
    } else if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        (enc, &bytes[bom..])
    } else {
        if bytes.contains(&0) {
            return Err(CsvErrorKind::Binary);
        }
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Ok((Cow::Borrowed(text), "UTF-8"));
        }
        (guess_legacy(bytes), bytes)
    };
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    if had_errors && label.is_some() {
        Err(CsvErrorKind::NotInEncoding(enc.name()))
    } else if had_errors {
        Err(CsvErrorKind::Encoding)
    } else if text.contains('\0') {
        Err(CsvErrorKind::Binary)
    } else {
        Ok((text, enc.name()))
    }
}

/// The legacy encoding non-UTF-8 bytes look like, as Firefox guesses it.
fn guess_legacy(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    // UTF-8 is ruled out by then; a spreadsheet cannot run scripts.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // GBK files are read as GB18030, its superset.
    if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    }
}

/// Parses a whole file.
pub fn parse(bytes: &[u8]) -> Result<CsvTable, CsvError> {
    parse_as(bytes, None)
}

/// Parses a whole file read in encoding `label` (see [`decode_as`]).
pub fn parse_as(bytes: &[u8], label: Option<&str>) -> Result<CsvTable, CsvError> {
    let (text, encoding) = decode_as(bytes, label).map_err(|kind| CsvError { line: 0, kind })?;
    let delimiter = guess_delimiter(&text);
    let mut records = Records::new(&text, delimiter);
    let header = loop {
        match records.next() {
            None => {
                return Err(CsvError {
                    line: 0,
                    kind: CsvErrorKind::Empty,
                });
            }
            Some(Err(e)) => return Err(e),
            Some(Ok(row)) if is_blank(&row.cells) => continue,
            Some(Ok(row)) => break row.cells,
        }
    };
    let mut rows = Vec::new();
    for row in records {
        let row = row?;
        if !is_blank(&row.cells) {
            rows.push(row);
        }
    }
    Ok(CsvTable {
        header: header.into_iter().map(|h| h.trim().to_string()).collect(),
        rows,
        encoding,
    })
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// The delimiter that splits the first line into the most cells (outside quotes).
fn guess_delimiter(text: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            _ if !quoted => {
                if let Some(slot) = counts.iter_mut().find(|(d, _)| *d == c) {
                    slot.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == ','))
        .map_or(',', |(d, _)| *d)
}

/// Iterates over records, each with the line it starts on.
struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    delimiter: char,
    line: usize,
    done: bool,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: char) -> Self {
        Self {
            chars: text.chars().peekable(),
            delimiter,
            line: 1,
            done: false,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<CsvRow, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.chars.peek()?;
        let start = self.line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        // A quote only opens a quoted cell at the start of the cell.
        let mut at_cell_start = true;
        while let Some(c) = self.chars.next() {
            if quoted {
                match c {
                    '"' if self.chars.peek() == Some(&'"') => {
                        self.chars.next();
                        cell.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        self.line += 1;
                        cell.push('\n');
                    }
                    _ => cell.push(c),
                }
                continue;
            }
            match c {
                '"' if at_cell_start => {
                    quoted = true;
                    at_cell_start = false;
                }
                c if c == self.delimiter => {
                    cells.push(std::mem::take(&mut cell));
                    at_cell_start = true;
                }
                '\r' if self.chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    self.line += 1;
                    cells.push(cell);
                    return Some(Ok(CsvRow { line: start, cells }));
                }
                _ => {
                    cell.push(c);
                    at_cell_start = false;
                }
            }
        }
        self.done = true;
        if quoted {
            return Some(Err(CsvError {
                line: start,
                kind: CsvErrorKind::Unterminated,
            }));
        }
        cells.push(cell);
        Some(Ok(CsvRow { line: start, cells }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(t: &CsvTable) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn quoted_cells_keep_delimiters_quotes_and_line_breaks() {
        let t = parse(b"a,b\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\r\n3,4\n").expect("csv");
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(
            cells(&t),
            [vec!["x, y", "say \"hi\"\nthere"], vec!["3", "4"]]
        );
        assert_eq!(
            t.rows[1].line, 4,
            "the row after a two-line cell starts on line 4"
        );
    }

    #[test]
    fn semicolon_and_tab_files_are_recognised() {
        let t = parse("标题;优先级\n退款;P1\n".as_bytes()).expect("csv");
        assert_eq!(cells(&t), [vec!["退款", "P1"]]);
        let t = parse(b"a\tb\n1\t2").expect("csv");
        assert_eq!(cells(&t), [vec!["1", "2"]]);
    }

    #[test]
    fn bom_utf16_and_gb18030_are_decoded() {
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend_from_slice("title\n物流\n".as_bytes());
        assert_eq!(parse(&utf8).expect("bom").header, ["title"]);
        let (gbk, _, _) = encoding_rs::GBK.encode("标题\n包裹丢失\n");
        let t = parse(&gbk).expect("gb18030");
        assert_eq!((t.encoding, cells(&t)), ("gb18030", vec![vec!["包裹丢失"]]));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "t\n1\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(parse(&utf16).expect("utf16").rows.len(), 1);
    }

    #[test]
    fn excel_files_from_western_taiwanese_and_japanese_systems_are_decoded() {
        let cases = [
            (
                encoding_rs::WINDOWS_1252,
                "Kunde,Betreff\nJürgen Müller,Rücksendung beschädigt\nZoë,Café fermé\n",
                "windows-1252",
            ),
            (
                encoding_rs::BIG5,
                "客戶,標題\n陳小姐,顏色不對，請幫我換貨\n林先生,包裹還沒有收到\n",
                "Big5",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "顧客,件名\n田中,商品が届きません\n佐藤,返品について教えてください\n",
                "Shift_JIS",
            ),
        ];
        for (enc, text, name) in cases {
            let (bytes, _, _) = enc.encode(text);
            let t = parse(&bytes).expect(name);
            assert_eq!(t.encoding, name);
            assert_eq!(
                t.rows[0].cells[1],
                text.lines()
                    .nth(1)
                    .and_then(|l| l.split(',').nth(1))
                    .unwrap_or("")
            );
        }
    }

    #[test]
    fn a_named_encoding_wins_over_the_guess_and_an_unknown_one_is_refused() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("a,b\nMüller,ok\n");
        let t = parse_as(&bytes, Some("latin1")).expect("named");
        assert_eq!(t.rows[0].cells[0], "Müller");
        assert_eq!(
            parse_as(&bytes, Some("klingon")).map(|_| ()),
            Err(CsvError {
                line: 0,
                kind: CsvErrorKind::UnknownEncoding
            })
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("标题\n包裹丢了\n");
        assert_eq!(
            parse_as(&gbk, Some("utf-8")).map(|_| ()),
            Err(CsvError {
                line: 0,
                kind: CsvErrorKind::NotInEncoding("UTF-8")
            })
        );
    }

    #[test]
    fn binary_truncated_and_empty_files_are_refused_with_a_line() {
        assert_eq!(
            parse(b"a\0b").map_err(|e| e.kind),
            Err(CsvErrorKind::Binary)
        );
        let cut = parse(b"a,b\n1,\"never closed\n2,3\n").expect_err("cut short");
        assert_eq!((cut.line, cut.kind), (2, CsvErrorKind::Unterminated));
        assert_eq!(
            parse(b"\n \n").map_err(|e| e.kind),
            Err(CsvErrorKind::Empty)
        );
        assert_eq!(
            parse(&[0xff, 0xfe, 0x00, 0xd8]).map_err(|e| e.kind),
            Err(CsvErrorKind::Encoding)
        );
    }

    #[test]
    fn blank_lines_are_skipped_and_a_missing_final_newline_is_fine() {
        let t = parse(b"a\n\n1\n\n2").expect("csv");
        assert_eq!(cells(&t), [vec!["1"], vec!["2"]]);
        assert_eq!(t.rows[1].line, 5);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            if let Ok(t) = parse(&bytes) {
                for r in &t.rows {
                    proptest::prop_assert!(r.line >= 1);
                }
            }
        }

        #[test]
        fn written_cells_read_back(rows in proptest::collection::vec(proptest::collection::vec("[a-z ,\"\n退]{0,6}", 2), 1..6)) {
            let quote = |c: &String| format!("\"{}\"", c.replace('"', "\"\""));
            let mut text = String::from("h1,h2\n");
            for r in &rows {
                text.push_str(&r.iter().map(quote).collect::<Vec<_>>().join(","));
                text.push('\n');
            }
            let t = parse(text.as_bytes()).expect("csv");
            let back: Vec<Vec<String>> = t.rows.iter().map(|r| r.cells.clone()).collect();
            let expected: Vec<Vec<String>> = rows.into_iter().filter(|r| !is_blank(r)).collect();
            proptest::prop_assert_eq!(back, expected);
        }
    }
}
