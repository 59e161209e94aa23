#!/usr/bin/env bash
# Installs, with apt, every Debian package the project needs that is not installed yet.
# Usage: scripts/deps.sh [runtime|tool|bench|all]   (default: all). Needs root.
set -euo pipefail
want="${1:-all}"
runtime=(g++ cmake ninja-build libgtest-dev libgmock-dev clang-22 libclang-rt-22-dev pkgconf libasio-dev libuv1-dev)
tool=(clang-22 llvm-22-dev libclang-22-dev libclang-cpp22-dev llvm-22-tools clang-tidy-22 dpkg-dev
      clang-tools-22 clang-format-22 python3 libcpprest-dev bc chromium libboost-dev
      bazel-bootstrap neovim)
bench=(libbenchmark-dev libboost-dev golang-go libcpprest-dev)
case "$want" in
  runtime) pkgs=("${runtime[@]}") ;;
  tool) pkgs=("${runtime[@]}" "${tool[@]}") ;;
  bench) pkgs=("${runtime[@]}" "${bench[@]}") ;;
  all) pkgs=("${runtime[@]}" "${tool[@]}" "${bench[@]}") ;;
  *) echo "deps.sh: unknown set '$want' (runtime|tool|bench|all)" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "deps.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 2
  fi
  echo "deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
