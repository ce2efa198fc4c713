# The AWS CLI (pip awscli) in the verifiers' venv: it checks that the SSO token and role
# caches sigscope writes are the ones it reads, and the other way round (check.d/40-awscli.sh).
AWSCLI_VENV="$SIGSCOPE_CI_CACHE/venv"
AWSCLI_PACKAGES=(awscli)
if [ ! -x "$AWSCLI_VENV/bin/python" ]; then
  python3 -m venv "$AWSCLI_VENV"
fi
awscli_stamp="$AWSCLI_VENV/.sigscope-awscli"
if [ "$(cat "$awscli_stamp" 2>/dev/null)" != "${AWSCLI_PACKAGES[*]}" ] || [ ! -x "$AWSCLI_VENV/bin/aws" ]; then
  "$AWSCLI_VENV/bin/pip" install -q --disable-pip-version-check "${AWSCLI_PACKAGES[@]}"
  echo "${AWSCLI_PACKAGES[*]}" >"$awscli_stamp"
fi
export PATH="$AWSCLI_VENV/bin:$PATH"
