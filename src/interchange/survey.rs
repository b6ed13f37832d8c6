//! Satisfaction survey exports (a form tool, a marketplace's feedback
//! report) as CSV: one row per answer with the ticket number, a 1–5
//! rating, and optionally the customer's comment and a yes/no "solved".
//! Columns are found by their header in English or Chinese. Pure.

use super::csv::CsvTable;
use super::verdict::parse_verdict;

/// One answer of the survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswer {
    /// The file's line, for messages.
    pub line: usize,
    pub ticket: i64,
    pub rating: Option<u8>,
    pub satisfied: Option<bool>,
    pub comment: Option<String>,
}

/// A problem with the file, on a line (0: the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyError {
    pub line: usize,
    /// Catalog key (`survey.*`).
    pub key: &'static str,
    pub value: String,
}

const TICKET: &[&str] = &[
    "ticket",
    "ticket id",
    "ticket_id",
    "ticket number",
    "number",
    "#",
    "工单",
    "工单号",
    "工单编号",
];
const RATING: &[&str] = &[
    "rating",
    "score",
    "csat",
    "stars",
    "satisfaction",
    "评分",
    "分数",
    "满意度",
    "星级",
];
const COMMENT: &[&str] = &[
    "comment", "comments", "feedback", "remarks", "评价", "意见", "留言", "备注",
];
const SOLVED: &[&str] = &[
    "solved",
    "resolved",
    "accepted",
    "是否解决",
    "已解决",
    "验收",
];

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').to_lowercase();
    header
        .iter()
        .position(|h| names.contains(&norm(h).as_str()))
}

/// The answers of a survey table, and every row that does not read. A
/// header without the columns needed is an error for the whole file.
pub type SurveyRows = (Vec<SurveyAnswer>, Vec<SurveyError>);

/// Reads a survey table: the answers, and a problem for each row that
/// does not read (the caller decides whether they stop the import).
pub fn parse_survey(table: &CsvTable) -> Result<SurveyRows, SurveyError> {
    let err = |line, key, value: &str| SurveyError {
        line,
        key,
        value: value.chars().take(80).collect(),
    };
    let ticket = column(&table.header, TICKET)
        .ok_or_else(|| err(1, "survey.no_ticket_column", &table.header.join(", ")))?;
    let rating = column(&table.header, RATING);
    let comment = column(&table.header, COMMENT);
    let solved = column(&table.header, SOLVED);
    if rating.is_none() && solved.is_none() {
        return Err(err(1, "survey.no_rating_column", &table.header.join(", ")));
    }
    let cell = |row: &[String], i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
    };
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for row in &table.rows {
        let number = cell(&row.cells, Some(ticket)).unwrap_or_default();
        let Some(id) = number
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
        else {
            bad.push(err(row.line, "survey.bad_ticket", &number));
            continue;
        };
        let rating = match cell(&row.cells, rating) {
            Some(r) => match parse_verdict(&r).and_then(|v| v.rating) {
                Some(r) => Some(r),
                None => {
                    bad.push(err(row.line, "survey.bad_rating", &r));
                    continue;
                }
            },
            None => None,
        };
        let satisfied = cell(&row.cells, solved)
            .and_then(|s| parse_verdict(&s))
            .and_then(|v| v.satisfied);
        if rating.is_none() && satisfied.is_none() {
            bad.push(err(row.line, "survey.no_answer", &number));
            continue;
        }
        out.push(SurveyAnswer {
            line: row.line,
            ticket: id,
            rating,
            satisfied,
            comment: cell(&row.cells, comment),
        });
    }
    Ok((out, bad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::csv::parse;

    #[test]
    fn english_and_chinese_headers_are_found() {
        let t =
            parse("Ticket,Rating,Comment\n#12,5,Great service\n13,★★,still broken\n".as_bytes())
                .expect("csv");
        let (answers, bad) = parse_survey(&t).expect("survey");
        assert!(bad.is_empty());
        assert_eq!(answers.len(), 2);
        assert_eq!((answers[0].ticket, answers[0].rating), (12, Some(5)));
        assert_eq!((answers[1].ticket, answers[1].rating), (13, Some(2)));
        let t = parse("工单号,评分,是否解决,留言\n7,4,是的,谢谢\n".as_bytes()).expect("csv");
        let a = &parse_survey(&t).expect("survey").0[0];
        assert_eq!((a.ticket, a.rating, a.satisfied), (7, Some(4), Some(true)));
        assert_eq!(a.comment.as_deref(), Some("谢谢"));
    }

    #[test]
    fn problems_name_their_line() {
        let t = parse("Name,Rating\nx,5\n".as_bytes()).expect("csv");
        assert_eq!(
            parse_survey(&t).map_err(|e| e.key),
            Err("survey.no_ticket_column")
        );
        let t = parse("Ticket,Rating\n12,5\nabc,4\n14,excellent!!\n".as_bytes()).expect("csv");
        let (answers, bad) = parse_survey(&t).expect("rows");
        assert_eq!(answers.len(), 1);
        let got: Vec<(usize, &str)> = bad.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(got, [(3, "survey.bad_ticket"), (4, "survey.bad_rating")]);
    }
}
