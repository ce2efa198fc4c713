# Flows checked by outside tools: collections with captures and assertions against the schema
# (jsonschema), `run --reporter junit` against a JUnit XSD (xmlschema) and read back by
# junitparser, and newman's and bru's aws-sigv4 requests on the same flow accepted by the gateway.
python tests/crosscheck/flows_check.py "$SIGSCOPE_BIN" "$SIGSCOPE_FLOWS_NPM"
