# The AWS CLI itself checks the caches sigscope shares with it: our SSO token and MFA role
# credentials read by `aws`, botocore's refreshed token and cached role read by sigscope.
python tests/crosscheck/awscli_check.py "$SIGSCOPE_BIN"
