//! Which CSV column feeds which ticket field: from a map file
//! (`--map MAP.toml`) or recognised from the header — tdesk's own export
//! and generic spreadsheets (English or Chinese headers), Zendesk's and
//! Freshdesk's ticket exports. Turns rows into [`ImportRow`]s, naming every
//! problem by line. Pure.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use super::csv::{CsvRow, CsvTable};

/// The fields a column may feed.
pub const TARGETS: [&str; 17] = [
    "external_id",
    "title",
    "description",
    "status",
    "priority",
    "type",
    "category",
    "channel",
    "tags",
    "assignee",
    "team",
    "customer",
    "customer_email",
    "customer_phone",
    "order",
    "created",
    "updated",
];

/// A column map, as written in a map file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ColumnMap {
    /// Layout name, shown in dry runs and used as the external-id prefix.
    #[serde(default)]
    pub source: String,
    /// field → column header.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Columns kept as custom fields: column header → field name.
    #[serde(default)]
    pub custom: BTreeMap<String, String>,
    /// field → (source value, lower-cased → tdesk value).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// A chrono format for dates that are not ISO 8601 / RFC 3339.
    #[serde(default)]
    pub date_format: Option<String>,
    /// What separates tags in a cell (default: comma, space or semicolon).
    #[serde(default)]
    pub tag_separator: Option<String>,
}

/// One ticket read from a row, before the desk checks names against its
/// workflow and members.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRow {
    pub line: usize,
    pub external_id: String,
    pub title: String,
    pub description: String,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub kind: Option<String>,
    pub category: Option<String>,
    pub channel: Option<String>,
    pub tags: Vec<String>,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub customer: Option<String>,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub orders: Vec<String>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// A problem with a row (or, at line 0, with the map or header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub message: MapMessage,
}

/// What went wrong, for the caller to put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapMessage {
    /// The map names a field tdesk does not have.
    UnknownTarget(String),
    /// The map names a column the file does not have.
    MissingColumn(String),
    /// No column gives the title.
    NoTitle,
    /// The row has more cells than the header.
    ExtraCells { expected: usize, found: usize },
    /// An empty title.
    EmptyTitle,
    /// A date in no known form.
    BadDate { field: String, value: String },
}

/// Header aliases of the generic layout (lower-case).
const ALIASES: [(&str, &[&str]); 17] = [
    (
        "external_id",
        &["number", "id", "external_id", "ticket", "编号", "工单号"],
    ),
    ("title", &["title", "subject", "标题", "主题", "问题"]),
    (
        "description",
        &[
            "description",
            "body",
            "details",
            "描述",
            "内容",
            "问题描述",
            "详情",
        ],
    ),
    ("status", &["status", "state", "状态"]),
    ("priority", &["priority", "优先级"]),
    ("type", &["type", "ticket type", "类型"]),
    ("category", &["category", "分类", "类别"]),
    ("channel", &["channel", "source", "via", "渠道", "来源"]),
    ("tags", &["tags", "labels", "标签"]),
    (
        "assignee",
        &["assignee", "agent", "owner", "负责人", "处理人"],
    ),
    ("team", &["team", "group", "团队", "小组"]),
    (
        "customer",
        &["customer", "customer name", "name", "客户", "客户名"],
    ),
    (
        "customer_email",
        &[
            "customer_email",
            "customer email",
            "email",
            "邮箱",
            "客户邮箱",
        ],
    ),
    ("customer_phone", &["phone", "customer phone", "电话"]),
    (
        "order",
        &["order", "order id", "order number", "订单", "订单号"],
    ),
    (
        "created",
        &["created", "created at", "created_at", "创建时间"],
    ),
    (
        "updated",
        &["updated", "updated at", "updated_at", "更新时间"],
    ),
];

/// Zendesk's ticket CSV export (Views → Export as CSV).
const ZENDESK: &str = r#"
source = "zendesk"
[columns]
external_id = "Id"
title = "Subject"
description = "Description"
status = "Status"
priority = "Priority"
type = "Ticket type"
channel = "Via"
tags = "Tags"
team = "Group"
customer = "Requester"
customer_email = "Requester email"
created = "Created at"
updated = "Updated at"
[values.status]
new = "new"
open = "in_progress"
pending = "waiting_customer"
hold = "in_progress"
solved = "resolved"
closed = "closed"
[values.priority]
urgent = "P0"
high = "P1"
normal = "P2"
low = "P3"
[values.type]
problem = "technical"
incident = "technical"
question = "inquiry"
task = "inquiry"
[values.channel]
mail = "email"
web = "web"
"web form" = "web"
"web widget" = "web"
chat = "chat"
phone = "phone"
"phone call (incoming)" = "phone"
api = "other"
twitter = "social"
facebook = "social"
"#;

/// Freshdesk's ticket export (Tickets → Export, CSV).
const FRESHDESK: &str = r#"
source = "freshdesk"
[columns]
external_id = "Ticket ID"
title = "Subject"
description = "Description"
status = "Status"
priority = "Priority"
type = "Type"
channel = "Source"
tags = "Tags"
team = "Group"
customer = "Full name"
customer_email = "Email"
customer_phone = "Work phone"
created = "Created time"
updated = "Last update time"
[values.status]
open = "new"
pending = "waiting_customer"
resolved = "resolved"
closed = "closed"
"waiting on customer" = "waiting_customer"
"waiting on third party" = "in_progress"
[values.priority]
urgent = "P0"
high = "P1"
medium = "P2"
low = "P3"
[values.type]
question = "inquiry"
incident = "technical"
problem = "technical"
"feature request" = "inquiry"
refund = "after-sales"
[values.channel]
email = "email"
portal = "web"
phone = "phone"
chat = "chat"
"feedback widget" = "web"
twitter = "social"
facebook = "social"
"#;

/// Words spreadsheets use for priorities and channels, in English and
/// Chinese (a team's own words go in a map file's `[values]`).
const GENERIC_VALUES: &str = r#"
[priority]
urgent = "P0"
critical = "P0"
"紧急" = "P0"
"非常紧急" = "P0"
high = "P1"
"高" = "P1"
"重要" = "P1"
normal = "P2"
medium = "P2"
"中" = "P2"
"普通" = "P2"
"一般" = "P2"
low = "P3"
"低" = "P3"
[channel]
mail = "email"
e-mail = "email"
"邮件" = "email"
"电子邮件" = "email"
"电话" = "phone"
"聊天" = "chat"
"在线聊天" = "chat"
"在线客服" = "chat"
"网站" = "web"
"网页" = "web"
"表单" = "web"
"社交媒体" = "social"
"微信" = "social"
"微博" = "social"
"平台" = "marketplace"
"平台消息" = "marketplace"
"#;

/// The built-in layouts a header is recognised as, tried in this order.
pub const LAYOUTS: [&str; 3] = ["zendesk", "freshdesk", "generic"];

fn builtin(name: &str) -> Option<ColumnMap> {
    let text = match name {
        "zendesk" => ZENDESK,
        "freshdesk" => FRESHDESK,
        _ => return None,
    };
    toml::from_str(text).ok()
}

/// Parses a map file; the error is toml's own, with its line.
pub fn parse_map(text: &str) -> Result<ColumnMap, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

/// The map for `header`: Zendesk or Freshdesk when every column they name
/// is there, else the generic layout by header aliases.
pub fn detect(header: &[String]) -> ColumnMap {
    let has = |col: &str| header.iter().any(|h| h.eq_ignore_ascii_case(col));
    for name in LAYOUTS {
        if let Some(mut map) = builtin(name) {
            let key = ["external_id", "title", "customer_email"];
            if key
                .iter()
                .all(|k| map.columns.get(*k).is_some_and(|c| has(c)))
            {
                // Exports may leave columns out (a Zendesk view picks its
                // own): the map uses the ones that are there.
                map.columns.retain(|_, c| has(c));
                return map;
            }
        }
    }
    let mut columns = BTreeMap::new();
    for (target, aliases) in ALIASES {
        if let Some(h) = header
            .iter()
            .find(|h| aliases.contains(&h.trim().to_lowercase().as_str()))
        {
            columns.insert(target.to_string(), h.clone());
        }
    }
    ColumnMap {
        source: "generic".into(),
        columns,
        values: toml::from_str(GENERIC_VALUES).unwrap_or_default(),
        ..ColumnMap::default()
    }
}

/// Checks `map` against the header: every problem at line 0.
pub fn check_map(map: &ColumnMap, header: &[String]) -> Vec<RowProblem> {
    let mut problems = Vec::new();
    let mut at0 = |message| problems.push(RowProblem { line: 0, message });
    for (target, column) in &map.columns {
        if !TARGETS.contains(&target.as_str()) {
            at0(MapMessage::UnknownTarget(target.clone()));
        }
        if column_index(header, column).is_none() {
            at0(MapMessage::MissingColumn(column.clone()));
        }
    }
    for column in map.custom.keys() {
        if column_index(header, column).is_none() {
            at0(MapMessage::MissingColumn(column.clone()));
        }
    }
    if !map.columns.contains_key("title") {
        at0(MapMessage::NoTitle);
    }
    problems
}

fn column_index(header: &[String], column: &str) -> Option<usize> {
    header
        .iter()
        .position(|h| h == column)
        .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(column)))
}

/// Maps every row; rows with problems are left out and named.
pub fn map_rows(
    table: &CsvTable,
    map: &ColumnMap,
    fallback_id: impl Fn(&CsvRow) -> String,
) -> (Vec<ImportRow>, Vec<RowProblem>) {
    let index: BTreeMap<&str, usize> = map
        .columns
        .iter()
        .filter_map(|(t, c)| Some((t.as_str(), column_index(&table.header, c)?)))
        .collect();
    let custom: Vec<(usize, &String)> = map
        .custom
        .iter()
        .filter_map(|(c, name)| Some((column_index(&table.header, c)?, name)))
        .collect();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut problems = Vec::new();
    for raw in &table.rows {
        match map_row(raw, table.header.len(), &index, &custom, map, &fallback_id) {
            Ok(row) => rows.push(row),
            Err(message) => problems.push(RowProblem {
                line: raw.line,
                message,
            }),
        }
    }
    (rows, problems)
}

fn map_row(
    raw: &CsvRow,
    width: usize,
    index: &BTreeMap<&str, usize>,
    custom: &[(usize, &String)],
    map: &ColumnMap,
    fallback_id: &impl Fn(&CsvRow) -> String,
) -> Result<ImportRow, MapMessage> {
    // Trailing empty cells are what spreadsheets add; real extra data is not.
    let used = raw
        .cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    if used > width {
        return Err(MapMessage::ExtraCells {
            expected: width,
            found: used,
        });
    }
    let cell = |target: &str| -> Option<String> {
        let text = raw.cells.get(*index.get(target)?)?.trim();
        (!text.is_empty()).then(|| {
            map.values
                .get(target)
                .and_then(|v| v.get(&text.to_lowercase()))
                .cloned()
                .unwrap_or_else(|| text.to_string())
        })
    };
    let title = cell("title").ok_or(MapMessage::EmptyTitle)?;
    let date = |target: &str| -> Result<Option<DateTime<Utc>>, MapMessage> {
        match cell(target) {
            None => Ok(None),
            Some(text) => parse_date(&text, map.date_format.as_deref())
                .map(Some)
                .ok_or(MapMessage::BadDate {
                    field: target.to_string(),
                    value: text,
                }),
        }
    };
    let split = |text: Option<String>| -> Vec<String> {
        let Some(text) = text else { return Vec::new() };
        let parts: Vec<&str> = match &map.tag_separator {
            Some(sep) => text.split(sep.as_str()).collect(),
            None => text.split([',', ' ', ';', '，']).collect(),
        };
        parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect()
    };
    let mut extra = serde_json::Map::new();
    for (i, name) in custom {
        if let Some(v) = raw
            .cells
            .get(*i)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            extra.insert((*name).clone(), serde_json::Value::String(v.to_string()));
        }
    }
    let source = if map.source.is_empty() {
        "csv"
    } else {
        &map.source
    };
    Ok(ImportRow {
        line: raw.line,
        external_id: match cell("external_id") {
            Some(id) => format!("{source}:{id}"),
            None => fallback_id(raw),
        },
        title,
        description: cell("description").unwrap_or_default(),
        status: cell("status"),
        priority: cell("priority"),
        kind: cell("type"),
        category: cell("category"),
        channel: cell("channel"),
        tags: split(cell("tags")),
        assignee: cell("assignee"),
        team: cell("team"),
        customer: cell("customer"),
        customer_email: cell("customer_email"),
        customer_phone: cell("customer_phone"),
        orders: split(cell("order")),
        created: date("created")?,
        updated: date("updated")?,
        custom: extra,
    })
}

/// RFC 3339, `YYYY-MM-DD HH:MM[:SS]` (UTC), `YYYY/MM/DD …`, a bare date,
/// or the map's own format.
pub fn parse_date(text: &str, format: Option<&str>) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Some(f) = format {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Some(d.with_timezone(&Utc));
        }
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return Some(Utc.from_utc_datetime(&n));
        }
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return d.and_hms_opt(0, 0, 0).map(|n| Utc.from_utc_datetime(&n));
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%a, %d %b %Y %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return Some(Utc.from_utc_datetime(&n));
        }
    }
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| Utc.from_utc_datetime(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::csv::parse;

    fn rows(text: &str, map: Option<&ColumnMap>) -> (Vec<ImportRow>, Vec<RowProblem>) {
        let t = parse(text.as_bytes()).expect("csv");
        let detected = detect(&t.header);
        let map = map.unwrap_or(&detected);
        map_rows(&t, map, |r| format!("row:{}", r.line))
    }

    #[test]
    fn zendesk_exports_are_recognised_and_their_values_mapped() {
        let text = "Id,Requester,Requester email,Subject,Description,Status,Priority,Ticket type,Via,Tags,Group,Created at\n\
                    4711,Lena K,lena@example.de,Parcel stuck,It has not moved,pending,urgent,problem,Mail,customs dhl,eu,2026-03-01 09:30:00 +0100\n";
        let t = parse(text.as_bytes()).expect("csv");
        assert_eq!(detect(&t.header).source, "zendesk");
        let (rows, problems) = rows(text, None);
        assert!(problems.is_empty(), "{problems:?}");
        let r = &rows[0];
        assert_eq!(r.external_id, "zendesk:4711");
        assert_eq!(r.status.as_deref(), Some("waiting_customer"));
        assert_eq!(r.priority.as_deref(), Some("P0"));
        assert_eq!(r.kind.as_deref(), Some("technical"));
        assert_eq!(r.channel.as_deref(), Some("email"));
        assert_eq!(r.tags, ["customs", "dhl"]);
        assert_eq!(
            r.created.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-03-01T08:30:00+00:00")
        );
    }

    #[test]
    fn freshdesk_exports_are_recognised() {
        let t = parse(b"Ticket ID,Subject,Description,Status,Priority,Full name,Email\n9,Hi,Body,Open,Medium,A B,a@b.c\n")
            .expect("csv");
        let map = detect(&t.header);
        assert_eq!(map.source, "freshdesk");
        let (rows, _) = map_rows(&t, &map, |_| String::new());
        assert_eq!(rows[0].status.as_deref(), Some("new"));
        assert_eq!(rows[0].priority.as_deref(), Some("P2"));
    }

    #[test]
    fn chinese_spreadsheet_headers_map_by_alias() {
        let (rows, problems) = rows(
            "标题,客户邮箱,优先级,订单号,标签\n包裹丢失,wang@example.cn,P1,A-1 A-2,物流\n",
            None,
        );
        assert!(problems.is_empty());
        assert_eq!(rows[0].title, "包裹丢失");
        assert_eq!(rows[0].customer_email.as_deref(), Some("wang@example.cn"));
        assert_eq!(rows[0].orders, ["A-1", "A-2"]);
        assert_eq!(
            rows[0].external_id, "row:2",
            "no id column: the caller's fallback"
        );
    }

    #[test]
    fn an_export_with_fewer_columns_still_maps() {
        let (rows, problems) = rows(
            "Id,Subject,Requester email\n7,Late parcel,a@example.com\n",
            None,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows[0].external_id, "zendesk:7");
        assert_eq!(rows[0].status, None);
    }

    #[test]
    fn spreadsheet_words_for_priority_and_channel_are_understood() {
        let (rows, problems) = rows(
            "标题,优先级,渠道\n耳机没声音,高,邮件\nLate parcel,Urgent,Phone\n",
            None,
        );
        assert!(problems.is_empty());
        assert_eq!(rows[0].priority.as_deref(), Some("P1"));
        assert_eq!(rows[0].channel.as_deref(), Some("email"));
        assert_eq!(rows[1].priority.as_deref(), Some("P0"));
        assert_eq!(
            rows[1].channel.as_deref(),
            Some("Phone"),
            "left to the desk"
        );
        assert!(GENERIC_VALUES.parse::<toml::Table>().is_ok());
    }

    #[test]
    fn bad_rows_are_named_by_line_and_the_good_ones_kept() {
        let (rows, problems) = rows(
            "title,created\nok,2026-01-02\n,2026-01-02\nfine,yesterday\nx,2026-01-01,extra\n",
            None,
        );
        assert_eq!(rows.len(), 1);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert_eq!(problems[0].message, MapMessage::EmptyTitle);
        assert!(matches!(problems[1].message, MapMessage::BadDate { .. }));
        assert!(matches!(
            problems[2].message,
            MapMessage::ExtraCells {
                expected: 2,
                found: 3
            }
        ));
    }

    #[test]
    fn a_map_file_names_columns_custom_fields_and_value_maps() {
        let map = parse_map(
            "source = \"sheet\"\ndate_format = \"%d.%m.%Y\"\n[columns]\ntitle = \"Betreff\"\ncreated = \"Datum\"\npriority = \"Prio\"\n\
             [custom]\n\"Marktplatz\" = \"marketplace\"\n[values.priority]\nhoch = \"P1\"\n",
        )
        .expect("map");
        let t =
            parse("Betreff,Datum,Prio,Marktplatz\nKaputt,03.02.2026,Hoch,amazon.de\n".as_bytes())
                .expect("csv");
        assert!(check_map(&map, &t.header).is_empty());
        let (rows, _) = map_rows(&t, &map, |_| String::new());
        assert_eq!(rows[0].priority.as_deref(), Some("P1"));
        assert_eq!(rows[0].custom["marketplace"], "amazon.de");
        assert_eq!(
            rows[0]
                .created
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-02-03")
        );
    }

    #[test]
    fn a_map_naming_missing_columns_or_fields_is_refused() {
        let map = parse_map("[columns]\ntitel = \"A\"\ndescription = \"Nope\"\n").expect("map");
        let problems = check_map(&map, &["A".to_string()]);
        let messages: Vec<_> = problems.into_iter().map(|p| p.message).collect();
        assert!(messages.contains(&MapMessage::UnknownTarget("titel".into())));
        assert!(messages.contains(&MapMessage::MissingColumn("Nope".into())));
        assert!(messages.contains(&MapMessage::NoTitle));
        assert!(parse_map("[columns\n").is_err());
    }
}
