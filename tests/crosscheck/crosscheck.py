#!/usr/bin/env python3
"""Cross-check sigscope's signer against two independent signers: botocore (SigV4Auth and its
query/S3 variants) and the AWS JS SDK's @smithy/signature-v4.

Random requests (seeded; the seed is printed for replay): methods; unicode, reserved and
pre-encoded characters and dot segments in paths; repeated, empty and valueless query keys,
'+', '%' and spaces; tabs and runs of whitespace in header values; repeated and mixed-case
headers; hop-by-hop headers; S3 and non-S3 services; signed / unsigned / signed-header
payloads; session tokens; headers and presigned URLs. Each case is signed by sigscope
(`sign --json --raw -`, the wire request it will send) and by both other signers from that
same wire request; canonical requests and signatures must agree 100%, apart from the classes
in KNOWN_CLASSES, each with its evidence.

Then the other way round: requests signed by botocore are sent to sigscope's local gateway,
which must accept them (and refuse a tampered one).

Usage: crosscheck.py SIGSCOPE [--headers N] [--presigned N] [--seed S]
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
from urllib.parse import quote

import botocore.auth
import botocore.awsrequest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = datetime.datetime(2026, 11, 22, 10, 15, 0, tzinfo=datetime.timezone.utc)
AT = "20261122T101500Z"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FQoGZXIvYXdzEXAMPLE+token/with==chars"
HERE = os.path.dirname(os.path.abspath(__file__))

# The AWS JS SDK's unsignable list (ALWAYS_UNSIGNABLE_HEADERS plus proxy-* and sec-*), which
# sigscope adopted: botocore signs every header but expect, transfer-encoding, user-agent and
# x-amzn-trace-id, so it is told the same list (its headers_to_sign is the documented hook).
UNSIGNABLE = {"authorization", "cache-control", "connection", "expect", "from", "keep-alive",
              "max-forwards", "pragma", "referer", "te", "trailer", "transfer-encoding",
              "upgrade", "user-agent", "x-amzn-trace-id"}

# Classes where another signer is demonstrably wrong, with the evidence. A disagreement is
# counted against a class only when the case has the class's trait; anything else fails.
# (The trailing dot segment, '/a/.': botocore and smithy '/a', RFC 3986 and aws-sigv4 '/a/',
# never reaches a signer here, because the wire path sigscope sends is the one an HTTP client
# writes, '/a/'; see sign::canonical::normalize_path.)
def _repeated_query_key(c):
    keys = [p.split("=", 1)[0] for p in c["target"].partition("?")[2].split("&") if p]
    return len(keys) != len(set(keys))


KNOWN_CLASSES = {
    "botocore-presign-repeated-query-key": {
        "signer": "botocore",
        "trait": lambda c: c["presign_expires"] is not None and _repeated_query_key(c),
        "evidence": "botocore's SigV4QueryAuth rebuilds the query from a dict "
                    "(auth.py, _modify_request_before_signing: query_dict), so a repeated key "
                    "keeps one value: the presigned URL it returns for '?key=a&key=b' is "
                    "'?key=a&X-Amz-...', a different request. smithy and aws-sigv4 keep both, "
                    "sorted by key then by value, as the SigV4 rules say.",
    },
}

botocore.auth.get_current_datetime = lambda *a, **k: FIXED

ALPHABET = list("abcXYZ019-._~") + list(" !$&'()*+,;=:@") + ["é", "ሴ", "日本", "%3D", "%2F", "%20", "%25"]
SERVICES = [("execute-api", "abc123.execute-api.us-east-1.amazonaws.com"),
            ("lambda", "abcdefghij.lambda-url.us-east-1.on.aws"),
            ("sqs", "sqs.us-east-1.amazonaws.com"),
            ("s3", "bucket.s3.us-east-1.amazonaws.com")]


def strict(s):
    return quote(s, safe="-_.~")


def rand_text(rng, n):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, n)))


def rand_path(rng, s3):
    segments = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.1 and not s3:
            segments.append("")  # duplicate slash
        elif roll < 0.15 and not s3:
            segments.append(".")
        elif roll < 0.2 and segments and not s3:
            segments.append("..")
        else:
            seg = rand_text(rng, 6) or "x"
            # Wire form: encode what isn't URI-safe, keep pre-encoded %XX as the user typed it.
            segments.append(quote(seg, safe="-._~!$&'()*+,;=:@%"))
    segments.append(rng.choice(["pets", "items", "a%3Db", "x%20y", "k(1)!'*", "=;,:@$&~"]))
    return "/" + "/".join(segments) + ("/" if rng.random() < 0.2 else "")


def rand_query(rng):
    pairs = []
    keys = ["a", "B", "key", "x-y", "é", "a b", "p+q", "%", "empty"]
    for _ in range(rng.randint(0, 5)):
        k = rng.choice(keys)
        roll = rng.random()
        if roll < 0.15:
            pairs.append(strict(k))  # no '='
        elif roll < 0.3:
            pairs.append(strict(k) + "=")
        else:
            pairs.append(strict(k) + "=" + strict(rand_text(rng, 8)))
    return "&".join(pairs)


def rand_headers(rng, presign):
    headers = []
    names = ["X-Custom", "x-custom", "X-Trace-Ctx", "Content-Type", "X-Multi", "X-Multi"]
    hop = ["Connection", "TE", "Keep-Alive", "Upgrade", "Proxy-Authorization", "Cache-Control",
           "Pragma", "Expect"]
    values = ["  padded  ", "a   b   c", "plain", "", "x,y", "\"quoted  value\"", "a\tb",
              "tab\t\tin  runs", "lead", "mixed \t spaces\t"]
    for _ in range(rng.randint(0, 5)):
        name = rng.choice(hop) if rng.random() < 0.2 else rng.choice(names)
        headers.append((name, rng.choice(values)))
    return headers


def gen_case(rng, i, presign):
    service, host = rng.choice(SERVICES)
    s3 = service == "s3"
    method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH"])
    query = rand_query(rng)
    path = rand_path(rng, s3)
    body = rng.choice([b"", b"{}", b'{"a": 1, "b": "x y"}', "ünïcode body".encode(), bytes(range(256))])
    if presign:
        # A presigned URL is handed out before any body exists (S3's payload line is
        # UNSIGNED-PAYLOAD); botocore's SigV4QueryAuth also moves a body into the query.
        body = b""
    payload = rng.choice(["signed", "unsigned", "signed-header"])
    if s3 and payload == "signed":
        payload = "signed-header"
    return {
        "id": i,
        "service": service,
        "region": "us-east-1",
        "host": host,
        "method": method,
        "target": path + ("?" + query if query else ""),
        "headers": rand_headers(rng, presign),
        "body_hex": body.hex(),
        "payload": payload,
        "token": rng.choice([None, None, TOKEN]),
        "presign_expires": rng.choice([1, 300, 3600, 604800]) if presign else None,
        "sign_headers": ["connection"] if rng.random() < 0.1 else [],
        "access_key_id": KEY_ID,
        "secret_access_key": SECRET,
        "time_iso": FIXED.isoformat().replace("+00:00", "Z"),
    }


def sigscope_sign(sigscope, c):
    raw = f"{c['method']} {c['target']} HTTP/1.1\nHost:{c['host']}\n"
    for n, v in c["headers"]:
        raw += f"{n}:{v}\n"
    raw += "\n"
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
               AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
               AWS_EC2_METADATA_DISABLED="true")
    env.pop("AWS_PROFILE", None)
    if c["token"]:
        env["AWS_SESSION_TOKEN"] = c["token"]
    else:
        env.pop("AWS_SESSION_TOKEN", None)
    args = [sigscope, "sign", "--json", "--show-token", "--raw", "-", "--at", AT,
            "--region", c["region"], "--service", c["service"]]
    if c["payload"] == "unsigned":
        args.append("--unsigned-payload")
    elif c["payload"] == "signed-header":
        args.append("--sign-body")
    if c["presign_expires"] is not None:
        args += ["--presign", str(c["presign_expires"])]
    for h in c["sign_headers"]:
        args += ["--sign-header", h]
    out = subprocess.run(args, input=raw.encode() + bytes.fromhex(c["body_hex"]),
                         capture_output=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode())
    return json.loads(out.stdout)


def wire_headers(c, signed_request):
    """The case's headers as sigscope sends them (values with tabs are sent folded)."""
    lines = signed_request.split("\n\n", 1)[0].split("\n")[1:]
    sent = []
    for line in lines:
        name, _, value = line.partition(":")
        if name.lower() in ("host", "x-amz-date", "authorization", "x-amz-security-token",
                            "x-amz-content-sha256"):
            continue
        sent.append((name, value))
    return sent


def botocore_auth_class(c):
    s3 = c["service"] == "s3"
    base = (botocore.auth.S3SigV4QueryAuth if s3 else botocore.auth.SigV4QueryAuth) \
        if c["presign_expires"] is not None else botocore.auth.SigV4Auth
    opted = set(c["sign_headers"])

    class Aligned(base):
        def headers_to_sign(self, request):
            # botocore's own list (SIGNED_HEADERS_BLACKLIST) differs from the JS SDK's:
            # apply the JS SDK's, with the case's opted-in headers, to the same headers.
            out = botocore.awsrequest.HTTPHeaders()
            for name, value in request.headers.items():
                low = name.lower()
                unsignable = low in UNSIGNABLE or low.startswith("proxy-") or low.startswith("sec-")
                if not unsignable or low in opted:
                    out[low] = value
            if "host" not in out:
                out["host"] = botocore.auth._host_from_url(request.url)
            return out

        def canonical_request(self, request):
            self.captured = super().canonical_request(request)
            return self.captured

        if s3:
            def _normalize_url_path(self, path):
                return path  # S3: the path is signed as sent (what S3SigV4Auth does)

    return Aligned


def botocore_sign(c, headers):
    url = f"https://{c['host']}{c['target']}"
    body = bytes.fromhex(c["body_hex"])
    req = AWSRequest(method=c["method"], url=url, data=body)
    for n, v in headers:
        req.headers[n] = v  # HTTPHeaders keeps repeats
    if c["payload"] == "unsigned":
        req.context["payload_signing_enabled"] = False
    elif c["payload"] == "signed-header" and c["presign_expires"] is None:
        req.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    creds = Credentials(KEY_ID, SECRET, c["token"])
    cls = botocore_auth_class(c)
    if c["presign_expires"] is not None:
        auth = cls(creds, c["service"], c["region"], expires=c["presign_expires"])
        auth.add_auth(req)
        sig = req.url.split("X-Amz-Signature=")[1].split("&")[0]
    else:
        auth = cls(creds, c["service"], c["region"])
        auth.add_auth(req)
        sig = req.headers["Authorization"].split("Signature=")[1]
    return auth.captured, sig


def smithy_sign(cases):
    node_path = os.environ.get("SIGSCOPE_NODE_MODULES") or os.path.join(
        os.environ.get("SIGSCOPE_CI_CACHE", os.path.expanduser("~/.cache/sigscope-ci")), "npm",
        "node_modules")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cases, f)
        path = f.name
    try:
        out = subprocess.run(["node", os.path.join(HERE, "smithy_sign.mjs"), path],
                             capture_output=True, env=dict(os.environ, NODE_PATH=node_path),
                             check=False, timeout=600)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise RuntimeError("smithy signer failed: " + out.stderr.decode())
    return {r["id"]: r for r in map(json.loads, out.stdout.decode().splitlines())}


def check_mock(sigscope):
    """Starts `sigscope mock` and sends it requests signed by botocore."""
    import socket
    import time
    import urllib.error
    import urllib.request

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen([sigscope, "mock", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    server.stdout.readline()  # the gateway prints its address once listening
    passed = failed = 0
    fixed = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime.now(datetime.timezone.utc)
    try:
        for method, path, body, want, tamper in [
            ("GET", "/test/pets", b"", 200, False),
            ("POST", "/test/pets", b'{"type": "bird"}', 201, False),
            ("GET", "/test/echo/a%3Db/c?q=x%2By&e=", b"", 200, False),
            ("GET", "/test/pets", b"", 403, True),
        ]:
            url = f"http://127.0.0.1:{port}{path}"
            req = AWSRequest(method=method, url=url, data=body, headers={"Content-Type": "application/json"} if body else {})
            botocore.auth.SigV4Auth(Credentials(KEY_ID, SECRET), "execute-api", "us-east-1").add_auth(req)
            headers = dict(req.headers.items())
            if tamper:
                url += "?tampered=1"
            http_req = urllib.request.Request(url, data=body or None, headers=headers, method=method)
            try:
                status = urllib.request.urlopen(http_req, timeout=10).status
            except urllib.error.HTTPError as e:
                status = e.code
            if status == want:
                passed += 1
            else:
                failed += 1
                print(f"mock: botocore-signed {method} {path} (tampered={tamper}) got {status}, wanted {want}")
    finally:
        botocore.auth.get_current_datetime = fixed
        server.terminate()
        server.wait(timeout=10)
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sigscope")
    ap.add_argument("--headers", type=int, default=500)
    ap.add_argument("--presigned", type=int, default=150)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    print(f"cross-check seed {seed} (replay: crosscheck.py SIGSCOPE --seed {seed})")
    rng = random.Random(seed)
    cases = [gen_case(rng, i, False) for i in range(args.headers)]
    cases += [gen_case(rng, args.headers + i, True) for i in range(args.presigned)]

    ours = {}
    failures = []
    for c in cases:
        try:
            ours[c["id"]] = sigscope_sign(args.sigscope, c)
        except Exception as e:  # noqa: BLE001
            failures.append(f"case {c['id']}: sigscope refused {c['method']} {c['target']}: {e}")
    signable = [c for c in cases if c["id"] in ours]
    # The other signers get the wire request sigscope sends: its target and folded values.
    for c in signable:
        signed_request = ours[c["id"]]["signed_request"]
        target = signed_request.split("\n", 1)[0].split(" ")[1]
        if c["presign_expires"] is not None:
            target = target.split("X-Amz-Algorithm=")[0].rstrip("?&")
        c["target"] = target
        c["headers"] = wire_headers(c, signed_request)
    smithy = smithy_sign(signable)
    agree = {"botocore": 0, "smithy": 0}
    known = {name: 0 for name in KNOWN_CLASSES}
    for c in signable:
        mine = ours[c["id"]]
        try:
            b_creq, b_sig = botocore_sign(c, c["headers"])
        except Exception as e:  # noqa: BLE001
            b_creq, b_sig = f"error: {e}", ""
        s = smithy.get(c["id"], {})
        for who, creq, sig in [("botocore", b_creq, b_sig),
                               ("smithy", s.get("canonical_request") or s.get("error"), s.get("signature"))]:
            if creq == mine["canonical_request"] and sig == mine["signature"]:
                agree[who] += 1
                continue
            cls = next((n for n, k in KNOWN_CLASSES.items()
                        if k["signer"] == who and k["trait"](c)), None)
            if cls:
                known[cls] += 1
                continue
            failures.append(
                f"case {c['id']} ({who}): {c['service']} {c['method']} {c['target']} "
                f"payload={c['payload']} presign={c['presign_expires']} token={bool(c['token'])} "
                f"headers={c['headers']}\n--- sigscope\n{mine['canonical_request']}\n--- {who}\n{creq}")
    header_n = sum(1 for c in signable if c["presign_expires"] is None)
    print(f"{len(cases)} cases ({header_n} header-signed, {len(signable) - header_n} presigned); "
          f"botocore agrees on {agree['botocore']}, smithy on {agree['smithy']}")
    for name, n in known.items():
        if n:
            print(f"known class '{name}': {n} cases where the other signer is wrong; "
                  f"evidence: {KNOWN_CLASSES[name]['evidence']}")
    for f in failures[:20]:
        print(f)
    if len(failures) > 20:
        print(f"... and {len(failures) - 20} more")
    print(f"cross-check: {len(failures)} disagreements (seed {seed})")
    # And the other way: botocore-signed requests against sigscope's local gateway.
    mock_passed, mock_failed = check_mock(args.sigscope)
    print(f"botocore-signed requests to the local gateway: {mock_passed} as expected, "
          f"{mock_failed} not")
    sys.exit(1 if failures or mock_failed else 0)


if __name__ == "__main__":
    main()
