//! JavaScript (Node 18+, an ES module): `@smithy/signature-v4` signs (the signer inside the
//! AWS SDK for JavaScript v3), `fetch` sends. Credentials come from
//! `@aws-sdk/credential-providers` when it is installed (profiles, SSO, the whole chain),
//! else from the environment.

use super::target::Body;
use super::{string_literal, ExportError, Target};
use crate::sign::PayloadMode;
use std::fmt::Write as _;

const CREDENTIALS: &str = r#"async function credentials() {
  try {
    const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
    return await fromNodeProviderChain()();
  } catch (e) {
    if (e.code !== "ERR_MODULE_NOT_FOUND") throw e;
  }
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
    console.error("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or npm install @aws-sdk/credential-providers for profiles)");
    process.exit(2);
  }
  return { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY, sessionToken: AWS_SESSION_TOKEN || undefined };
}

// The hash the signer asks for, from node:crypto (no other package needed).
class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac("sha256", secret) : createHash("sha256");
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}
"#;

pub(super) fn render(t: &Target) -> Result<(String, Vec<String>), ExportError> {
    let notes = Vec::new();
    let mut out = String::new();
    let _ = writeln!(out, "// {}", t.summary().replace('\n', " "));
    out.push_str(
        "// Exported by sigscope. Needs: node 18+, npm install @smithy/signature-v4\n\
         // Credentials: the environment (or the AWS profile chain with @aws-sdk/credential-providers).\n",
    );
    if t.signing.is_some() {
        out.push_str(
            "import { createHash, createHmac } from \"node:crypto\";\n\
             import { SignatureV4 } from \"@smithy/signature-v4\";\n",
        );
    }
    if matches!(t.body, Body::File(_)) {
        out.push_str("import { readFileSync } from \"node:fs\";\n");
    }
    let _ = writeln!(out, "\nconst method = {};", string_literal(&t.method));
    let _ = writeln!(out, "const url = new URL({});", string_literal(&t.url));
    out.push_str("const headers = {\n");
    for (n, v) in &t.headers {
        let _ = writeln!(out, "  {}: {},", string_literal(n), string_literal(v));
    }
    out.push_str("};\n");
    for h in &t.secret_headers {
        let _ = writeln!(
            out,
            "headers[{}] = process.env[{}]; // a credential: never written here",
            string_literal(&h.name),
            string_literal(&h.env)
        );
    }
    match &t.body {
        Body::None => out.push_str("const body = undefined;\n"),
        Body::Text(text) => {
            let _ = writeln!(out, "const body = {};", string_literal(text));
        }
        Body::Bytes(b) => {
            use base64::Engine;
            let _ = writeln!(
                out,
                "const body = Buffer.from({}, \"base64\");",
                string_literal(&base64::engine::general_purpose::STANDARD.encode(b))
            );
        }
        Body::File(path) => {
            let _ = writeln!(out, "const body = readFileSync({});", string_literal(path));
        }
    }
    let mut send_headers = "headers";
    if let Some(s) = &t.signing {
        out.push('\n');
        out.push_str(CREDENTIALS);
        if s.payload == PayloadMode::Unsigned {
            out.push_str("headers[\"x-amz-content-sha256\"] = \"UNSIGNED-PAYLOAD\";\n");
        }
        let _ = writeln!(
            out,
            "\nconst signer = new SignatureV4({{\n  \
               service: {},\n  region: {},\n  credentials,\n  sha256: Sha256,\n  \
               uriEscapePath: {},\n  applyChecksum: {},\n}});",
            string_literal(&s.service),
            string_literal(&s.region),
            s.double_encode_path,
            s.payload == PayloadMode::SignedHeader
        );
        out.push_str(
            "// The query goes to the signer decoded, one entry per name (arrays for repeats).\n\
             const query = {};\n\
             for (const pair of url.search.slice(1).split(\"&\").filter(Boolean)) {\n  \
               const [k, v = \"\"] = pair.split(\"=\").map(decodeURIComponent);\n  \
               query[k] = k in query ? [].concat(query[k], v) : v;\n\
             }\n\
             const signed = await signer.sign({\n  \
               method,\n  protocol: url.protocol,\n  hostname: url.hostname,\n  \
               port: url.port ? Number(url.port) : undefined,\n  path: url.pathname,\n  query,\n  \
               headers: { ...headers, host: url.host },\n  body,\n\
             });\n\
             // fetch sets Host itself.\n\
             delete signed.headers.host;\n",
        );
        send_headers = "signed.headers";
    }
    let _ = writeln!(
        out,
        "\n// A signed request is never sent on to another host: no redirects.\n\
         const response = await fetch(url, {{ method, headers: {send_headers}, body, redirect: \"manual\" }});\n\
         console.error(response.status, response.statusText);\n\
         console.log(await response.text());\n\
         process.exit(response.ok ? 0 : 1);"
    );
    Ok((out, notes))
}
