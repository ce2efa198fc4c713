# For the flow checks (check.d/50-flows.sh) and the side-by-side benchmark
# (benches/flows/compare.py): jsonschema, xmlschema and junitparser in the shared virtualenv,
# Bruno's CLI beside newman in $SIGSCOPE_CI_CACHE/npm. Installed once, stamped.
SIGSCOPE_CI_CACHE="${SIGSCOPE_CI_CACHE:-$HOME/.cache/sigscope-ci}"
VENV="$SIGSCOPE_CI_CACHE/venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
FLOWS_PY_PACKAGES=(jsonschema xmlschema junitparser)
flows_stamp="$VENV/.sigscope-flows-packages"
if [ "$(cat "$flows_stamp" 2>/dev/null)" != "${FLOWS_PY_PACKAGES[*]}" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "${FLOWS_PY_PACKAGES[@]}"
  echo "${FLOWS_PY_PACKAGES[*]}" >"$flows_stamp"
fi
export PATH="$VENV/bin:$PATH"
FLOWS_NPM="$SIGSCOPE_CI_CACHE/npm"
FLOWS_NPM_PACKAGES=(newman @usebruno/cli)
mkdir -p "$FLOWS_NPM"
flows_npm_stamp="$FLOWS_NPM/.sigscope-flows-packages"
if command -v npm >/dev/null && [ "$(cat "$flows_npm_stamp" 2>/dev/null)" != "${FLOWS_NPM_PACKAGES[*]}" ]; then
  [ -f "$FLOWS_NPM/package.json" ] || echo '{"name":"sigscope-ci-flows","private":true}' >"$FLOWS_NPM/package.json"
  npm install --prefix "$FLOWS_NPM" --no-audit --no-fund --loglevel=error "${FLOWS_NPM_PACKAGES[@]}"
  echo "${FLOWS_NPM_PACKAGES[*]}" >"$flows_npm_stamp"
fi
export SIGSCOPE_FLOWS_NPM="$FLOWS_NPM"
