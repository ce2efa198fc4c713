# moto's server verifies sigscope's signatures (STS and IAM).
python tests/crosscheck/moto_check.py "$SIGSCOPE_BIN"
