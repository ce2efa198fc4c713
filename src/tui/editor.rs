//! The request editor: tabs (URL, Query, Headers, Body, Auth), their rows, and the field
//! being edited. Edits apply to the request as they are typed, so the inspector previews
//! what will be signed; a JSON body applies only while it parses.

use crate::model::collection::SignatureIn;
use crate::model::{Auth, Body, NameValue, RequestSpec};
use crate::sign::PayloadMode;
use tui_textarea::TextArea;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Url,
    Query,
    Headers,
    Body,
    Auth,
    /// The variables the request sees, where each is defined (rows come from the workspace).
    Vars,
}

pub const TABS: [Tab; 6] = [
    Tab::Url,
    Tab::Query,
    Tab::Headers,
    Tab::Body,
    Tab::Auth,
    Tab::Vars,
];

impl Tab {
    pub fn title(self) -> &'static str {
        match self {
            Tab::Url => "URL",
            Tab::Query => "Query",
            Tab::Headers => "Headers",
            Tab::Body => "Body",
            Tab::Auth => "Auth",
            Tab::Vars => "Vars",
        }
    }
}

/// A text field of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Method,
    Url,
    Name,
    Description,
    QueryName(usize),
    QueryValue(usize),
    HeaderName(usize),
    HeaderValue(usize),
    FormName(usize),
    FormValue(usize),
    Body,
    BodyFile,
    Profile,
    Region,
    Service,
    Expires,
    ClockOffset,
    Token,
    Username,
    Password,
}

/// A value cycled with Space (or Enter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    BodyType,
    AuthType,
    Payload,
    Location,
    Normalize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Field(Field),
    Choice(Choice),
    /// A query, header or form-field row: name and value, on/off.
    Pair(usize),
}

/// The name/value rows a tab edits as a table: query, headers, or a form body's fields.
pub fn pairs(spec: &RequestSpec, tab: Tab) -> Option<&Vec<NameValue>> {
    match (tab, &spec.body) {
        (Tab::Query, _) => Some(&spec.query),
        (Tab::Headers, _) => Some(&spec.headers),
        (Tab::Body, Body::FormUrlencoded { fields }) => Some(fields),
        _ => None,
    }
}

pub fn pairs_mut(spec: &mut RequestSpec, tab: Tab) -> Option<&mut Vec<NameValue>> {
    match (tab, &mut spec.body) {
        (Tab::Query, _) => Some(&mut spec.query),
        (Tab::Headers, _) => Some(&mut spec.headers),
        (Tab::Body, Body::FormUrlencoded { fields }) => Some(fields),
        _ => None,
    }
}

/// The rows of a tab for this request.
pub fn rows(spec: &RequestSpec, tab: Tab) -> Vec<RowKind> {
    use RowKind::*;
    match tab {
        Tab::Url => vec![
            Field(self::Field::Method),
            Field(self::Field::Url),
            Field(self::Field::Name),
            Field(self::Field::Description),
        ],
        Tab::Query => (0..spec.query.len()).map(Pair).collect(),
        Tab::Headers => (0..spec.headers.len()).map(Pair).collect(),
        Tab::Body => {
            let mut r = vec![Choice(self::Choice::BodyType)];
            match &spec.body {
                Body::Json { .. } | Body::Text { .. } => r.push(Field(self::Field::Body)),
                Body::FormUrlencoded { fields } => r.extend((0..fields.len()).map(Pair)),
                Body::File { .. } => r.push(Field(self::Field::BodyFile)),
                Body::None => {}
            }
            r
        }
        Tab::Vars => Vec::new(),
        Tab::Auth => {
            let mut r = vec![Choice(self::Choice::AuthType)];
            match spec.auth {
                Auth::AwsSigv4 { .. } => r.extend([
                    Field(self::Field::Profile),
                    Field(self::Field::Region),
                    Field(self::Field::Service),
                    Choice(self::Choice::Payload),
                    Choice(self::Choice::Location),
                    Field(self::Field::Expires),
                    Choice(self::Choice::Normalize),
                    Field(self::Field::ClockOffset),
                ]),
                Auth::Bearer { .. } => r.push(Field(self::Field::Token)),
                Auth::Basic { .. } => {
                    r.extend([Field(self::Field::Username), Field(self::Field::Password)])
                }
                _ => {}
            }
            r
        }
    }
}

pub fn label(field: Field) -> &'static str {
    match field {
        Field::Method => "Method",
        Field::Url => "URL",
        Field::Name => "Name",
        Field::Description => "Description",
        Field::QueryName(_) | Field::HeaderName(_) | Field::FormName(_) => "name",
        Field::QueryValue(_) | Field::HeaderValue(_) | Field::FormValue(_) => "value",
        Field::Body => "Body",
        Field::BodyFile => "File",
        Field::Profile => "Profile",
        Field::Region => "Region",
        Field::Service => "Service",
        Field::Expires => "Expires (s)",
        Field::ClockOffset => "Clock offset (s)",
        Field::Token => "Token",
        Field::Username => "Username",
        Field::Password => "Password",
    }
}

pub fn choice_label(c: Choice) -> &'static str {
    match c {
        Choice::BodyType => "Body type",
        Choice::AuthType => "Auth",
        Choice::Payload => "Payload",
        Choice::Location => "Signature in",
        Choice::Normalize => "Normalize path",
    }
}

fn sigv4(spec: &RequestSpec) -> Option<&Auth> {
    matches!(spec.auth, Auth::AwsSigv4 { .. }).then_some(&spec.auth)
}

/// The text a field holds now.
pub fn text(spec: &RequestSpec, field: Field) -> String {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let num = |o: Option<i64>| o.map(|n| n.to_string()).unwrap_or_default();
    match field {
        Field::Method => spec.method.clone(),
        Field::Url => spec.url.clone(),
        Field::Name => spec.name.clone(),
        Field::Description => opt(&spec.description),
        Field::QueryName(_)
        | Field::QueryValue(_)
        | Field::HeaderName(_)
        | Field::HeaderValue(_)
        | Field::FormName(_)
        | Field::FormValue(_) => {
            let (tab, i, name) = field.cell().expect("a table cell");
            pairs(spec, tab)
                .and_then(|items| items.get(i))
                .map(|item| {
                    if name {
                        item.name.clone()
                    } else {
                        item.value.clone()
                    }
                })
                .unwrap_or_default()
        }
        Field::BodyFile => match &spec.body {
            Body::File { path } => path.clone(),
            _ => String::new(),
        },
        Field::Body => match &spec.body {
            Body::Json { content } => serde_json::to_string_pretty(content).unwrap_or_default(),
            Body::Text { content } => content.clone(),
            _ => String::new(),
        },
        Field::Token => match &spec.auth {
            Auth::Bearer { token } => token.clone(),
            _ => String::new(),
        },
        Field::Username | Field::Password => match &spec.auth {
            Auth::Basic { username, password } => {
                if field == Field::Username {
                    username.clone()
                } else {
                    password.clone()
                }
            }
            _ => String::new(),
        },
        _ => match sigv4(spec) {
            Some(Auth::AwsSigv4 {
                profile,
                region,
                service,
                expires_seconds,
                clock_offset_seconds,
                ..
            }) => match field {
                Field::Profile => opt(profile),
                Field::Region => opt(region),
                Field::Service => opt(service),
                Field::Expires => num(expires_seconds.map(|n| n as i64)),
                Field::ClockOffset => num(*clock_offset_seconds),
                _ => String::new(),
            },
            _ => String::new(),
        },
    }
}

/// Writes `value` into the field. `Err` says why it is not applied (the text stays in the
/// editor).
pub fn apply(spec: &mut RequestSpec, field: Field, value: &str) -> Result<(), String> {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let mut pair = |field: Field| {
        let (tab, i, name) = field.cell().expect("a table cell");
        if let Some(item) = pairs_mut(spec, tab).and_then(|items| items.get_mut(i)) {
            if name {
                item.name = value.to_string();
            } else {
                item.value = value.to_string();
            }
        }
    };
    match field {
        Field::Method => {
            let m = value.trim().to_ascii_uppercase();
            if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err("a method is letters only (GET, POST, ...)".into());
            }
            spec.method = m;
        }
        Field::Url => spec.url = value.trim().to_string(),
        Field::Name => {
            if value.trim().is_empty() {
                return Err("a name cannot be empty".into());
            }
            spec.name = value.trim().to_string()
        }
        Field::Description => spec.description = some(value),
        Field::HeaderName(_) if value.bytes().any(|b| b <= b' ' || b == b':' || b >= 0x7f) => {
            return Err("a header name has no spaces, colons or control characters".into());
        }
        Field::HeaderValue(_) if value.bytes().any(|b| b == b'\r' || b == b'\n') => {
            return Err("a header value is one line".into());
        }
        Field::QueryName(_)
        | Field::QueryValue(_)
        | Field::HeaderName(_)
        | Field::HeaderValue(_)
        | Field::FormName(_)
        | Field::FormValue(_) => pair(field),
        Field::BodyFile => {
            if let Body::File { path } = &mut spec.body {
                *path = value.trim().to_string();
            }
        }
        Field::Body => match &mut spec.body {
            Body::Json { content } => {
                *content = serde_json::from_str(value).map_err(|e| {
                    format!(
                        "invalid JSON at line {}, column {}: {e}",
                        e.line(),
                        e.column()
                    )
                })?
            }
            Body::Text { content } => *content = value.to_string(),
            _ => {}
        },
        Field::Token => {
            if let Auth::Bearer { token } = &mut spec.auth {
                *token = value.trim().to_string();
            }
        }
        Field::Username | Field::Password => {
            if let Auth::Basic { username, password } = &mut spec.auth {
                if field == Field::Username {
                    *username = value.trim().to_string();
                } else {
                    *password = value.trim().to_string();
                }
            }
        }
        _ => {
            let Auth::AwsSigv4 {
                profile,
                region,
                service,
                expires_seconds,
                clock_offset_seconds,
                ..
            } = &mut spec.auth
            else {
                return Ok(());
            };
            let number = |s: &str| -> Result<Option<i64>, String> {
                match s.trim() {
                    "" => Ok(None),
                    t => t
                        .parse()
                        .map(Some)
                        .map_err(|_| format!("'{t}' is not a whole number of seconds")),
                }
            };
            match field {
                Field::Profile => *profile = some(value),
                Field::Region => *region = some(value),
                Field::Service => *service = some(value),
                Field::Expires => {
                    let n = number(value)?;
                    if matches!(n, Some(n) if !(1..=604_800).contains(&n)) {
                        return Err("a presigned URL lasts 1 to 604800 seconds (7 days)".into());
                    }
                    *expires_seconds = n.map(|n| n as u64);
                }
                Field::ClockOffset => *clock_offset_seconds = number(value)?,
                _ => {}
            }
        }
    }
    Ok(())
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Space on a row: toggles a pair, cycles a choice or the method.
pub fn cycle(spec: &mut RequestSpec, tab: Tab, row: RowKind) {
    fn next<T: PartialEq + Clone>(all: &[T], now: &T) -> T {
        let i = all
            .iter()
            .position(|x| x == now)
            .map(|i| i + 1)
            .unwrap_or(0);
        all[i % all.len()].clone()
    }
    match row {
        RowKind::Pair(i) => {
            if let Some(item) = pairs_mut(spec, tab).and_then(|items| items.get_mut(i)) {
                item.enabled = !item.enabled;
            }
        }
        RowKind::Field(Field::Method) => {
            spec.method = next(&METHODS.map(String::from), &spec.method);
        }
        RowKind::Field(_) => {}
        RowKind::Choice(Choice::BodyType) => {
            // none → json → text → form → file → none; the text carries over from json to
            // text, and a text of `a=1&b=2` becomes form fields.
            let current = text(spec, Field::Body);
            spec.body = match &spec.body {
                Body::None => Body::Json {
                    content: serde_json::json!({}),
                },
                Body::Json { .. } => Body::Text { content: current },
                Body::Text { content } => Body::FormUrlencoded {
                    fields: form_fields(content),
                },
                Body::FormUrlencoded { .. } => Body::File {
                    path: String::new(),
                },
                Body::File { .. } => Body::None,
            };
        }
        RowKind::Choice(Choice::AuthType) => {
            spec.auth = match &spec.auth {
                Auth::Inherit => Auth::None,
                Auth::None => Auth::AwsSigv4 {
                    profile: None,
                    region: None,
                    service: None,
                    payload: None,
                    location: None,
                    expires_seconds: None,
                    normalize_path: None,
                    clock_offset_seconds: None,
                    sign_headers: Vec::new(),
                },
                Auth::AwsSigv4 { .. } => Auth::Bearer {
                    token: "{{$env.API_TOKEN}}".into(),
                },
                Auth::Bearer { .. } => Auth::Basic {
                    username: "{{username}}".into(),
                    password: "{{$env.API_PASSWORD}}".into(),
                },
                Auth::Basic { .. } => Auth::Inherit,
            };
        }
        RowKind::Choice(c) => {
            if let Auth::AwsSigv4 {
                payload,
                location,
                normalize_path,
                ..
            } = &mut spec.auth
            {
                match c {
                    Choice::Payload => {
                        *payload = next(
                            &[
                                None,
                                Some(PayloadMode::Signed),
                                Some(PayloadMode::Unsigned),
                                Some(PayloadMode::SignedHeader),
                            ],
                            payload,
                        )
                    }
                    Choice::Location => {
                        *location = next(
                            &[None, Some(SignatureIn::Headers), Some(SignatureIn::Query)],
                            location,
                        )
                    }
                    Choice::Normalize => {
                        *normalize_path = next(&[None, Some(true), Some(false)], normalize_path)
                    }
                    _ => {}
                }
            }
        }
    }
}

/// How a choice reads now.
pub fn choice_text(spec: &RequestSpec, c: Choice) -> String {
    let dflt = |s: Option<&str>| s.map(str::to_string).unwrap_or_else(|| "default".into());
    match c {
        Choice::BodyType => match &spec.body {
            Body::None => "none",
            Body::Json { .. } => "json",
            Body::Text { .. } => "text",
            Body::FormUrlencoded { .. } => "form (x-www-form-urlencoded)",
            Body::File { .. } => "file (read when sent)",
        }
        .into(),
        Choice::AuthType => match &spec.auth {
            Auth::Inherit => "inherit (from folder / collection)",
            Auth::None => "none",
            Auth::AwsSigv4 { .. } => "aws-sigv4",
            Auth::Bearer { .. } => "bearer",
            Auth::Basic { .. } => "basic",
        }
        .into(),
        _ => match &spec.auth {
            Auth::AwsSigv4 {
                payload,
                location,
                normalize_path,
                ..
            } => match c {
                Choice::Payload => dflt(payload.map(|p| match p {
                    PayloadMode::Signed => "signed",
                    PayloadMode::Unsigned => "unsigned",
                    PayloadMode::SignedHeader => "signed + x-amz-content-sha256",
                })),
                Choice::Location => dflt(location.map(|l| match l {
                    SignatureIn::Headers => "headers",
                    SignatureIn::Query => "presigned query",
                })),
                _ => dflt(normalize_path.map(|n| if n { "yes" } else { "no (S3 style)" })),
            },
            _ => String::new(),
        },
    }
}

/// The field a row edits, given the column for pairs.
pub fn field_of(tab: Tab, row: RowKind, col: usize) -> Option<Field> {
    match row {
        RowKind::Field(f) => Some(f),
        RowKind::Pair(i) => Some(match (tab, col) {
            (Tab::Query, 0) => Field::QueryName(i),
            (Tab::Query, _) => Field::QueryValue(i),
            (Tab::Body, 0) => Field::FormName(i),
            (Tab::Body, _) => Field::FormValue(i),
            (_, 0) => Field::HeaderName(i),
            _ => Field::HeaderValue(i),
        }),
        RowKind::Choice(_) => None,
    }
}

impl Field {
    /// For a table cell: its tab, row, and whether it is the name (else the value).
    pub fn cell(self) -> Option<(Tab, usize, bool)> {
        Some(match self {
            Field::QueryName(i) => (Tab::Query, i, true),
            Field::QueryValue(i) => (Tab::Query, i, false),
            Field::HeaderName(i) => (Tab::Headers, i, true),
            Field::HeaderValue(i) => (Tab::Headers, i, false),
            Field::FormName(i) => (Tab::Body, i, true),
            Field::FormValue(i) => (Tab::Body, i, false),
            _ => return None,
        })
    }
}

/// `a=1&b=x%20y` as form fields (decoded); anything else as no fields.
fn form_fields(text: &str) -> Vec<NameValue> {
    let text = text.trim();
    if text.is_empty() || text.contains(['\n', '{', '<']) {
        return Vec::new();
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            NameValue {
                name: decode(n),
                value: decode(v),
                enabled: true,
            }
        })
        .collect()
}

/// A field being edited.
pub struct Editing {
    pub field: Field,
    pub area: TextArea<'static>,
    /// The request as it was before the edit: a discarded edit restores it.
    pub original: RequestSpec,
    pub error: Option<String>,
    /// An Esc with an invalid value arms the next Esc to discard.
    pub discard_armed: bool,
}

impl Editing {
    pub fn new(spec: &RequestSpec, field: Field) -> Editing {
        let value = text(spec, field);
        let lines: Vec<String> = if field == Field::Body {
            value.lines().map(str::to_string).collect()
        } else {
            vec![value]
        };
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.move_cursor(tui_textarea::CursorMove::Bottom);
        area.move_cursor(tui_textarea::CursorMove::End);
        Editing {
            field,
            area,
            original: spec.clone(),
            error: None,
            discard_armed: false,
        }
    }

    pub fn value(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn multiline(&self) -> bool {
        self.field == Field::Body
    }
}

#[derive(Default)]
pub struct Editor {
    pub tab_index: usize,
    pub row: usize,
    /// 0 = name, 1 = value, in Query and Headers.
    pub col: usize,
    pub editing: Option<Editing>,
}

impl Editor {
    pub fn tab(&self) -> Tab {
        TABS[self.tab_index % TABS.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RequestSpec {
        serde_json::from_value(serde_json::json!({
            "name": "r", "method": "GET", "url": "https://x",
            "body": {"type": "json", "content": {"a": 1}},
            "auth": {"type": "aws-sigv4"}
        }))
        .unwrap()
    }

    #[test]
    fn json_bodies_apply_only_when_they_parse() {
        let mut s = spec();
        let e = apply(&mut s, Field::Body, "{\"a\": ").unwrap_err();
        assert!(e.starts_with("invalid JSON at line 1"), "{e}");
        assert_eq!(text(&s, Field::Body), "{\n  \"a\": 1\n}", "unchanged");
        apply(&mut s, Field::Body, "{\"b\": [true]}").unwrap();
        assert!(matches!(&s.body, Body::Json { content } if content["b"][0] == true));
    }

    #[test]
    fn fields_are_checked_and_choices_cycle() {
        let mut s = spec();
        assert!(apply(&mut s, Field::Expires, "9999999").is_err());
        assert!(apply(&mut s, Field::ClockOffset, "soon").is_err());
        apply(&mut s, Field::ClockOffset, "-600").unwrap();
        apply(&mut s, Field::Region, " eu-west-1 ").unwrap();
        assert_eq!(text(&s, Field::Region), "eu-west-1");
        assert!(apply(&mut s, Field::HeaderName(0), "bad name").is_err());
        cycle(&mut s, Tab::Auth, RowKind::Choice(Choice::Location));
        assert_eq!(choice_text(&s, Choice::Location), "headers");
        cycle(&mut s, Tab::Auth, RowKind::Choice(Choice::Location));
        assert_eq!(choice_text(&s, Choice::Location), "presigned query");
        cycle(&mut s, Tab::Url, RowKind::Field(Field::Method));
        assert_eq!(s.method, "POST");
        assert_eq!(rows(&s, Tab::Auth).len(), 9);
    }
}
