//! Go: aws-sdk-go-v2's v4 signer signs, `net/http` sends. Credentials come from
//! `config.LoadDefaultConfig` (environment, profiles, SSO, the whole chain) at run time.

use super::target::Body;
use super::{ExportError, Target};
use crate::sign::PayloadMode;
use std::fmt::Write as _;

/// A Go interpreted string literal: quotes, backslashes and control characters escaped,
/// everything else as UTF-8 source text.
pub fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            // Go source may not hold a BOM or these as raw text in every editor: escape.
            '\u{feff}' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn render(t: &Target) -> Result<(String, Vec<String>), ExportError> {
    let notes = Vec::new();
    let mut out = String::new();
    let _ = writeln!(out, "// {}", t.summary().replace('\n', " "));
    out.push_str(
        "// Exported by sigscope. Needs: go mod init example && go get github.com/aws/aws-sdk-go-v2/config\n\
         // Credentials: config.LoadDefaultConfig (environment, AWS_PROFILE, SSO) at run time.\n\
         package main\n\nimport (\n",
    );
    let mut imports = vec!["\"bytes\"", "\"fmt\"", "\"io\"", "\"net/http\"", "\"os\""];
    if t.signing.is_some() {
        imports.extend([
            "\"context\"",
            "\"crypto/sha256\"",
            "\"encoding/hex\"",
            "\"time\"",
            "",
            "v4 \"github.com/aws/aws-sdk-go-v2/aws/signer/v4\"",
            "\"github.com/aws/aws-sdk-go-v2/config\"",
        ]);
    }
    if matches!(t.body, Body::Bytes(_)) {
        imports.insert(0, "\"encoding/base64\"");
    }
    for i in imports {
        if i.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "\t{i}");
        }
    }
    out.push_str(")\n\nfunc main() {\n");
    match &t.body {
        Body::None => out.push_str("\tbody := []byte{}\n"),
        Body::Text(text) => {
            let _ = writeln!(out, "\tbody := []byte({})", go_string(text));
        }
        Body::Bytes(b) => {
            use base64::Engine;
            let _ = writeln!(
                out,
                "\tbody, _ := base64.StdEncoding.DecodeString({})",
                go_string(&base64::engine::general_purpose::STANDARD.encode(b))
            );
        }
        Body::File(path) => {
            let _ = writeln!(
                out,
                "\tbody, err := os.ReadFile({})\n\tif err != nil {{\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(2)\n\t}}",
                go_string(path)
            );
        }
    }
    let _ = writeln!(
        out,
        "\treq, err := http.NewRequest({}, {}, bytes.NewReader(body))\n\tif err != nil {{\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(2)\n\t}}",
        go_string(&t.method),
        go_string(&t.url)
    );
    for (n, v) in &t.headers {
        let _ = writeln!(out, "\treq.Header.Add({}, {})", go_string(n), go_string(v));
    }
    for h in &t.secret_headers {
        let _ = writeln!(
            out,
            "\treq.Header.Set({}, os.Getenv({})) // a credential: never written here",
            go_string(&h.name),
            go_string(&h.env)
        );
    }
    if let Some(s) = &t.signing {
        out.push_str(
            "\tctx := context.Background()\n\tcfg, err := config.LoadDefaultConfig(ctx)\n\tif err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(2)\n\t}\n\
             \tcreds, err := cfg.Credentials.Retrieve(ctx)\n\tif err != nil {\n\t\tfmt.Fprintln(os.Stderr, \"no AWS credentials:\", err)\n\t\tos.Exit(2)\n\t}\n",
        );
        match s.payload {
            PayloadMode::Unsigned => {
                out.push_str("\tpayloadHash := \"UNSIGNED-PAYLOAD\"\n");
            }
            _ => out.push_str(
                "\tsum := sha256.Sum256(body)\n\tpayloadHash := hex.EncodeToString(sum[:])\n",
            ),
        }
        if s.payload != PayloadMode::Signed {
            out.push_str("\treq.Header.Set(\"X-Amz-Content-Sha256\", payloadHash)\n");
        }
        let options = if s.double_encode_path {
            ""
        } else {
            // S3: the path is signed as sent.
            ", func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }"
        };
        let _ = writeln!(
            out,
            "\tsigner := v4.NewSigner({})\n\tif err := signer.SignHTTP(ctx, creds, req, payloadHash, {}, {}, time.Now()); err != nil {{\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(2)\n\t}}",
            options.trim_start_matches(", "),
            go_string(&s.service),
            go_string(&s.region)
        );
    }
    out.push_str(
        "\t// A signed request is never sent on to another host: no redirects.\n\
         \tclient := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}\n\
         \tresp, err := client.Do(req)\n\tif err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(4)\n\t}\n\
         \tdefer resp.Body.Close()\n\
         \tout, _ := io.ReadAll(resp.Body)\n\
         \tfmt.Fprintln(os.Stderr, resp.Status)\n\
         \tfmt.Println(string(out))\n\
         \tif resp.StatusCode >= 400 {\n\t\tos.Exit(1)\n\t}\n}\n",
    );
    Ok((out, notes))
}

#[cfg(test)]
mod tests {
    use super::go_string;

    #[test]
    fn go_strings_escape_what_go_needs() {
        assert_eq!(go_string("a\"b\\c\n\x01é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }
}
