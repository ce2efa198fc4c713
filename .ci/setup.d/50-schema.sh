# jsonschema (Python) in the verifiers' venv: check.d/50-schema.sh validates collection files
# against collections/sigscope.schema.json with it (a real validator, not sigscope's loader).
VENV="$SIGSCOPE_CI_CACHE/venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import jsonschema" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check jsonschema
fi
export PATH="$VENV/bin:$PATH"
