//! `--data FILE`: one iteration per row, its columns as variables. CSV with a header row
//! (by the `csv` crate: quoting, embedded commas and newlines), or JSON: an array of objects
//! whose values are strings, numbers or booleans. Errors name the file, the row and the column.

use std::collections::BTreeMap;
use std::path::Path;

pub type Row = BTreeMap<String, String>;

/// Data files larger than this are not read.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a data file: JSON when it starts with `[`, else CSV.
pub fn read(path: &Path) -> Result<Vec<Row>, String> {
    let file = path.display().to_string();
    let bytes =
        crate::model::store::read_regular(path, MAX_BYTES).map_err(|e| format!("{file}: {e}"))?;
    let text = crate::model::store::decode(&file, &bytes).map_err(|e| e.to_string())?;
    let rows = if text.trim_start().starts_with('[') {
        json_rows(&text)
    } else {
        csv_rows(&text)
    }
    .map_err(|e| format!("{file}: {e}"))?;
    if rows.is_empty() {
        return Err(format!("{file}: no rows: each row is one iteration"));
    }
    Ok(rows)
}

pub fn json_rows(text: &str) -> Result<Vec<Row>, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))?;
    let items = value
        .as_array()
        .ok_or("a JSON data file is an array of objects, one per iteration")?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let obj = item
                .as_object()
                .ok_or_else(|| format!("row {}: not an object", i + 1))?;
            obj.iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => v.to_string(),
                        serde_json::Value::Null => String::new(),
                        _ => {
                            return Err(format!(
                                "row {}, column '{k}': an object or array is not a variable value",
                                i + 1
                            ))
                        }
                    };
                    Ok((k.clone(), text))
                })
                .collect()
        })
        .collect()
}

pub fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    if let Some(h) = headers
        .iter()
        .find(|h| !crate::model::variables::valid_name(h))
    {
        return Err(format!(
            "column '{h}' is not a variable name (letters, digits, '_', '-', '.')"
        ));
    }
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|e| match e.position() {
                Some(p) => format!("line {}: {e}", p.line()),
                None => e.to_string(),
            })?;
            Ok(headers
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_rows_become_variables() {
        let rows = csv_rows("type, price\ndog,249.99\n\"cat, grey\",\"1\n2\"\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["type"], "dog");
        assert_eq!(rows[0]["price"], "249.99");
        assert_eq!(rows[1]["type"], "cat, grey");
        assert_eq!(rows[1]["price"], "1\n2");
        let e = csv_rows("type,price\ndog\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        assert!(csv_rows("pet type\nx\n")
            .unwrap_err()
            .contains("'pet type'"));
        let rows = json_rows(r#"[{"type":"dog","price":1.5,"ok":true,"none":null}]"#).unwrap();
        assert_eq!(rows[0]["price"], "1.5");
        assert_eq!(rows[0]["ok"], "true");
        assert_eq!(rows[0]["none"], "");
        assert!(json_rows(r#"[{"a":[1]}]"#)
            .unwrap_err()
            .contains("row 1, column 'a'"));
        assert!(json_rows(r#"{"a":1}"#)
            .unwrap_err()
            .contains("array of objects"));
    }
}
