# Two independent signers, botocore and the AWS JS SDK (@smithy/signature-v4), against
# sigscope's on 500 header-signed and 150 presigned random requests (the seed is printed);
# then botocore-signed requests against the local gateway.
python tests/crosscheck/crosscheck.py "$SIGSCOPE_BIN" --headers 500 --presigned 150
