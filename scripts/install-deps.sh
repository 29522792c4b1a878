#!/usr/bin/env bash
# Installs every Debian package the project needs. Idempotent: a no-op when all are present.
# Usage: scripts/install-deps.sh [--with-slurm] [--with-fuzz]
#   --with-slurm  a private SLURM cluster for the launch tests (tests/cli/slurm_*.sh)
#   --with-fuzz   clang and its libFuzzer/sanitizer runtimes (scripts/fuzz.sh, REGNET_FUZZ)
set -euo pipefail
pkgs=(build-essential cmake ninja-build ccache pkg-config
      libtorch-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev catch2 libopencv-dev zlib1g-dev
      libjpeg-dev gnuplot-nox dataset-fashion-mnist python3 python3-torch python3-numpy python3-scipy
      python3-pil python3-torchvision chromium)
for opt in "$@"; do
  case $opt in
    --with-slurm) pkgs+=(slurm-wlm munge) ;;
    --with-fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    *) echo "usage: scripts/install-deps.sh [--with-slurm] [--with-fuzz]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
