# s3s-fs, a real S3 SigV4 verifier (the s3s crate's file-system server), built once into
# $SIGSCOPE_CI_CACHE/s3s-fs (0.14.1 builds with this machine's rustc); the build dir is removed.
S3S_FS="$SIGSCOPE_CI_CACHE/s3s-fs/bin/s3s-fs"
if [ ! -x "$S3S_FS" ]; then
  cargo install s3s-fs --version 0.14.1 --features binary --locked --quiet \
    --root "$SIGSCOPE_CI_CACHE/s3s-fs" --target-dir "$SIGSCOPE_CI_CACHE/s3s-build"
  rm -rf "$SIGSCOPE_CI_CACHE/s3s-build"
fi
export S3S_FS
