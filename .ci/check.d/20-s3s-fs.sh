# A real S3 verifier: sigscope-signed object calls with awkward keys, presigned URLs, and
# tampered requests, against s3s-fs on loopback.
python tests/crosscheck/s3_check.py "$SIGSCOPE_BIN" "$S3S_FS"
