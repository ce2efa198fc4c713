# Every export format run by its own runtime against the local gateway (setup.d/40-exports.sh
# installs them), and the Postman round trip in newman.
python tests/crosscheck/exports_check.py "$SIGSCOPE_BIN" "$SIGSCOPE_EXPORT_NPM"
