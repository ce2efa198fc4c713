# The runtimes that `sigscope export FORMAT` snippets are run with in check.d/40-exports.sh:
# Python (requests, botocore, httpie + httpie-aws-authv4, awscurl) in the shared virtualenv,
# npm (@smithy/signature-v4, newman) in $SIGSCOPE_CI_CACHE/npm, and Go with Debian's aws-sdk-go-v2.
# Installed once, stamped.
VENV="$SIGSCOPE_CI_CACHE/venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
EXPORT_PY_PACKAGES=(requests botocore httpie httpie-aws-authv4 awscurl)
export_stamp="$VENV/.sigscope-export-packages"
if [ "$(cat "$export_stamp" 2>/dev/null)" != "${EXPORT_PY_PACKAGES[*]}" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "${EXPORT_PY_PACKAGES[@]}"
  echo "${EXPORT_PY_PACKAGES[*]}" >"$export_stamp"
fi
export PATH="$VENV/bin:$PATH"
EXPORT_NPM="$SIGSCOPE_CI_CACHE/npm"
EXPORT_NPM_PACKAGES=(@smithy/signature-v4 newman)
mkdir -p "$EXPORT_NPM"
npm_stamp="$EXPORT_NPM/.sigscope-export-packages"
if command -v npm >/dev/null && [ "$(cat "$npm_stamp" 2>/dev/null)" != "${EXPORT_NPM_PACKAGES[*]}" ]; then
  [ -f "$EXPORT_NPM/package.json" ] || echo '{"name":"sigscope-ci-exports","private":true}' >"$EXPORT_NPM/package.json"
  npm install --prefix "$EXPORT_NPM" --no-audit --no-fund --loglevel=error "${EXPORT_NPM_PACKAGES[@]}"
  echo "${EXPORT_NPM_PACKAGES[*]}" >"$npm_stamp"
fi
export SIGSCOPE_EXPORT_NPM="$EXPORT_NPM"
export PATH="$EXPORT_NPM/node_modules/.bin:$PATH"
# Go, to compile `sigscope export go` snippets in check.d/40-exports.sh: Debian's toolchain and
# its packaged aws-sdk-go-v2 (built in GOPATH mode: the Go module proxy is not needed).
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/config ]; then
  if command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-github-aws-aws-sdk-go-v2-dev >/dev/null \
      || echo "!!! Go could not be installed: the Go export will be generated but not compiled !!!"
  fi
fi
