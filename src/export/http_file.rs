//! A `.http` file (VS Code REST Client, JetBrains HTTP Client, httpYac): requests separated
//! by `###`, SigV4 as REST Client's `Authorization: AWS` line whose keys are
//! `{{$processEnv ...}}` references, read when the request is sent.

use super::target::Body;
use super::{ExportError, Target};
use std::fmt::Write as _;

fn unsupported(reason: String) -> ExportError {
    ExportError::Unsupported {
        format: "http",
        reason,
    }
}

pub(super) fn render(targets: &[(String, Target)]) -> Result<(String, Vec<String>), ExportError> {
    let mut notes = Vec::new();
    let mut out = String::from(
        "# Exported by sigscope. AWS keys are read from the environment when each request is sent.\n",
    );
    for (name, t) in targets {
        let one_line = name.replace(['\r', '\n'], " ");
        let _ = write!(
            out,
            "\n### {one_line}\n# @name {}\n",
            one_line.replace(' ', "_")
        );
        let _ = writeln!(out, "{} {} HTTP/1.1", t.method, t.url);
        for (n, v) in &t.headers {
            let _ = writeln!(out, "{n}: {v}");
        }
        for h in &t.secret_headers {
            let _ = writeln!(out, "{}: {{{{$processEnv {}}}}}", h.name, h.env);
        }
        if let Some(s) = &t.signing {
            let _ = writeln!(
                out,
                "Authorization: AWS {{{{$processEnv AWS_ACCESS_KEY_ID}}}} {{{{$processEnv AWS_SECRET_ACCESS_KEY}}}} \
                 token:{{{{$processEnv AWS_SESSION_TOKEN}}}} region:{} service:{}",
                s.region, s.service
            );
        }
        match &t.body {
            Body::None => {}
            Body::Text(text) => {
                if text.lines().any(|l| l.starts_with("###")) {
                    return Err(unsupported(format!(
                        "{name}: a body line starting with ### would end the request"
                    )));
                }
                if text.contains("{{") {
                    notes.push(format!(
                        "{name}: the body holds '{{{{', which .http clients read as a variable"
                    ));
                }
                let _ = write!(out, "\n{text}\n");
            }
            Body::File(path) => {
                let _ = write!(out, "\n< {path}\n");
            }
            Body::Bytes(_) => {
                return Err(unsupported(format!(
                    "{name}: the body is not UTF-8 text; use a file body"
                )))
            }
        }
    }
    Ok((out, notes))
}
