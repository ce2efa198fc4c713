#!/usr/bin/env python3
"""Side by side: the same chained flow of N aws-sigv4 requests against the local gateway, run by
newman (npm `newman`), bru (npm `@usebruno/cli`), `sigscope run` and `sigscope run --jobs 8`.

The flow is tests/fixtures/flows/pets.postman_collection.json: create a pet, read it back by the
id the create returned, delete it, check it is gone (4 requests, 8 checks). newman runs it as is,
bru runs its twin in benches/flows/bruno/, sigscope runs its import (`sigscope import`: the test
scripts become captures and assertions). N requests are N/4 iterations of the flow.

For each tool: wall time and peak resident memory (of the tool's process tree, from
getrusage), and its own report read back: every request must have been accepted by the gateway
(three more signers checked against it: a rejection is a finding) and every check must pass.

    python3 benches/flows/compare.py [--n 1000] [--repeat 3]
        [--sigscope target/release/sigscope] [--npm $SIGSCOPE_CI_CACHE/npm]

Needs: `cargo build --release`; newman and @usebruno/cli installed under --npm (see
.ci/setup.d/50-flows.sh). Traffic goes to 127.0.0.1 only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

# Runs a command and prints its wall time and the peak RSS of its process tree (KiB): the
# child's getrusage, so this helper's own memory is not counted.
MEASURE = r"""
import resource, subprocess, sys, time, json
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": p.returncode, "wall": wall, "rss_kib": rss,
                  "stderr": p.stderr.decode(errors="replace")[-2000:]}))
"""


def measure(cmd, cwd, env):
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def start_gateway(sigscope, env):
    policy = ROOT / "tests/fixtures/flows/allow-all.policy.json"
    p = subprocess.Popen([sigscope, "mock", "--port", "0", "--policy", str(policy)],
                         stdout=subprocess.PIPE, env=env, text=True)
    line = p.stdout.readline()
    base = line.split()[-1]
    return p, base


def newman_failures(report):
    r = json.loads(Path(report).read_text())
    stats = r["run"]["stats"]
    failures = len(r["run"]["failures"])
    return stats["requests"]["total"], failures


def bru_failures(report):
    r = json.loads(Path(report).read_text())
    # bru writes a list of iteration results; each result holds its requests.
    items = r if isinstance(r, list) else [r]
    total = failed = 0
    for it in items:
        for res in it.get("results", []):
            total += 1
            status = res.get("response", {}).get("status")
            bad = [a for a in res.get("assertionResults", []) if a.get("status") != "pass"]
            bad += [t for t in res.get("testResults", []) if t.get("status") != "pass"]
            if bad or res.get("error") or status is None:
                failed += 1
    return total, failed


def sigscope_failures(report):
    s = json.loads(Path(report).read_text())["summary"]
    return s["requests"], s["failed"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="requests (a multiple of 4)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each tool; the median is shown")
    ap.add_argument("--sigscope", default=str(ROOT / "target/release/sigscope"))
    ap.add_argument("--npm", default=os.path.join(os.environ.get(
        "SIGSCOPE_CI_CACHE", os.path.expanduser("~/.cache/sigscope-ci")), "npm"))
    ap.add_argument("--only", help="comma-separated: newman,bru,sigscope,sigscope-jobs8")
    args = ap.parse_args()
    args.sigscope = str(Path(args.sigscope).resolve())
    iterations = max(1, args.n // 4)
    n = iterations * 4
    bin_dir = Path(args.npm) / "node_modules/.bin"
    work = Path(tempfile.mkdtemp(prefix="sigscope-flows-bench-"))
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true", AWS_ACCESS_KEY_ID=KEY_ID,
               AWS_SECRET_ACCESS_KEY=SECRET, AWS_CONFIG_FILE=str(work / "no-config"),
               AWS_SHARED_CREDENTIALS_FILE=str(work / "no-credentials"),
               SIGSCOPE_DATA_DIR=str(work / "data"), NO_COLOR="1")
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_SESSION_TOKEN", None)
    gateway, base = start_gateway(args.sigscope, env)
    try:
        postman = ROOT / "tests/fixtures/flows/pets.postman_collection.json"
        imported = work / "pets.json"
        subprocess.run([args.sigscope, "import", str(postman), "-o", str(imported)],
                       env=env, check=True, capture_output=True)
        bruno = work / "bruno"
        shutil.copytree(ROOT / "benches/flows/bruno", bruno)
        tools = {
            "newman": (
                [str(bin_dir / "newman"), "run", str(postman), "-n", str(iterations),
                 "--env-var", f"baseUrl={base}", "--env-var", f"awsAccessKeyId={KEY_ID}",
                 "--env-var", f"awsSecretAccessKey={SECRET}", "-r", "json",
                 "--reporter-json-export", str(work / "newman.json")],
                work, newman_failures, work / "newman.json"),
            "bru": (
                [str(bin_dir / "bru"), "run", "--env", "bench", "--env-var", f"baseUrl={base}",
                 "--env-var", f"awsAccessKeyId={KEY_ID}", "--env-var", f"awsSecretAccessKey={SECRET}",
                 "--iteration-count", str(iterations), "--reporter-json", str(work / "bru.json")],
                bruno, bru_failures, work / "bru.json"),
            "sigscope": (
                [args.sigscope, "run", str(imported), "-n", str(iterations), "--var", f"baseUrl={base}",
                 "--no-history", "-r", f"json={work / 'sigscope.json'}"],
                work, sigscope_failures, work / "sigscope.json"),
            "sigscope-jobs8": (
                [args.sigscope, "run", str(imported), "-n", str(iterations), "--var", f"baseUrl={base}",
                 "--no-history", "--jobs", "8", "-r", f"json={work / 'sigscope8.json'}"],
                work, sigscope_failures, work / "sigscope8.json"),
        }
        wanted = args.only.split(",") if args.only else list(tools)
        rows = []
        for name in wanted:
            cmd, cwd, read, report = tools[name]
            if not Path(cmd[0]).exists():
                print(f"!!! {name}: {cmd[0]} is not installed: skipped !!!", file=sys.stderr)
                continue
            runs = []
            for _ in range(args.repeat):
                m = measure(cmd, cwd, env)
                total, failed = read(report)
                if m["code"] != 0 or failed or total != n:
                    print(f"{name}: exit {m['code']}, {total} requests, {failed} failed\n{m['stderr']}",
                          file=sys.stderr)
                    sys.exit(1)
                runs.append(m)
            runs.sort(key=lambda m: m["wall"])
            mid = runs[len(runs) // 2]
            rows.append((name, mid["wall"], max(r["rss_kib"] for r in runs) / 1024))
        print(f"{n} requests ({iterations} iterations of create/get/delete/get), aws-sigv4, "
              f"local gateway {base}; median of {args.repeat} runs")
        print(f"{'tool':<16}{'wall (s)':>10}{'req/s':>10}{'peak RSS (MB)':>16}")
        for name, wall, rss in rows:
            print(f"{name:<16}{wall:>10.2f}{n / wall:>10.0f}{rss:>16.1f}")
        by = {name: wall for name, wall, _ in rows}
        for other in ("newman", "bru"):
            for mine in ("sigscope", "sigscope-jobs8"):
                if other in by and mine in by:
                    print(f"{mine} vs {other}: {by[other] / by[mine]:.1f}x faster")
    finally:
        gateway.terminate()
        gateway.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
