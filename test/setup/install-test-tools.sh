#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, offline apart from Debian packages and the npm registry.
# code-server lives in a cache folder outside node_modules so repeated runs reuse it.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_DIR="${AMI_SHARING_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ami-sharing-test-tools}"
CODE_SERVER_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"

# A machine that already has a Chromium and code-server names them; then nothing is installed.
if [ -n "${AMI_SHARING_CHROMIUM:-}" ] && [ -x "${AMI_SHARING_CHROMIUM}" ] && [ -n "${AMI_SHARING_CODE_SERVER:-}" ] && [ -x "${AMI_SHARING_CODE_SERVER}" ]; then
  echo "[setup] using Chromium ${AMI_SHARING_CHROMIUM} and code-server ${AMI_SHARING_CODE_SERVER}; nothing to install"
  exit 0
fi

need_apt=()
[ -n "${AMI_SHARING_CHROMIUM:-}" ] && [ -x "${AMI_SHARING_CHROMIUM}" ] || command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[setup] apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x "$CODE_SERVER_DIR/node_modules/.bin/code-server" ]; then
  echo "[setup] code-server $CODE_SERVER_VERSION already in $CODE_SERVER_DIR"
  exit 0
fi

# code-server's nested install fetches ripgrep from GitHub unless this cache holds it.
RG_CACHE="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
RG_TARBALL="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TARBALL" ]; then
  mkdir -p "$RG_CACHE"
  tmp=$(mktemp -d)
  cp "$(command -v rg)" "$tmp/rg"
  tar -czf "$RG_TARBALL" -C "$tmp" rg
  rm -rf "$tmp"
fi

echo "[setup] installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR"
mkdir -p "$CODE_SERVER_DIR"
cd "$CODE_SERVER_DIR"
[ -f package.json ] || echo '{"name":"ami-sharing-code-server","private":true}' > package.json
npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null
echo "[setup] code-server installed"
