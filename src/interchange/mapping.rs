//! Which CSV column feeds which ticket field: from a map file
//! (`--map MAP.toml`) or recognised from the header — tdesk's own export
//! and generic spreadsheets (English or Chinese headers), Zendesk's and
//! Freshdesk's ticket exports. Turns rows into [`ImportRow`]s, naming every
//! problem by line. Pure.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
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
    /// field → (source value → tdesk value); source values are matched
    /// whatever their case and spacing (keys are kept normalised).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// A chrono format for dates that are not ISO 8601 / RFC 3339.
    #[serde(default)]
    pub date_format: Option<String>,
    /// What separates tags in a cell (default: comma, space or semicolon).
    #[serde(default)]
    pub tag_separator: Option<String>,
    /// The offset dates without one are in (`+08:00`); by default the
    /// desk's time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// The offset for dates without one (set by the importer from
    /// `time_zone`); when unset, the local time zone (TZ), daylight saving
    /// included.
    #[serde(skip)]
    pub zone: Option<FixedOffset>,
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
    /// A column the map reads appears more than once in the header.
    DuplicateColumn(String),
    /// A custom field with no name (`"Column" = ""`).
    EmptyCustomName(String),
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

/// Words spreadsheets and helpdesk exports use for states, priorities,
/// types and channels, in English and Chinese. They apply under every map;
/// a team's own words go in a map file's `[values]` and win.
const GENERIC_VALUES: &str = r#"
[status]
open = "new"
"not started" = "new"
"to do" = "new"
"待处理" = "new"
"未处理" = "new"
"in progress" = "in_progress"
"on hold" = "in_progress"
"进行中" = "in_progress"
pending = "waiting_customer"
"pending customer response" = "waiting_customer"
"waiting on customer" = "waiting_customer"
"awaiting customer" = "waiting_customer"
"等待客户" = "waiting_customer"
"等待回复" = "waiting_customer"
solved = "resolved"
done = "resolved"
"已解决" = "resolved"
"已完成" = "resolved"
"已关闭" = "closed"
[type]
question = "inquiry"
"product inquiry" = "inquiry"
"billing inquiry" = "inquiry"
problem = "technical"
incident = "technical"
bug = "technical"
"technical issue" = "technical"
refund = "after-sales"
"refund request" = "after-sales"
return = "after-sales"
"cancellation request" = "after-sales"
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
"social media" = "social"
"#;

/// The built-in layouts a header is recognised as, tried in this order.
pub const LAYOUTS: [&str; 3] = ["zendesk", "freshdesk", "generic"];

fn builtin(name: &str) -> Option<ColumnMap> {
    let text = match name {
        "zendesk" => ZENDESK,
        "freshdesk" => FRESHDESK,
        _ => return None,
    };
    toml::from_str(text).ok().map(ColumnMap::with_builtin_words)
}

/// Parses a map file; the error is toml's own, with its line. The built-in
/// value words apply under the file's own.
pub fn parse_map(text: &str) -> Result<ColumnMap, String> {
    toml::from_str::<ColumnMap>(text)
        .map(ColumnMap::with_builtin_words)
        .map_err(|e| e.to_string())
}

/// A cell value or `[values]` key as compared: lower case, blanks trimmed
/// and runs of them made one space.
fn value_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn generic_values() -> BTreeMap<String, BTreeMap<String, String>> {
    toml::from_str(GENERIC_VALUES).unwrap_or_default()
}

impl ColumnMap {
    /// Keys normalised (so `"Open" = "new"` matches a cell `open`), then
    /// the built-in words added where the map has none of its own.
    fn with_builtin_words(mut self) -> Self {
        let own = std::mem::take(&mut self.values);
        let mut values = generic_values();
        for words in values.values_mut() {
            *words = words
                .iter()
                .map(|(k, v)| (value_key(k), v.clone()))
                .collect();
        }
        for (field, words) in own {
            let merged = values.entry(field).or_default();
            for (k, v) in words {
                merged.insert(value_key(&k), v);
            }
        }
        self.values = values;
        self
    }

    /// The map as a map file: what a dry run prints (`--print-map`) for the
    /// user to save, edit and pass back with `--map`. Value words are the
    /// layout's own (the built-in ones apply anyway); `unused` columns are
    /// listed as commented-out custom fields.
    pub fn to_toml(&self, unused: &[String]) -> String {
        let q = |s: &str| toml_string(s);
        let mut out = String::new();
        out.push_str(&format!("source = {}\n", q(&self.source)));
        if let Some(z) = &self.time_zone {
            out.push_str(&format!("time_zone = {}\n", q(z)));
        }
        if let Some(f) = &self.date_format {
            out.push_str(&format!("date_format = {}\n", q(f)));
        }
        if let Some(sep) = &self.tag_separator {
            out.push_str(&format!("tag_separator = {}\n", q(sep)));
        }
        out.push_str("\n[columns]\n");
        if !self.columns.contains_key("title") {
            out.push_str("# title = \"COLUMN\"   # no column looked like the title: name it\n");
        }
        for target in TARGETS {
            if let Some(column) = self.columns.get(target) {
                out.push_str(&format!("{target} = {}\n", q(column)));
            }
        }
        // Each column once, each field name unique and not empty.
        let mut names: Vec<String> = self.custom.values().cloned().collect();
        let mut listed: Vec<&String> = Vec::new();
        let mut suggested = Vec::new();
        for column in unused {
            if listed.iter().any(|c| c.eq_ignore_ascii_case(column)) {
                continue;
            }
            listed.push(column);
            let base = Some(custom_name(column))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("column_{}", suggested.len() + 1));
            let mut name = base.clone();
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            names.push(name.clone());
            suggested.push((column, name));
        }
        if !self.custom.is_empty() || !suggested.is_empty() {
            out.push_str("\n# Columns kept as custom fields (column = field name).\n[custom]\n");
            for (column, name) in &self.custom {
                out.push_str(&format!("{} = {}\n", q(column), q(name)));
            }
            for (column, name) in suggested {
                out.push_str(&format!("# {} = {}\n", q(column), q(&name)));
            }
        }
        let builtin = generic_values();
        for (field, words) in &self.values {
            let normal: BTreeMap<String, &String> = builtin
                .get(field)
                .map(|b| b.iter().map(|(k, v)| (value_key(k), v)).collect())
                .unwrap_or_default();
            let own: Vec<(&String, &String)> = words
                .iter()
                .filter(|(k, v)| normal.get(*k) != Some(v))
                .collect();
            if own.is_empty() {
                continue;
            }
            out.push_str(&format!("\n[values.{field}]\n"));
            for (k, v) in own {
                out.push_str(&format!("{} = {}\n", q(k), q(v)));
            }
        }
        out
    }
}

/// A TOML basic string on one line: quotes, backslashes and every control
/// character escaped (a header may hold a line break; a commented-out line
/// must stay one line).
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A custom field name for a column: `Customer Age` → `customer_age`.
fn custom_name(column: &str) -> String {
    header_words(column).join("_")
}

/// The words of a header: `Ticket_Subject`, `ticket-subject` and `Ticket
/// Subject` are all `["ticket", "subject"]`.
fn header_words(header: &str) -> Vec<String> {
    header
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words exports put before a field's name (`Ticket Subject`, `Case Status`).
const HEADER_PREFIXES: [&str; 4] = ["ticket", "case", "issue", "request"];

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
    ColumnMap {
        source: "generic".into(),
        columns: generic_columns(header),
        ..ColumnMap::default()
    }
    .with_builtin_words()
}

/// The generic layout's columns: a header names a field when its words are
/// an alias's (`Customer_Email`, `customer email`), or are once a leading
/// `Ticket`/`Case`/… is dropped (`Ticket Subject`, `Ticket Priority`). Exact
/// names are taken first; no header feeds two fields.
fn generic_columns(header: &[String]) -> BTreeMap<String, String> {
    let alias_words: Vec<(&str, Vec<Vec<String>>)> = ALIASES
        .iter()
        .map(|(t, aliases)| (*t, aliases.iter().map(|a| header_words(a)).collect()))
        .collect();
    let words: Vec<Vec<String>> = header.iter().map(|h| header_words(h)).collect();
    let stripped: Vec<Vec<String>> = words
        .iter()
        .map(|w| match w.split_first() {
            Some((first, rest))
                if !rest.is_empty() && HEADER_PREFIXES.contains(&first.as_str()) =>
            {
                rest.to_vec()
            }
            _ => w.clone(),
        })
        .collect();
    let mut columns = BTreeMap::new();
    let mut used = vec![false; header.len()];
    for candidates in [&words, &stripped] {
        for (target, aliases) in &alias_words {
            if columns.contains_key(*target) {
                continue;
            }
            let found = (0..header.len()).find(|&i| !used[i] && aliases.contains(&candidates[i]));
            if let Some(i) = found {
                used[i] = true;
                columns.insert(target.to_string(), header[i].clone());
            }
        }
    }
    columns
}

/// The header's columns the map does not read.
pub fn unused_columns(map: &ColumnMap, header: &[String]) -> Vec<String> {
    header
        .iter()
        .filter(|h| {
            !h.trim().is_empty()
                && !map.columns.values().any(|c| c.eq_ignore_ascii_case(h))
                && !map.custom.keys().any(|c| c.eq_ignore_ascii_case(h))
        })
        .cloned()
        .collect()
}

/// Checks `map` against the header: every problem at line 0.
pub fn check_map(map: &ColumnMap, header: &[String]) -> Vec<RowProblem> {
    let mut problems = Vec::new();
    let mut at0 = |message| problems.push(RowProblem { line: 0, message });
    let copies = |column: &str| {
        header
            .iter()
            .filter(|h| h.eq_ignore_ascii_case(column))
            .count()
    };
    for (target, column) in &map.columns {
        if !TARGETS.contains(&target.as_str()) {
            at0(MapMessage::UnknownTarget(target.clone()));
        }
        match copies(column) {
            0 => at0(MapMessage::MissingColumn(column.clone())),
            1 => {}
            _ => at0(MapMessage::DuplicateColumn(column.clone())),
        }
    }
    for (column, name) in &map.custom {
        match copies(column) {
            0 => at0(MapMessage::MissingColumn(column.clone())),
            1 => {}
            _ => at0(MapMessage::DuplicateColumn(column.clone())),
        }
        if name.trim().is_empty() {
            at0(MapMessage::EmptyCustomName(column.clone()));
        }
    }
    for field in map.values.keys() {
        if !TARGETS.contains(&field.as_str()) {
            at0(MapMessage::UnknownTarget(format!("values.{field}")));
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
                .and_then(|v| v.get(&value_key(text)))
                .cloned()
                .unwrap_or_else(|| text.to_string())
        })
    };
    let title = cell("title").ok_or(MapMessage::EmptyTitle)?;
    let date = |target: &str| -> Result<Option<DateTime<Utc>>, MapMessage> {
        match cell(target) {
            None => Ok(None),
            Some(text) => parse_date(&text, map.date_format.as_deref(), map.zone)
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
pub fn parse_date(
    text: &str,
    format: Option<&str>,
    zone: Option<FixedOffset>,
) -> Option<DateTime<Utc>> {
    let t = text.trim();
    // A date and time without an offset is a wall-clock time in `zone`, or
    // where the importer is (with that date's daylight saving; in an hour
    // the clocks repeat, the earlier reading; in one they skip, an hour on).
    let local = |n: NaiveDateTime| match zone {
        Some(z) => z
            .from_local_datetime(&n)
            .earliest()
            .map(|d| d.with_timezone(&Utc)),
        None => chrono::Local
            .from_local_datetime(&n)
            .earliest()
            .or_else(|| {
                chrono::Local
                    .from_local_datetime(&(n + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|d| d.with_timezone(&Utc)),
    };
    if let Some(f) = format {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Some(d.with_timezone(&Utc));
        }
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return local(n);
        }
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return d.and_hms_opt(0, 0, 0).and_then(local);
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
            return local(n);
        }
    }
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(local)
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

    #[test]
    fn map_file_value_words_match_whatever_the_case_and_keep_the_built_in_ones() {
        let map = parse_map(
            "[columns]\ntitle = \"Subject\"\nstatus = \"State\"\npriority = \"Prio\"\n\
             [values.status]\n\"Waiting  For Parts\" = \"in_progress\"\n\"Open\" = \"in_progress\"\n",
        )
        .expect("map");
        let t = parse(
            "Subject,State,Prio\na,waiting for parts,High\nb,OPEN,urgent\nc,Pending,低\n"
                .as_bytes(),
        )
        .expect("csv");
        let (rows, problems) = map_rows(&t, &map, |_| String::new());
        assert!(problems.is_empty(), "{problems:?}");
        let status: Vec<_> = rows.iter().map(|r| r.status.as_deref()).collect();
        // The map's own word wins over the built-in open = new.
        assert_eq!(
            status,
            [
                Some("in_progress"),
                Some("in_progress"),
                Some("waiting_customer")
            ]
        );
        let priority: Vec<_> = rows.iter().map(|r| r.priority.as_deref()).collect();
        assert_eq!(priority, [Some("P1"), Some("P0"), Some("P3")]);
    }

    #[test]
    fn prefixed_export_headers_are_matched_by_their_words() {
        let header: Vec<String> = [
            "Ticket ID",
            "Customer Name",
            "Customer Email",
            "Customer Age",
            "Ticket Type",
            "Ticket Subject",
            "Ticket Description",
            "Ticket Status",
            "Ticket Priority",
            "Ticket Channel",
        ]
        .map(String::from)
        .to_vec();
        let map = detect(&header);
        let column = |t: &str| map.columns.get(t).map(String::as_str);
        assert_eq!(column("external_id"), Some("Ticket ID"));
        assert_eq!(column("title"), Some("Ticket Subject"));
        assert_eq!(column("description"), Some("Ticket Description"));
        assert_eq!(column("status"), Some("Ticket Status"));
        assert_eq!(column("priority"), Some("Ticket Priority"));
        assert_eq!(column("channel"), Some("Ticket Channel"));
        assert_eq!(column("type"), Some("Ticket Type"));
        assert_eq!(column("customer"), Some("Customer Name"));
        assert_eq!(column("customer_email"), Some("Customer Email"));
        assert_eq!(unused_columns(&map, &header), ["Customer Age"]);
        let t = parse(
            "Ticket Subject,Ticket Status,Ticket Type,Ticket Channel\nx,Pending Customer Response,Technical issue,Social media\n"
                .as_bytes(),
        )
        .expect("csv");
        let (rows, _) = map_rows(&t, &detect(&t.header), |_| String::new());
        assert_eq!(rows[0].status.as_deref(), Some("waiting_customer"));
        assert_eq!(rows[0].kind.as_deref(), Some("technical"));
        assert_eq!(rows[0].channel.as_deref(), Some("social"));
    }

    #[test]
    fn a_printed_map_reads_back_as_the_same_map() {
        let header: Vec<String> = ["Ticket Subject", "Customer Email", "Customer Age"]
            .map(String::from)
            .to_vec();
        let map = detect(&header);
        let text = map.to_toml(&unused_columns(&map, &header));
        assert!(
            text.contains("# \"Customer Age\" = \"customer_age\""),
            "{text}"
        );
        assert!(
            !text.contains("[values."),
            "built-in words are not repeated: {text}"
        );
        let back = parse_map(&text).expect("printed map parses");
        assert_eq!(back, map);
        // A layout's own words are printed.
        let zendesk = detect(&["Id", "Subject", "Requester email"].map(String::from));
        let text = zendesk.to_toml(&[]);
        assert!(
            text.contains("[values.status]") && text.contains("\"hold\" = \"in_progress\""),
            "{text}"
        );
        assert_eq!(parse_map(&text).expect("parses"), zendesk);
    }
}
