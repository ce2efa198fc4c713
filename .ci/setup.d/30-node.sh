# npm packages for the outside signers: the AWS JS SDK's @smithy/signature-v4 (and its SHA-256),
# installed once in $SIGSCOPE_CI_CACHE/npm.
NPM_DIR="$SIGSCOPE_CI_CACHE/npm"
NPM_PACKAGES=(@smithy/signature-v4 @aws-crypto/sha256-js)
mkdir -p "$NPM_DIR"
stamp="$NPM_DIR/.sigscope-packages"
if [ "$(cat "$stamp" 2>/dev/null)" != "${NPM_PACKAGES[*]}" ]; then
  (cd "$NPM_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent "${NPM_PACKAGES[@]}")
  echo "${NPM_PACKAGES[*]}" >"$stamp"
fi
export SIGSCOPE_NODE_MODULES="$NPM_DIR/node_modules"
