//! A spreadsheet as bytes becomes rows for the desk: the encoding and the
//! delimiter worked out, the column map recognised (Zendesk, Freshdesk,
//! Zoho Desk, Shopify and the like) or given, checked against the header,
//! and each row known by its source's id or, without one, by its content,
//! so importing the same file again creates nothing.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::interchange::mail::hex;
use crate::interchange::{Issue, Problem, csv, mapping};

use super::super::Desk;
use super::{ImportOptions, ImportReport, Progress};

/// A CSV file to import, as read by the front end.
#[derive(Debug, Clone, Copy)]
pub struct CsvInput<'a> {
    /// What to call the file in messages.
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// A map file's name and text, instead of the recognised map.
    pub map: Option<(&'a str, &'a str)>,
    /// The encoding, instead of the one worked out.
    pub encoding: Option<&'a str>,
}

impl Desk {
    /// Imports a spreadsheet (see [`Desk::import_rows`] for what is
    /// checked and how it is written).
    pub fn import_csv(
        &mut self,
        input: &CsvInput<'_>,
        opts: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        self.require_import()?;
        let (mut map, table) = read(input, true)?;
        // Dates without an offset are wall-clock times where the member
        // is, unless the map names an offset.
        if let Some(zone) = map.time_zone.as_deref() {
            map.zone = Some(parse_zone(zone).ok_or_else(|| Error::Config {
                file: input.map.map_or("map", |(file, _)| file).to_string(),
                message: format!("time_zone {zone:?} is not an offset such as +08:00 or UTC"),
            })?);
        }
        let (rows, bad) = mapping::map_rows(&table, &map, content_id);
        let problems = bad
            .into_iter()
            .map(|p| Problem::new(p.line, Issue::Map(p.message)))
            .collect();
        let mut report = self.import_rows(input.name, rows, problems, opts, progress)?;
        report.columns_left_out = mapping::unused_columns(&map, &table.header);
        Ok(report)
    }
}

/// The map tdesk would use for a spreadsheet, as a map file to edit (even
/// when it does not fit yet, say for want of a title column), with the
/// columns it leaves out listed.
pub fn csv_map(input: &CsvInput<'_>) -> Result<String> {
    let (map, table) = read(input, false)?;
    let unused = mapping::unused_columns(&map, &table.header);
    Ok(map.to_toml(&unused))
}

/// `+08:00`, `-0500`, `UTC` or `Z` as an offset.
fn parse_zone(text: &str) -> Option<chrono::FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return chrono::FixedOffset::east_opt(0);
    }
    t.parse().ok()
}

/// A row without an id column is known by its content.
fn content_id(row: &csv::CsvRow) -> String {
    let digest = Sha256::digest(row.cells.join("\u{1f}").as_bytes());
    format!("csv:{}", &hex(&digest)[..24])
}

/// The map (given or recognised) and the table, the map checked against
/// the header when `check`.
fn read(input: &CsvInput<'_>, check: bool) -> Result<(mapping::ColumnMap, csv::CsvTable)> {
    let fail = |problems: Vec<Problem>| Error::Import {
        file: input.name.to_string(),
        problems,
    };
    // The map first: a broken map is the problem to name, whatever the file.
    let given = match input.map {
        Some((file, text)) => Some(mapping::parse_map(text).map_err(|message| Error::Config {
            file: file.to_string(),
            message,
        })?),
        None => None,
    };
    let table = csv::parse_as(input.bytes, input.encoding)
        .map_err(|e| fail(vec![Problem::new(e.line, Issue::Csv(e.kind))]))?;
    let map = given.unwrap_or_else(|| mapping::detect(&table.header));
    let wrong: Vec<Problem> = mapping::check_map(&map, &table.header)
        .into_iter()
        .map(|p| Problem::new(p.line, Issue::Map(p.message)))
        .collect();
    // A map that does not fit the file fails every row: never skipped.
    if check && !wrong.is_empty() {
        return Err(fail(wrong));
    }
    Ok((map, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &[u8]) -> CsvInput<'_> {
        CsvInput {
            name: "t.csv",
            bytes,
            map: None,
            encoding: None,
        }
    }

    #[test]
    fn rows_without_an_id_are_known_by_their_content() {
        let a =
            csv::parse_as(b"Subject\nParcel late\nParcel late\nWrong size\n", None).expect("csv");
        let ids: Vec<String> = a.rows.iter().map(content_id).collect();
        assert_eq!(ids[0], ids[1]);
        assert_ne!(ids[0], ids[2]);
        assert!(ids[0].starts_with("csv:") && ids[0].len() == 28);
    }

    #[test]
    fn a_broken_map_is_named_before_the_file_is_read() {
        let bad = CsvInput {
            map: Some(("map.toml", "title = [")),
            ..input(b"\xff\xfe not csv")
        };
        let named = match read(&bad, true) {
            Err(Error::Config { file, .. }) => Some(file),
            _ => None,
        };
        assert_eq!(named.as_deref(), Some("map.toml"));
    }

    #[test]
    fn a_map_that_does_not_fit_fails_the_import_but_is_still_printed() {
        let no_title = input(b"Colour,Size\nred,38\n");
        assert!(matches!(read(&no_title, true), Err(Error::Import { .. })));
        let map = csv_map(&no_title).expect("printed map");
        assert!(map.contains("Colour"), "{map}");
    }
}
