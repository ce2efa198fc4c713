#!/usr/bin/env python3
"""sigscope against a real S3 SigV4 verifier written by others: s3s-fs (the s3s crate's
file-system S3 server), on 127.0.0.1 with the demo keys.

Accepted: sigscope-signed PUT, GET, HEAD, LIST and DELETE with awkward keys (space, '+',
'%2B', UTF-8, "(1)!'*", '=;,:@', '$&', '~', 'dir/'), with signed-header and unsigned
payloads, and presigned GET and PUT URLs. Rejected: a wrong secret, and a signed request whose
body, path, query or a signed header was changed after signing.

Usage: s3_check.py SIGSCOPE S3S_FS_BINARY
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
KEYS = ["plain.txt", "sp ace", "plus+sign", "%2B", "caf\u00e9 \u65e5\u672c", "k(1)!'*",
        "=;,:@", "$&", "tilde~", "dir/", "dir/nested key"]

SIGSCOPE, S3S = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}\n{detail}")


def env(secret=SECRET):
    e = dict(os.environ, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=secret,
             AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
             AWS_EC2_METADATA_DISABLED="true", SIGSCOPE_DATA_DIR=tempfile.gettempdir() + "/sigscope-s3-check")
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        e.pop(k, None)
    return e


def sigscope(args, data=None, secret=SECRET):
    out = subprocess.run([SIGSCOPE, *args], input=data, capture_output=True, env=env(secret),
                         check=False, timeout=60)
    return out.returncode, out.stdout, out.stderr.decode()


SIGN = ["--region", "us-east-1", "--service", "s3"]


def url_of(base, key):
    return f"{base}/bucket/{urllib.parse.quote(key, safe='/')}"


def send(method, url, *extra, data=None, secret=SECRET):
    args = ["send", "-X", method, *SIGN, *extra]
    if data is not None:
        args += ["--data-binary", "@-"]
    return sigscope(args + [url], data=data, secret=secret)


def signed_parts(method, url, extra=(), body=b""):
    """sigscope's signed request (JSON trace) for a request sent by hand afterwards."""
    args = ["sign", "--json", "-X", method, *SIGN, *extra]
    if body:
        args += ["--data-binary", "@-"]
    code, out, err = sigscope(args + [url], data=body or None)
    if code != 0:
        raise RuntimeError(err)
    trace = json.loads(out)
    head, _, _ = trace["signed_request"].partition("\n\n")
    lines = head.split("\n")
    target = lines[0].split(" ")[1]
    headers = [tuple(line.split(":", 1)) for line in lines[1:]]
    if not any(n.lower() == "host" for n, _ in headers):
        headers.insert(0, ("Host", urllib.parse.urlsplit(url).netloc))
    return target, headers


def raw_send(port, method, target, headers, body=b""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    for n, v in headers:
        conn.putheader(n, v)
    if body and not any(n.lower() == "content-length" for n, _ in headers):
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def main():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    root = tempfile.mkdtemp(prefix="s3s-fs-")
    server = subprocess.Popen([S3S, "--host", "127.0.0.1", "--port", str(port), "--access-key", KEY_ID,
                               "--secret-key", SECRET, root],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        code, _, err = send("PUT", f"{base}/bucket")
        check("create bucket", code == 0, err)

        for key in KEYS:
            url = url_of(base, key)
            # A key ending in '/' is a folder marker: empty.
            body = b"" if key.endswith("/") else f"body of {key}".encode()
            for mode, flags in [("signed-header", []), ("unsigned", ["--unsigned-payload"]),
                                ("a tab in a signed header", ["-H", "X-Amz-Meta-Note: a\t\tb  c"])]:
                code, _, err = send("PUT", url, *flags, data=body)
                check(f"PUT {key!r} ({mode})", code == 0, err)
            if key.endswith("/"):
                # s3s-fs stores a folder marker as a directory and answers GET/HEAD on it
                # 500 (its storage, after the signature was accepted): PUT, presigned PUT and
                # DELETE are checked for it, and 'dir/nested key' is listed under it.
                code, _, err = sigscope(["sign", "--json", "-X", "PUT", *SIGN, "--presign", "300", url])
                put_url = json.loads(_)["url"] if code == 0 else ""
                code, _, err2 = sigscope(["send", "--no-sign", "-X", "PUT", put_url])
                check(f"presigned PUT {key!r}", code == 0, err + err2)
                code, _, err = send("DELETE", url)
                check(f"DELETE {key!r}", code == 0, err)
                continue
            code, out, err = send("GET", url)
            check(f"GET {key!r}", code == 0 and out.rstrip(b"\n") == body, err + repr(out[:200]))
            code, _, err = send("HEAD", url)
            check(f"HEAD {key!r}", code == 0, err)
            prefix = urllib.parse.quote(key.split("/")[0], safe="")
            code, out, err = send("GET", f"{base}/bucket?list-type=2&prefix={prefix}")
            try:
                listed = key in [k.text for k in ET.fromstring(out).iter() if k.tag.endswith("}Key")]
            except ET.ParseError:
                listed = False
            check(f"LIST prefix of {key!r}", code == 0 and listed, err + out.decode(errors="replace")[:400])

            # Presigned URLs: signed by sigscope, sent unsigned.
            code, out, err = sigscope(["sign", "--json", "-X", "PUT", *SIGN, "--presign", "300", url])
            put_url = json.loads(out)["url"] if code == 0 else ""
            code, _, err2 = sigscope(["send", "--no-sign", "-X", "PUT", "--data-binary", "@-", put_url],
                                     data=b"presigned " + body)
            check(f"presigned PUT {key!r}", code == 0, err + err2)
            code, out, err = sigscope(["sign", "--json", *SIGN, "--presign", "300", url])
            get_url = json.loads(out)["url"] if code == 0 else ""
            code, out, err2 = sigscope(["send", "--no-sign", get_url])
            check(f"presigned GET {key!r}", code == 0 and out.rstrip(b"\n") == b"presigned " + body,
                  err + err2)

            code, _, err = send("DELETE", url)
            check(f"DELETE {key!r}", code == 0, err)
            code, _, err = send("GET", url)
            check(f"GET {key!r} after DELETE is 404", code == 3 and "404" in err, err)

        # Refusals.
        url = url_of(base, "k(1)!'*")
        code, _, err = send("PUT", url, data=b"x", secret="wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY")
        check("a wrong secret is refused", code == 3 and "403" in err, err)
        body = b"original body"
        target, headers = signed_parts("PUT", url, ["-H", "X-Amz-Meta-Note: kept"], body)
        status, _ = raw_send(port, "PUT", target, headers, body)
        check("the untampered request is accepted (control)", status == 200, str(status))
        status, _ = raw_send(port, "PUT", target, headers, b"tampered body")
        code, out, _ = send("GET", url)
        # s3s-fs answers the payload-hash mismatch with a 500 rather than S3's 400
        # XAmzContentSHA256Mismatch: what matters is that nothing was stored.
        check("a tampered body is refused", status >= 400 and out.rstrip(b"\n") == body,
              f"{status} {out[:100]!r}")
        status, _ = raw_send(port, "PUT", target.replace("%21", "%22"), headers, body)
        check("a tampered path is refused", status == 403, str(status))
        status, _ = raw_send(port, "PUT", target + "?x-id=PutObject", headers, body)
        check("a tampered query is refused", status == 403, str(status))
        tampered = [(n, "changed" if n.lower() == "x-amz-meta-note" else v) for n, v in headers]
        status, _ = raw_send(port, "PUT", target, tampered, body)
        check("a tampered signed header is refused", status == 403, str(status))
        code, out, err = sigscope(["sign", "--json", *SIGN, "--presign", "300", url])
        get_url = urllib.parse.urlsplit(json.loads(out)["url"])
        status, _ = raw_send(port, "GET", get_url.path + "?" + get_url.query.replace("X-Amz-Expires=300", "X-Amz-Expires=301"),
                             [("Host", f"127.0.0.1:{port}")])
        check("a presigned URL with a changed expiry is refused", status == 403, str(status))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"S3 verifier (s3s-fs) check: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
