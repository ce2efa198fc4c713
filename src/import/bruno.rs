//! Bruno collections: a folder with `bruno.json`, `collection.bru`, a `folder.bru` per
//! sub-folder, one `.bru` file per request and `environments/*.bru`. `auth:awsv4` becomes
//! aws-sigv4 (region, service, and its `profileName` as the profile; keys never imported);
//! `vars:pre-request` become variables; `vars:post-response` rows become captures and `assert`
//! rows assertions (`super::scripts`), rows with no equivalent kept in the description with a
//! warning naming the request; `tests` and scripts are kept in the description too.
//! `{{process.env.X}}` becomes `{{$env.X}}`.
//!
//! The `.bru` grammar read here: blocks `name {` … `}` (a closing brace alone at the start of
//! a line); dictionary blocks hold `key: value` lines (`~key` is disabled); text blocks
//! (bodies, scripts, docs) hold their text indented by two spaces; `vars:secret [a, b]`.

use super::{append_description, empty_collection, empty_request, sigv4, Imported};
use crate::model::{Auth, Body, Environment, Folder, NameValue, RequestSpec};
use std::collections::BTreeMap;
use std::path::Path;

/// One block of a `.bru` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub name: String,
    /// The lines between the braces, as written.
    pub lines: Vec<String>,
}

impl Block {
    /// `key: value` rows; `~key` is disabled.
    pub fn pairs(&self) -> Vec<NameValue> {
        self.lines
            .iter()
            .filter_map(|l| {
                let t = l.trim();
                if t.is_empty() {
                    return None;
                }
                let (enabled, t) = match t.strip_prefix('~') {
                    Some(rest) => (false, rest),
                    None => (true, t),
                };
                let (k, v) = t.split_once(':').unwrap_or((t, ""));
                Some(NameValue {
                    name: k.trim().to_string(),
                    value: env_refs(v.trim()),
                    enabled,
                })
            })
            .collect()
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.pairs()
            .into_iter()
            .find(|p| p.name == key && p.enabled)
            .map(|p| p.value)
            .filter(|v| !v.is_empty())
    }

    /// The text of a text block, its two-space indent removed.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.strip_prefix("  ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_string()
    }
}

fn env_refs(s: &str) -> String {
    s.replace("{{process.env.", "{{$env.")
}

/// Splits a `.bru` file into its blocks; `file` names it in errors.
pub fn parse_bru(text: &str, file: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let t = line.trim_end();
        if t.trim().is_empty() {
            continue;
        }
        let (name, close) = if let Some(name) = t.strip_suffix('{') {
            (name.trim(), "}")
        } else if let Some(name) = t.strip_suffix('[') {
            (name.trim(), "]")
        } else {
            return Err(format!(
                "{file}:{}: expected a block such as 'meta {{', found '{}'",
                n + 1,
                t.trim()
            ));
        };
        let mut body = Vec::new();
        let mut closed = false;
        for (_, l) in lines.by_ref() {
            if l.trim_end() == close {
                closed = true;
                break;
            }
            body.push(l.to_string());
        }
        if !closed {
            return Err(format!(
                "{file}:{}: block '{name}' is not closed with '{close}'",
                n + 1
            ));
        }
        blocks.push(Block {
            name: name.to_string(),
            lines: body,
        });
    }
    Ok(blocks)
}

fn find<'a>(blocks: &'a [Block], name: &str) -> Option<&'a Block> {
    blocks.iter().find(|b| b.name == name)
}

fn auth(blocks: &[Block], mode: Option<&str>, context: &str, warnings: &mut Vec<String>) -> Auth {
    let literal = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| !crate::model::secrets::is_variable_reference(v))
    };
    match mode {
        Some("awsv4") => {
            let b = find(blocks, "auth:awsv4");
            let get = |k: &str| b.and_then(|b| b.get(k));
            for key in ["accessKeyId", "secretAccessKey", "sessionToken"] {
                if literal(&get(key)) {
                    warnings.push(format!("{context}: awsv4 {key} is a literal credential: not imported; the request uses your AWS profile"));
                }
            }
            let mut a = sigv4(get("region"), get("service"));
            if let Auth::AwsSigv4 { profile, .. } = &mut a {
                *profile = get("profileName");
            }
            a
        }
        Some("bearer") => {
            let token = find(blocks, "auth:bearer").and_then(|b| b.get("token"));
            if literal(&token) {
                warnings.push(format!(
                    "{context}: bearer token not imported: set $API_TOKEN"
                ));
            }
            Auth::Bearer {
                token: token
                    .filter(|t| crate::model::secrets::is_variable_reference(t))
                    .unwrap_or_else(|| "{{$env.API_TOKEN}}".into()),
            }
        }
        Some("basic") => {
            let b = find(blocks, "auth:basic");
            let password = b.and_then(|b| b.get("password"));
            if literal(&password) {
                warnings.push(format!(
                    "{context}: basic password not imported: set $BASIC_PASSWORD"
                ));
            }
            Auth::Basic {
                username: b.and_then(|b| b.get("username")).unwrap_or_default(),
                password: password
                    .filter(|p| crate::model::secrets::is_variable_reference(p))
                    .unwrap_or_else(|| "{{$env.BASIC_PASSWORD}}".into()),
            }
        }
        Some("none") => Auth::None,
        Some("inherit") | None => Auth::Inherit,
        Some(other) => {
            warnings.push(format!("{context}: auth mode '{other}' is not supported"));
            Auth::Inherit
        }
    }
}

/// `vars:post-response` and `assert` rows as captures and assertions; what has no
/// equivalent, and the blocks sigscope does not run (tests, scripts), kept in the
/// description with a warning. `request` is `None` for folders and the collection, whose
/// rows apply to every request below: those are kept in the description too.
fn kept_blocks(
    blocks: &[Block],
    context: &str,
    description: &mut Option<String>,
    warnings: &mut Vec<String>,
    mut request: Option<&mut RequestSpec>,
) {
    if let Some(docs) = find(blocks, "docs") {
        append_description(description, &docs.text());
    }
    for b in blocks {
        if b.lines.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let what = match b.name.as_str() {
            "vars:post-response" => "captures (vars:post-response)",
            "assert" => "assertions (assert)",
            "tests" => "tests",
            "script:pre-request" => "the pre-request script",
            "script:post-response" => "the post-response script",
            _ => continue,
        };
        if let (Some(r), "vars:post-response" | "assert") =
            (request.as_deref_mut(), b.name.as_str())
        {
            let mut left = Vec::new();
            for row in b.pairs() {
                let converted = if b.name == "assert" {
                    super::scripts::bruno_assert(&row.name, &row.value).map(|check| {
                        r.assertions.push(crate::model::checks::Assertion {
                            check,
                            enabled: row.enabled,
                        })
                    })
                } else {
                    super::scripts::bruno_source(&row.value)
                        .filter(|_| crate::model::variables::valid_name(&row.name))
                        .map(|from| {
                            r.captures.push(crate::model::checks::Capture {
                                variable: row.name.clone(),
                                from,
                                scope: crate::model::checks::CaptureScope::Run,
                                enabled: row.enabled,
                            })
                        })
                };
                if converted.is_none() {
                    left.push(format!(
                        "{}{}: {}",
                        if row.enabled { "" } else { "~" },
                        row.name,
                        row.value
                    ));
                }
            }
            if left.is_empty() {
                continue;
            }
            append_description(
                description,
                &format!(
                    "Bruno {} rows not converted {{\n  {}\n}}",
                    b.name,
                    left.join("\n  ")
                ),
            );
            warnings.push(format!(
                "{context}: {} {what} row(s) have no equivalent, kept in the description (first: `{}`)",
                left.len(),
                left[0]
            ));
            continue;
        }
        append_description(
            description,
            &format!("Bruno {} {{\n{}\n}}", b.name, b.lines.join("\n")),
        );
        warnings.push(format!(
            "{context}: {what} kept in the description, not run (sigscope runs no scripts: captures and assertions are data)"
        ));
    }
}

fn pre_request_vars(blocks: &[Block]) -> BTreeMap<String, String> {
    find(blocks, "vars:pre-request")
        .map(|b| {
            b.pairs()
                .into_iter()
                .filter(|p| p.enabled)
                .map(|p| (p.name, p.value))
                .collect()
        })
        .unwrap_or_default()
}

const METHOD_BLOCKS: [&str; 7] = ["get", "post", "put", "delete", "patch", "options", "head"];

fn request(
    blocks: &[Block],
    file_stem: &str,
    context: &str,
    warnings: &mut Vec<String>,
) -> Option<(i64, RequestSpec)> {
    let meta = find(blocks, "meta");
    let name = meta
        .and_then(|m| m.get("name"))
        .unwrap_or_else(|| file_stem.to_string());
    let seq = meta
        .and_then(|m| m.get("seq"))
        .and_then(|s| s.parse().ok())
        .unwrap_or(i64::MAX);
    let context = format!("{context}{name}");
    let Some(method_block) = blocks
        .iter()
        .find(|b| METHOD_BLOCKS.contains(&b.name.as_str()))
    else {
        warnings.push(format!(
            "{context}: not an HTTP request (GraphQL or another kind): not imported"
        ));
        return None;
    };
    let url = method_block.get("url").unwrap_or_default();
    let mut r = empty_request(&name, &method_block.name.to_ascii_uppercase(), &url);
    // Path parameters: `:id` in the URL with its value in params:path.
    if let Some(path_params) = find(blocks, "params:path") {
        for p in path_params.pairs() {
            r.url = r
                .url
                .replace(&format!(":{}", p.name), &format!("{{{{{}}}}}", p.name));
            r.variables.insert(p.name, p.value);
        }
    }
    // The query lives in params:query (Bruno keeps the URL's copy in step with it).
    if let Some(q) = find(blocks, "params:query") {
        r.url = r.url.split('?').next().unwrap_or_default().to_string();
        r.query = q.pairs();
    }
    r.headers = find(blocks, "headers")
        .map(Block::pairs)
        .unwrap_or_default();
    let body_mode = method_block.get("body");
    r.body = match body_mode.as_deref() {
        Some("json") => {
            let text = find(blocks, "body:json")
                .map(Block::text)
                .unwrap_or_default();
            match serde_json::from_str(&text) {
                Ok(content) => Body::Json { content },
                Err(_) => Body::Text { content: text },
            }
        }
        Some(kind @ ("text" | "xml" | "sparql")) => Body::Text {
            content: find(blocks, &format!("body:{kind}"))
                .map(Block::text)
                .unwrap_or_default(),
        },
        Some("formUrlEncoded") => Body::FormUrlencoded {
            fields: find(blocks, "body:form-urlencoded")
                .map(Block::pairs)
                .unwrap_or_default(),
        },
        Some("multipartForm") => {
            let all = find(blocks, "body:multipart-form")
                .map(Block::pairs)
                .unwrap_or_default();
            let (files, fields): (Vec<_>, Vec<_>) =
                all.into_iter().partition(|p| p.value.starts_with("@file("));
            warnings.push(format!("{context}: the multipart form body is sent as a urlencoded form (sigscope has no multipart body yet)"));
            if !files.is_empty() {
                append_description(
                    &mut r.description,
                    &format!(
                        "Multipart file parts (not sent):\n{}",
                        files
                            .iter()
                            .map(|f| format!("{}: {}", f.name, f.value))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                );
            }
            Body::FormUrlencoded { fields }
        }
        Some("graphql") => Body::Json {
            content: serde_json::json!({
                "query": find(blocks, "body:graphql").map(Block::text).unwrap_or_default(),
                "variables": find(blocks, "body:graphql:vars").and_then(|b| serde_json::from_str::<serde_json::Value>(&b.text()).ok()).unwrap_or(serde_json::Value::Null),
            }),
        },
        Some("none") | None => Body::None,
        Some(other) => {
            warnings.push(format!("{context}: body mode '{other}' is not supported"));
            Body::None
        }
    };
    r.auth = auth(
        blocks,
        method_block.get("auth").as_deref(),
        &context,
        warnings,
    );
    r.variables.extend(pre_request_vars(blocks));
    let mut description = r.description.take();
    kept_blocks(blocks, &context, &mut description, warnings, Some(&mut r));
    r.description = description;
    Some((seq, r))
}

fn read(path: &Path) -> Result<Vec<Block>, String> {
    let text = super::read_text(path).map_err(|e| e.to_string())?;
    parse_bru(&text, &path.display().to_string())
}

fn folder_contents(
    dir: &Path,
    context: &str,
    folders: &mut Vec<Folder>,
    requests: &mut Vec<RequestSpec>,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<(), String> {
    if depth > 32 {
        return Err(format!("{}: folders nested deeper than 32", dir.display()));
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut ordered = Vec::new();
    for path in entries {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if matches!(file_name.as_str(), "environments" | "node_modules" | ".git")
                || path.is_symlink()
            {
                continue;
            }
            let folder_bru = path.join("folder.bru");
            let blocks = if folder_bru.is_file() {
                read(&folder_bru)?
            } else {
                Vec::new()
            };
            let name = find(&blocks, "meta")
                .and_then(|m| m.get("name"))
                .unwrap_or(file_name.clone());
            let here = format!("{context}{name}/");
            let mut f = Folder {
                name,
                description: None,
                auth: match find(&blocks, "auth").and_then(|a| a.get("mode")) {
                    Some(mode) => auth(&blocks, Some(&mode), &here, warnings),
                    None => Auth::Inherit,
                },
                headers: find(&blocks, "headers")
                    .map(Block::pairs)
                    .unwrap_or_default(),
                variables: pre_request_vars(&blocks),
                folders: Vec::new(),
                requests: Vec::new(),
            };
            kept_blocks(&blocks, &here, &mut f.description, warnings, None);
            folder_contents(
                &path,
                &here,
                &mut f.folders,
                &mut f.requests,
                warnings,
                depth + 1,
            )?;
            folders.push(f);
        } else if path.extension().is_some_and(|x| x == "bru")
            && !matches!(file_name.as_str(), "folder.bru" | "collection.bru")
        {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(r) = request(&read(&path)?, &stem, context, warnings) {
                ordered.push(r);
            }
        }
    }
    ordered.sort_by_key(|(seq, _)| *seq);
    requests.extend(ordered.into_iter().map(|(_, r)| r));
    Ok(())
}

/// A Bruno collection folder.
pub fn import_dir(dir: &Path) -> Result<Imported, String> {
    let mut warnings = Vec::new();
    let config: serde_json::Value = std::fs::read_to_string(dir.join("bruno.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let fallback = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Imported from Bruno".into());
    let mut c = empty_collection(config["name"].as_str().unwrap_or(&fallback));
    let collection_bru = dir.join("collection.bru");
    if collection_bru.is_file() {
        let blocks = read(&collection_bru)?;
        c.headers = find(&blocks, "headers")
            .map(Block::pairs)
            .unwrap_or_default();
        if let Some(mode) = find(&blocks, "auth").and_then(|a| a.get("mode")) {
            c.auth = auth(&blocks, Some(&mode), "collection", &mut warnings);
        }
        c.variables = pre_request_vars(&blocks);
        kept_blocks(
            &blocks,
            "collection",
            &mut c.description,
            &mut warnings,
            None,
        );
    }
    let envs = dir.join("environments");
    if envs.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&envs)
            .map_err(|e| format!("{}: {e}", envs.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "bru"))
            .collect();
        files.sort();
        for path in files {
            let blocks = read(&path)?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut env = Environment::default();
            if let Some(vars) = find(&blocks, "vars") {
                env.variables = vars
                    .pairs()
                    .into_iter()
                    .filter(|p| p.enabled)
                    .map(|p| (p.name, p.value))
                    .collect();
            }
            if let Some(secret) = find(&blocks, "vars:secret") {
                let names: Vec<String> = secret
                    .lines
                    .iter()
                    .flat_map(|l| l.split(','))
                    .map(|s| s.trim().trim_start_matches('~').to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                for n in &names {
                    env.variables.entry(n.clone()).or_default();
                }
                if !names.is_empty() {
                    warnings.push(format!("environment {name}: secret variables {} have no value in the file: set them", names.join(", ")));
                }
            }
            c.environments.insert(name, env);
        }
    }
    let (mut folders, mut requests) = (Vec::new(), Vec::new());
    folder_contents(dir, "", &mut folders, &mut requests, &mut warnings, 0)?;
    c.folders = folders;
    c.requests = requests;
    Ok(Imported {
        collection: c,
        warnings,
    })
}
