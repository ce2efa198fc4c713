# One virtualenv for the Python verifiers (botocore, moto), cached outside the clone.
VENV="$SIGSCOPE_CI_CACHE/venv"
PY_PACKAGES=(botocore boto3 'moto[server]')
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
stamp="$VENV/.sigscope-packages"
if [ "$(cat "$stamp" 2>/dev/null)" != "${PY_PACKAGES[*]}" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PY_PACKAGES[@]}"
  echo "${PY_PACKAGES[*]}" >"$stamp"
fi
export PATH="$VENV/bin:$PATH"
