# Debian packages the tests drive: tmux (the TUI in a real terminal), curl (its --aws-sigv4).
need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v tmux >/dev/null || need_apt+=(tmux)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
