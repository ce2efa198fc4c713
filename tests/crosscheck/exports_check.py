#!/usr/bin/env python3
"""Every `sigscope export FORMAT` run by its own runtime against the local gateway.

Starts `sigscope mock`, writes a collection (a GET with a query to sort, a JSON POST, a PUT
whose literal body starts with '@' and whose header holds quotes and '$', a binary file body),
exports each request in each format, and runs the snippet as is with the demo keys in the
environment: curl, python (botocore + requests), javascript (node + @smithy/signature-v4),
httpie (httpie-aws-authv4), awscurl; go is compiled where a Go toolchain exists; postman runs
in newman; the .http file is imported back and sent by sigscope. Each must get a 2xx and the
echoed body must be the request's own. Then the round trip: a Postman collection imported,
exported as Postman and run by newman. Prints one line per run and 'N passed, N failed'.
Usage: exports_check.py PATH_TO_SIGSCOPE NPM_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SIGSCOPE, NPM = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
results = []


def env(**extra):
    e = dict(os.environ, **DEMO, **extra)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        e.pop(k, None)
    e["AWS_CONFIG_FILE"] = "/nonexistent/sigscope-ci/config"
    e["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/sigscope-ci/credentials"
    e["AWS_EC2_METADATA_DISABLED"] = "true"
    return e


def record(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + ("" if ok else f"\n{detail}"), flush=True)


def sigscope(*args, check=True):
    out = subprocess.run([SIGSCOPE, *args], capture_output=True, text=True, env=env(), timeout=120)
    if check and out.returncode != 0:
        raise SystemExit(f"sigscope {' '.join(args)} failed: {out.stderr}")
    return out


def main():
    work = tempfile.mkdtemp(prefix="sigscope-exports-")
    mock = subprocess.Popen([SIGSCOPE, "mock"], stdout=subprocess.PIPE, text=True, env=env())
    try:
        base = mock.stdout.readline().split()[-1]
        run_all(work, base)
        round_trip(work, base)
    finally:
        mock.kill()
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(results)
    print(f"exports: {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


BINARY = bytes([0, 255, 0, 10, 13, 39, 34, 0x80, 0xC3])
NOTE_BODY = "@~/.aws/credentials\nline 2 'q' \"dq\" $HOME `id`"


def run_all(work, base):
    payload = os.path.join(work, "payload.bin")
    with open(payload, "wb") as f:
        f.write(BINARY)
    collection = {
        "version": 1, "name": "exports-ci",
        "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
        "requests": [
            {"name": "list", "method": "GET", "url": f"{base}/test/pets",
             "query": [{"name": "z", "value": "1"}, {"name": "a", "value": "x+y z"}]},
            {"name": "create", "method": "POST", "url": f"{base}/test/pets",
             "body": {"type": "json", "content": {"type": "dog", "price": 1.5}}},
            {"name": "note", "method": "PUT", "url": f"{base}/test/echo/note",
             "headers": [{"name": "Content-Type", "value": "text/plain"},
                         {"name": "X-Quote", "value": "it's \"q\" $HOME"}],
             "body": {"type": "text", "content": NOTE_BODY}},
            {"name": "upload", "method": "PUT", "url": f"{base}/test/echo/upload",
             "headers": [{"name": "Content-Type", "value": "application/octet-stream"}],
             "body": {"type": "file", "path": payload}},
        ],
    }
    cfile = os.path.join(work, "c.json")
    with open(cfile, "w") as f:
        json.dump(collection, f)
    have = {t: shutil.which(t) is not None for t in ("curl", "python3", "node", "http", "awscurl", "go", "newman")}
    for fmt in ("curl", "python", "javascript", "go", "httpie", "awscurl"):
        for req in ("list", "create", "note", "upload"):
            if fmt == "go":
                check_go(work, cfile, req, have["go"])
                continue
            if fmt == "httpie" and req == "upload":
                # Known limit of httpie-aws-authv4: refused with a reason, not exported broken.
                out = sigscope("export", fmt, cfile, req, check=False)
                record("httpie upload refused (its signer cannot hash a streamed file)",
                       out.returncode != 0 and "cannot sign a body streamed from a file" in out.stderr, out.stderr)
                continue
            snippet = sigscope("export", fmt, cfile, req).stdout
            run_snippet(work, fmt, req, snippet, base)
    # postman: the whole collection in newman; http: imported back and sent by sigscope.
    postman = os.path.join(work, "exports.postman_collection.json")
    sigscope("export", "postman", cfile, "-o", postman)
    run_newman("postman export", postman, expect=4)
    http_file = os.path.join(work, "exports.http")
    sigscope("export", "http", cfile, "-o", http_file)
    back = os.path.join(work, "http-back.json")
    sigscope("import", http_file, "-o", back)
    out = sigscope("run", back, check=False)
    record("http export, imported back and sent by sigscope", out.returncode == 0 and "4 requests, 0 failed" in out.stdout,
           out.stdout + out.stderr)


def echoed_ok(req, body):
    """The gateway echoes PUTs to /test/echo: the body must be the request's own."""
    if req == "note":
        return NOTE_BODY in body or json.dumps(NOTE_BODY)[1:-1] in body
    if req == "upload":
        return '"method":"PUT"' in body
    return True


def run_snippet(work, fmt, req, snippet, base):
    name = f"{fmt} {req}"
    if fmt in ("curl", "httpie", "awscurl"):
        tool = {"curl": "curl", "httpie": "http", "awscurl": "awscurl"}[fmt]
        if shutil.which(tool) is None:
            print(f"NOT RUN  {name}: {tool} is not installed", flush=True)
            return
        if fmt == "curl":
            snippet = snippet.rstrip() + " --fail-with-body -s"
        path = os.path.join(work, f"{fmt}-{req}.sh")
        cmd = ["bash", path]
    elif fmt == "python":
        path = os.path.join(work, f"{req}.py")
        cmd = [sys.executable, path]
    else:
        # ES module imports resolve from the file's folder: run it beside node_modules.
        path = os.path.join(NPM, f"sigscope-export-{req}.mjs")
        cmd = ["node", path]
    with open(path, "w") as f:
        f.write(snippet)
    out = subprocess.run(cmd, capture_output=True, env=env(HOME=work), timeout=120)
    body = out.stdout.decode("utf-8", "replace")
    ok = out.returncode == 0 and echoed_ok(req, body)
    record(name, ok, f"exit {out.returncode}\n{body[:600]}\n{out.stderr.decode('utf-8', 'replace')[:600]}\n--- snippet:\n{snippet}")


def check_go(work, cfile, req, have_go):
    snippet = sigscope("export", "go", cfile, req).stdout
    if not have_go:
        if req == "list":
            print("!!! GO NOT COMPILED: no Go toolchain on this machine; the Go export was generated only "
                  "(its text is checked by tests/exports.rs) !!!", flush=True)
        return
    mod = os.path.join(work, f"go-{req}")
    os.makedirs(mod, exist_ok=True)
    with open(os.path.join(mod, "main.go"), "w") as f:
        f.write(snippet)
    go_env = dict(os.environ, GOCACHE=os.path.join(os.environ.get("SIGSCOPE_CI_CACHE", work), "go-build"))
    debian_sdk = "/usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/config"
    if os.path.isdir(debian_sdk):
        # Debian's golang-github-aws-aws-sdk-go-v2-dev: GOPATH mode, no module download.
        go_env.update(GO111MODULE="off", GOPATH="/usr/share/gocode")
        steps = [["go", "build", "-o", "req", "main.go"]]
    else:
        steps = [["go", "mod", "init", "sigscopeexport"], ["go", "mod", "tidy"], ["go", "build", "-o", "req", "."]]
    for step in steps:
        out = subprocess.run(step, cwd=mod, capture_output=True, text=True, env=go_env, timeout=900)
        if out.returncode != 0:
            print(f"!!! GO NOT COMPILED ({' '.join(step)} failed; without Debian's aws-sdk-go-v2 the "
                  f"module proxy must be reachable): {out.stderr.strip()[:300]} !!!", flush=True)
            results.append(False)
            return
    out = subprocess.run([os.path.join(mod, "req")], capture_output=True, text=True, env=env(), timeout=60)
    record(f"go {req}", out.returncode == 0 and echoed_ok(req, out.stdout), out.stdout + out.stderr)


def run_newman(name, collection, expect):
    newman = shutil.which("newman")
    if newman is None:
        print(f"NOT RUN  {name}: newman is not installed", flush=True)
        return
    report = collection + ".report.json"
    out = subprocess.run(
        [newman, "run", collection, "--reporters", "cli,json", "--reporter-json-export", report,
         "--env-var", f"AWS_ACCESS_KEY_ID={DEMO['AWS_ACCESS_KEY_ID']}",
         "--env-var", f"AWS_SECRET_ACCESS_KEY={DEMO['AWS_SECRET_ACCESS_KEY']}",
         "--env-var", "AWS_SESSION_TOKEN="],
        capture_output=True, text=True, env=env(), timeout=300)
    codes = []
    if os.path.exists(report):
        with open(report) as f:
            for ex in json.load(f)["run"]["executions"]:
                codes.append((ex["item"]["name"], ex.get("response", {}).get("code")))
    ok = out.returncode == 0 and len(codes) == expect and all(c and 200 <= c < 300 for _, c in codes)
    record(f"{name} in newman {codes}", ok, out.stdout[-3000:] + out.stderr[-1000:])


def round_trip(work, base):
    """Postman → sigscope → Postman export → newman, against the gateway."""
    fixture = os.path.join(HERE, "..", "fixtures", "imports", "postman-roundtrip.postman_collection.json")
    imported = os.path.join(work, "roundtrip.json")
    sigscope("import", fixture, "-o", imported)
    with open(imported) as f:
        c = json.load(f)
    c["variables"]["baseUrl"] = f"{base}/test"
    with open(imported, "w") as f:
        json.dump(c, f)
    exported = os.path.join(work, "roundtrip.postman_collection.json")
    sigscope("export", "postman", imported, "-o", exported)
    run_newman("round trip Postman -> sigscope -> Postman", exported, expect=4)


if __name__ == "__main__":
    main()
