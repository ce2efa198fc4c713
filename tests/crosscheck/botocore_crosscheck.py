#!/usr/bin/env python3
"""Cross-check sigscope's signer against botocore's SigV4Auth, an independent implementation.

Generates random requests (methods; unicode, reserved and pre-encoded characters in paths;
repeated and empty query keys; '+', '%', spaces; odd header whitespace; bodies; session
tokens), signs each at a fixed time with both, and compares the canonical request and the
signature. Usage: botocore_crosscheck.py PATH_TO_SIGSCOPE [COUNT] [SEED]
"""
import json
import os
import random
import subprocess
import sys
import datetime
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGSCOPE = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 300
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 20261122
FIXED = datetime.datetime(2026, 11, 22, 10, 15, 0, tzinfo=datetime.timezone.utc)
AT = "20261122T101500Z"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

botocore.auth.get_current_datetime = lambda *a, **k: FIXED


class Capturing(botocore.auth.SigV4Auth):
    def canonical_request(self, request):
        self.captured = super().canonical_request(request)
        return self.captured


ALPHABET = list("abcXYZ019-._~") + list(" !$&'()*+,;=:@") + ["é", "ሴ", "日本", "%3D", "%2F", "%20", "%25"]


def strict(s):
    return quote(s, safe="-_.~")


def rand_text(rng, n):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, n)))


def rand_path(rng):
    segments = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.1:
            segments.append("")  # duplicate slash
        elif roll < 0.15:
            segments.append(".")
        elif roll < 0.2 and segments:
            segments.append("..")
        else:
            seg = rand_text(rng, 6) or "x"
            # Wire form: encode what isn't URI-safe, keep pre-encoded %XX as the user typed it.
            segments.append(quote(seg, safe="-._~!$&'()*+,;=:@%"))
    # botocore and RFC 3986 disagree on a trailing dot segment; end on a real one.
    segments.append(rng.choice(["pets", "items", "a%3Db", "x y".replace(" ", "%20")]))
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


def rand_headers(rng):
    headers = []
    names = ["X-Custom", "x-custom", "X-Trace-Ctx", "Content-Type", "X-Multi"]
    for _ in range(rng.randint(0, 4)):
        value = rng.choice(["  padded  ", "a   b   c", "plain", "", "x,y", "\"quoted  value\""])
        headers.append((rng.choice(names), value))
    return headers


def sigscope_sign(method, target, headers, body, token):
    raw = f"{method} {target} HTTP/1.1\nHost:example.execute-api.us-east-1.amazonaws.com\n"
    for n, v in headers:
        raw += f"{n}:{v}\n"
    raw += "\n"
    raw_bytes = raw.encode() + body
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET)
    env.pop("AWS_PROFILE", None)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    else:
        env.pop("AWS_SESSION_TOKEN", None)
    out = subprocess.run(
        [SIGSCOPE, "sign", "--json", "--show-token", "--raw", "-", "--at", AT,
         "--region", "us-east-1", "--service", "execute-api"],
        input=raw_bytes, capture_output=True, env=env, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode())
    return json.loads(out.stdout)


def botocore_sign(method, target, headers, body, token):
    url = "https://example.execute-api.us-east-1.amazonaws.com" + target
    req = AWSRequest(method=method, url=url, data=body)
    for n, v in headers:
        # AWSRequest headers keep repeats when added one by one.
        req.headers.add_header(n, v) if hasattr(req.headers, "add_header") else req.headers.__setitem__(n, v)
    auth = Capturing(Credentials(KEY_ID, SECRET, token), "execute-api", "us-east-1")
    auth.add_auth(req)
    sig = req.headers["Authorization"].split("Signature=")[1]
    return auth.captured, sig


def check_mock():
    """Starts `sigscope mock` and sends it requests signed by botocore."""
    import socket
    import time
    import urllib.error
    import urllib.request

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen([SIGSCOPE, "mock", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
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
    rng = random.Random(SEED)
    passed = failed = 0
    for i in range(COUNT):
        method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH"])
        path = rand_path(rng)
        query = rand_query(rng)
        target = path + ("?" + query if query else "")
        headers = rand_headers(rng)
        body = rng.choice([b"", b"{}", b'{"a": 1, "b": "x y"}', "ünïcode body".encode(), bytes(range(256))])
        token = rng.choice([None, None, "FQoGZXIvYXdzEXAMPLE+token/with==chars"])
        try:
            ours = sigscope_sign(method, target, headers, body, token)
            theirs_creq, theirs_sig = botocore_sign(method, target, headers, body, token)
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"case {i}: {method} {target}: error: {e}")
            continue
        if ours["canonical_request"] == theirs_creq and ours["signature"] == theirs_sig:
            passed += 1
        else:
            failed += 1
            print(f"case {i}: {method} {target} headers={headers} token={bool(token)}")
            print("--- sigscope\n" + ours["canonical_request"])
            print("--- botocore\n" + theirs_creq)
    # botocore-signed requests against sigscope's local gateway.
    mock_passed, mock_failed = check_mock()
    passed += mock_passed
    failed += mock_failed
    print(f"botocore cross-check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
