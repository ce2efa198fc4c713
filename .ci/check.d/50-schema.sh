# Collection files against collections/sigscope.schema.json, with Python's jsonschema: the
# bundled collections, a collection the binary writes (`import`), and the one the real-terminal
# test saved from an empty folder (tests/tui_terminal.rs keeps a copy in the target's tmp).
schema_tmp="$(mktemp -d)"
"$SIGSCOPE_BIN" import curl "curl https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets?limit=10 -H 'Accept: application/json'" \
  -o "$schema_tmp/imported.json" >/dev/null
files=(collections/demo.json collections/petstore-iam.json "$schema_tmp/imported.json")
kept="$CARGO_TARGET_DIR/tmp/tui-terminal-saved.json"
if [ -f "$kept" ]; then files+=("$kept"); else echo "NOTE: $kept is missing (tests/tui_terminal.rs did not run)"; fi
python - "${files[@]}" <<'PY'
import json, sys, jsonschema
schema = json.load(open("collections/sigscope.schema.json"))
validator = jsonschema.Draft202012Validator(schema)
for f in sys.argv[1:]:
    errors = sorted(validator.iter_errors(json.load(open(f))), key=lambda e: list(e.path))
    for e in errors:
        print(f"{f}: {'/'.join(map(str, e.path))}: {e.message}")
    if errors:
        sys.exit(1)
    print(f"{f}: valid")
PY
rm -rf "$schema_tmp"
