"""The AWS CLI (pip awscli) and botocore against sigscope's credential caches (issue 15).

Against sigscope's local gateway (SSO OIDC, the SSO portal and STS behind the standard
endpoint overrides), with HOME and the AWS files in a temporary folder:

1. `sigscope login` (device flow, approved through the gateway's URL) writes the SSO token;
   `aws sts get-caller-identity` signs in with it (botocore reads our file).
2. sigscope assumes an MFA role with a code; the AWS CLI reuses the cached credentials
   without asking for a code (same session ARN).
3. botocore's SSO token provider refreshes a token about to expire and writes the file;
   sigscope uses that token as written (no refresh of its own, same file afterwards).
4. botocore (as a library, prompted for the MFA code) caches an assumed role; sigscope uses
   those credentials without a code.

Usage: python awscli_check.py SIGSCOPE_BIN
"""

import datetime
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import urllib.request

CONFIG = """\
[profile sso]
sso_session = demo
sso_account_id = 123456789012
sso_role_name = DemoReadOnly
region = us-east-1

[sso-session demo]
sso_start_url = https://sigscope-demo.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile keys]
region = us-east-1

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/demo-mfa
source_profile = keys
mfa_serial = arn:aws:iam::123456789012:mfa/demo
region = us-east-1
"""

CREDENTIALS = """\
[keys]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""

passed = 0


def check(condition, message, detail=""):
    global passed
    if not condition:
        sys.exit(f"awscli check FAILED: {message}\n{detail}")
    passed += 1
    print(f"  ok: {message}")


def main():
    sigscope = sys.argv[1]
    work = tempfile.mkdtemp(prefix="sigscope-awscli-")
    home = os.path.join(work, "home")
    os.makedirs(home)
    with open(os.path.join(work, "config"), "w") as f:
        f.write(CONFIG)
    with open(os.path.join(work, "credentials"), "w") as f:
        f.write(CREDENTIALS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=home,
        AWS_CONFIG_FILE=os.path.join(work, "config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        SIGSCOPE_NO_BROWSER="1",
        SIGSCOPE_DATA_DIR=os.path.join(work, "data"),
    )
    mock = subprocess.Popen([sigscope, "mock"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        url = mock.stdout.readline().split()[-1]
        for service in ("SSO_OIDC", "SSO", "STS"):
            env[f"AWS_ENDPOINT_URL_{service}"] = url
        run_checks(sigscope, url, home, env)
    finally:
        mock.kill()
        mock.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"awscli: {passed} passed, 0 failed")


def run(args, env, **kw):
    return subprocess.run(args, env=env, text=True, capture_output=True, stdin=subprocess.DEVNULL, **kw)


def caller(env, profile):
    out = run(["aws", "sts", "get-caller-identity", "--profile", profile, "--output", "json"], env)
    if out.returncode != 0:
        sys.exit(f"awscli check FAILED: aws sts get-caller-identity --profile {profile}:\n{out.stderr}")
    return json.loads(out.stdout)


def send(sigscope, url, env, profile, *extra):
    return run(
        [sigscope, "send", "--profile", profile, "--region", "us-east-1", "--service", "execute-api",
         *extra, f"{url}/test/pets"],
        env,
    )


def run_checks(sigscope, url, home, env):
    token_file = os.path.join(home, ".aws", "sso", "cache", hashlib.sha1(b"demo").hexdigest() + ".json")

    # 1. sigscope logs in; the AWS CLI uses the token.
    login = subprocess.Popen(
        [sigscope, "login", "--profile", "sso", "--no-browser"],
        env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    approve = None
    for line in login.stderr:
        words = [w for w in line.split() if "user_code=" in w]
        if words:
            approve = words[0].replace("/sso/device?", "/sso/device/approve?")
            break
    check(approve is not None, "sigscope login prints the verification URL with the code")
    with urllib.request.urlopen(approve) as page:
        check(b"Approved" in page.read(), "the gateway's approval URL approves the login")
    stdout, stderr = login.communicate(timeout=60)
    check(login.returncode == 0, "sigscope login succeeds", stdout + stderr)
    check(os.path.exists(token_file), "the token is at ~/.aws/sso/cache/sha1(session name).json")
    check(stat.S_IMODE(os.stat(token_file).st_mode) == 0o600, "the token file is 0600")
    identity = caller(env, "sso")
    check("assumed-role/AWSReservedSSO_DemoReadOnly_" in identity["Arn"],
          "aws sts get-caller-identity --profile sso signs in with sigscope's token", identity)

    # 2. sigscope assumes the MFA role; the AWS CLI reuses its cached credentials.
    out = send(sigscope, url, env, "mfa", "--mfa-code", "123456")
    check(out.returncode == 0, "sigscope send --profile mfa --mfa-code succeeds", out.stderr)
    cache_dir = os.path.join(home, ".aws", "cli", "cache")
    cached = [json.load(open(os.path.join(cache_dir, f))) for f in os.listdir(cache_dir)]
    check(len(cached) == 1, "one role cached in ~/.aws/cli/cache")
    ours = cached[0]["AssumedRoleUser"]["Arn"]
    identity = caller(env, "mfa")  # stdin is closed: a prompt for the code would fail
    check(identity["Arn"] == ours,
          "the AWS CLI reuses sigscope's MFA session without a code", identity)

    # 3. botocore refreshes a token about to expire; sigscope reads what it wrote.
    token = json.load(open(token_file))
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
    token["expiresAt"] = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(token_file, "w") as f:
        json.dump(token, f)
    caller(env, "sso")
    refreshed = json.load(open(token_file))
    check(refreshed["accessToken"] != token["accessToken"],
          "botocore's SSO token provider refreshed the token and wrote the file")
    out = send(sigscope, url, env, "sso")
    check(out.returncode == 0, "sigscope send --profile sso works with botocore's token", out.stderr)
    check(json.load(open(token_file)) == refreshed, "sigscope used the token as botocore wrote it")
    profiles = json.loads(run([sigscope, "profiles", "--json"], env).stdout)
    sso = next(p for p in profiles if p["name"] == "sso")
    check(sso["status"]["until"] == refreshed["expiresAt"],
          "sigscope profiles shows botocore's expiry", sso)

    # 4. botocore caches an MFA role; sigscope uses it without a code.
    run([sigscope, "logout", "--profile", "mfa"], env)
    check(not os.listdir(cache_dir), "sigscope logout --profile mfa removed the cached role")
    script = textwrap.dedent(f"""
        import botocore.session
        from botocore.credentials import JSONFileCache
        session = botocore.session.Session(profile="mfa")
        provider = session.get_component("credential_provider").get_provider("assume-role")
        provider.cache = JSONFileCache({cache_dir!r})
        provider._prompter = lambda prompt: "123456"
        print(session.get_credentials().get_frozen_credentials().access_key)
    """)
    out = run([sys.executable, "-c", script], env)
    check(out.returncode == 0 and out.stdout.startswith("ASIA"),
          "botocore assumed the MFA role with a prompted code", out.stderr)
    written = json.load(open(os.path.join(cache_dir, os.listdir(cache_dir)[0])))
    out = run([sigscope, "whoami", "--profile", "mfa"], env)
    check(out.returncode == 0 and written["AssumedRoleUser"]["Arn"] in out.stdout
          and "botocore-session-" in out.stdout,
          "sigscope uses botocore's cached role without a code", out.stdout + out.stderr)


if __name__ == "__main__":
    main()
