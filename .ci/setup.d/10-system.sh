# A /dev/null that is a regular file (some tool renamed a file over it as root) makes tmux's
# server die at start ("server exited unexpectedly") and every terminal test fail: put the
# device back. sigscope's own saves write into a device in place (tests/collections.rs).
if [ ! -c /dev/null ] && [ "$(id -u)" = 0 ]; then
  echo "/dev/null is not a character device here: restoring it"
  rm -f /dev/null && mknod -m 666 /dev/null c 1 3
fi
# Debian packages the tests drive: tmux (the TUI in a real terminal), curl (its --aws-sigv4).
need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v tmux >/dev/null || need_apt+=(tmux)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
