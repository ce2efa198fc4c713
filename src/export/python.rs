//! Python: botocore's `SigV4Auth` (or `S3SigV4Auth`, which signs the path as sent) signs,
//! `requests` sends. Credentials come from botocore's chain (environment, `AWS_PROFILE`, the
//! AWS CLI's files) when the script runs.

use super::target::Body;
use super::{string_literal, ExportError, Target};
use crate::sign::PayloadMode;
use std::fmt::Write as _;

pub(super) fn render(t: &Target) -> Result<(String, Vec<String>), ExportError> {
    let mut notes = Vec::new();
    let mut out = String::new();
    let _ = writeln!(out, "#!/usr/bin/env python3");
    let _ = writeln!(out, "# {}", t.summary().replace('\n', " "));
    let _ = writeln!(
        out,
        "# Exported by sigscope. Needs: pip install requests botocore\n\
         # Credentials: the environment or AWS_PROFILE, found at run time as the AWS CLI does."
    );
    out.push_str("import base64\nimport hashlib\nimport os\nimport sys\n\nimport requests\n");
    if t.signing.is_some() {
        out.push_str(
            "import botocore.session\nfrom botocore.auth import S3SigV4Auth, SigV4Auth\n\
             from botocore.awsrequest import AWSRequest\n",
        );
    }
    let _ = writeln!(out, "\nMETHOD = {}", string_literal(&t.method));
    let _ = writeln!(out, "URL = {}", string_literal(&t.url));
    out.push_str("HEADERS = {\n");
    let mut seen: Vec<String> = Vec::new();
    for (n, v) in &t.headers {
        if seen.iter().any(|s| s.eq_ignore_ascii_case(n)) {
            notes.push(format!(
                "the header {n} appears twice: python sends the last value only"
            ));
        }
        seen.push(n.clone());
        let _ = writeln!(out, "    {}: {},", string_literal(n), string_literal(v));
    }
    out.push_str("}\n");
    for h in &t.secret_headers {
        let _ = writeln!(
            out,
            "HEADERS[{}] = os.environ[{}]  # a credential: never written here",
            string_literal(&h.name),
            string_literal(&h.env)
        );
    }
    match &t.body {
        Body::None => out.push_str("BODY = b\"\"\n"),
        Body::Text(text) => {
            let _ = writeln!(out, "BODY = {}.encode()", string_literal(text));
        }
        Body::Bytes(b) => {
            use base64::Engine;
            let _ = writeln!(
                out,
                "BODY = base64.b64decode({})",
                string_literal(&base64::engine::general_purpose::STANDARD.encode(b))
            );
        }
        Body::File(path) => {
            let _ = writeln!(
                out,
                "with open({}, \"rb\") as f:\n    BODY = f.read()",
                string_literal(path)
            );
        }
    }
    out.push_str("\nheaders = dict(HEADERS)\n");
    if let Some(s) = &t.signing {
        out.push_str(
            "credentials = botocore.session.Session().get_credentials()\n\
             if credentials is None:\n    \
             sys.exit(\"no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE\")\n",
        );
        // S3SigV4Auth neither normalizes nor re-encodes the path, and hashes into
        // X-Amz-Content-SHA256 itself.
        let signer = if s.double_encode_path {
            "SigV4Auth"
        } else {
            "S3SigV4Auth"
        };
        match s.payload {
            PayloadMode::SignedHeader if signer == "SigV4Auth" => out
                .push_str("headers[\"X-Amz-Content-SHA256\"] = hashlib.sha256(BODY).hexdigest()\n"),
            PayloadMode::Unsigned => {
                out.push_str("headers[\"X-Amz-Content-SHA256\"] = \"UNSIGNED-PAYLOAD\"\n");
                let _ = writeln!(
                    out,
                    "\n\nclass Signer({signer}):\n    \
                     def payload(self, request):\n        \
                     return \"UNSIGNED-PAYLOAD\"\n\n"
                );
            }
            _ => {}
        }
        let class = if s.payload == PayloadMode::Unsigned {
            "Signer"
        } else {
            signer
        };
        let _ = writeln!(
            out,
            "request = AWSRequest(method=METHOD, url=URL, data=BODY, headers=headers)\n\
             {class}(credentials.get_frozen_credentials(), {}, {}).add_auth(request)\n\
             headers = dict(request.headers.items())",
            string_literal(&s.service),
            string_literal(&s.region)
        );
    }
    out.push_str(
        "# A signed request is never sent on to another host: no redirects.\n\
         response = requests.request(METHOD, URL, headers=headers, data=BODY or None, allow_redirects=False)\n\
         print(response.status_code, response.reason, file=sys.stderr)\n\
         print(response.text)\n\
         sys.exit(0 if response.ok else 1)\n",
    );
    Ok((out, notes))
}
