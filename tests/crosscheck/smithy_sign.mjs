// Signs the cases of crosscheck.py with the AWS JS SDK's signer (@smithy/signature-v4), an
// implementation independent of sigscope's, and prints one result per case as JSON lines:
// {"id", "canonical_request", "signature"}.
//
// Usage: node smithy_sign.mjs CASES.json   (NODE_PATH must reach @smithy/signature-v4 and
// @aws-crypto/sha256-js; .ci/setup.d/30-node.sh installs them in $SIGSCOPE_CI_CACHE/npm).
//
// How a case becomes a smithy HttpRequest (the shape the SDK's own middleware builds):
// - the path is the wire path; `uriEscapePath` is off for S3 (signed as sent) and on elsewhere
//   (smithy then normalizes and double-encodes, as AWS does);
// - the query is an object of decoded keys to decoded values (arrays for repeated keys); a
//   key written without '=' has the empty value, which AWS canonicalizes as `key=`;
// - headers are an object, so repeated headers (any case) are joined with ',' after trimming
//   each value, which is what AWS's canonical form does with them;
// - the payload mode: `signed-header` turns `applyChecksum` on, `unsigned` sets
//   `x-amz-content-sha256: UNSIGNED-PAYLOAD` (smithy then signs that line and header);
// - S3 presigned URLs: the header carries UNSIGNED-PAYLOAD but is neither hoisted nor signed,
//   as @aws-sdk/s3-request-presigner does; no other header is hoisted into the query.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.NODE_PATH ? `${process.env.NODE_PATH}/` : import.meta.url);
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function queryObject(query) {
  const out = {};
  if (!query) return out;
  for (const pair of query.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const key = decode(at < 0 ? pair : pair.slice(0, at));
    const value = at < 0 ? "" : decode(pair.slice(at + 1));
    if (key in out) {
      out[key] = [].concat(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function headerObject(headers, host) {
  const merged = new Map();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const trimmed = value.replace(/[ \t]+/g, " ").trim();
    merged.set(lower, merged.has(lower) ? `${merged.get(lower)},${trimmed}` : trimmed);
  }
  const out = { host };
  for (const [name, value] of merged) out[name] = value;
  return out;
}

async function signCase(c) {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: c.access_key_id,
      secretAccessKey: c.secret_access_key,
      sessionToken: c.token ?? undefined,
    },
    region: c.region,
    service: c.service,
    sha256: Sha256,
    uriEscapePath: c.service !== "s3",
    applyChecksum: c.payload === "signed-header",
  });
  let canonical = null;
  const create = signer.createCanonicalRequest.bind(signer);
  signer.createCanonicalRequest = (...args) => {
    canonical = create(...args);
    return canonical;
  };
  const [wirePath, wireQuery] = c.target.split(/\?(.*)/s);
  const headers = headerObject(c.headers, c.host);
  const s3Presign = c.presign_expires != null && c.service === "s3";
  if (c.payload === "unsigned" || s3Presign) headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
  const request = {
    method: c.method,
    protocol: "https:",
    hostname: c.host,
    path: wirePath,
    query: queryObject(wireQuery),
    headers,
    body: Buffer.from(c.body_hex, "hex"),
  };
  const signingDate = new Date(c.time_iso);
  const signableHeaders = new Set(c.sign_headers ?? []);
  let signature;
  if (c.presign_expires != null) {
    const names = Object.keys(headers);
    const signed = await signer.presign(request, {
      signingDate,
      expiresIn: c.presign_expires,
      unhoistableHeaders: new Set(names),
      // The payload marker is read for the payload line, never signed into a presigned URL.
      unsignableHeaders: "x-amz-content-sha256" in headers ? new Set(["x-amz-content-sha256"]) : undefined,
      signableHeaders,
    });
    signature = signed.query["X-Amz-Signature"];
  } else {
    const signed = await signer.sign(request, { signingDate, signableHeaders });
    signature = signed.headers.authorization.split("Signature=")[1];
  }
  return { id: c.id, canonical_request: canonical, signature };
}

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const c of cases) {
  try {
    process.stdout.write(JSON.stringify(await signCase(c)) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: c.id, error: String(e) }) + "\n");
  }
}
