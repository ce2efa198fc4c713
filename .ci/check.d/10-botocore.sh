# botocore's SigV4Auth against sigscope's signer on random requests.
python tests/crosscheck/botocore_crosscheck.py "$SIGSCOPE_BIN" 400
