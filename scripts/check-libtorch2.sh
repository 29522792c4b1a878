#!/usr/bin/env bash
# Builds and tests the project against LibTorch 2.6 (Debian trixie's libtorch-dev) in a trixie root,
# next to the LibTorch 1.13 build of this bookworm machine (docs/training.md, "LibTorch versions").
# Usage (root): scripts/check-libtorch2.sh            make or reuse the root, build, ctest, train, table
#               scripts/check-libtorch2.sh --if-changed   the same only when a torch-facing file changed
#                                                       since the last green run (scripts/libtorch2.hash)
#               scripts/check-libtorch2.sh --hash         print the hash over the torch-facing files
# The root (debootstrap from the Debian mirror apt already uses, ~100 s the first time) and its
# build folder and ccache stay in REGNET_TRIXIE_CACHE (default ~/.cache/regnet-explore/trixie): a
# rerun reuses them. The checkout is bind-mounted at /src inside; every mount goes on exit.
# On success it writes scripts/libtorch2.hash: commit it, and CI skips this until a listed file changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${REGNET_TRIXIE_CACHE:-$HOME/.cache/regnet-explore/trixie}
rootfs=$cache/root
hash_file=$root/scripts/libtorch2.hash
# Inside the root; the build folder lives in the cache, never in the checkout.
inner_build=/var/cache/regnet-explore/build
# Trixie's Catch2 is 3.x, the tests use 2.x: bookworm's catch2 package is unpacked at /opt/catch2.
pkgs=(build-essential cmake ninja-build ccache pkg-config ca-certificates
      libtorch-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libopencv-dev zlib1g-dev
      libjpeg-dev gnuplot-nox dataset-fashion-mnist python3 python3-torch python3-numpy python3-scipy
      python3-pil python3-torchvision slurm-wlm munge chromium procps)

# The files whose change can break the LibTorch 2.x build: lib/train, the torch binary's sources,
# the CMake files that find Torch, the torch tests and this script.
torch_files() {
  (cd "$root" && git ls-files --cached --others --exclude-standard -- lib/train tests/train \
    apps/regnet-explore/cmd_train.cpp apps/regnet-explore/cmd_export.cpp apps/regnet-explore/cmd_bench.cpp \
    apps/regnet-explore/cmd_data.cpp apps/regnet-explore/CMakeLists.txt \
    CMakeLists.txt third_party/cmake/RegnetDependencies.cmake scripts/check-libtorch2.sh | LC_ALL=C sort -u)
}
torch_hash() { (cd "$root" && torch_files | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-16); }

# The first bookworm mirror in apt's sources (deb822 or one-line): trixie comes from the same host.
apt_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
         { uri = ""; ok = 0
           for (i = 1; i <= NF; i++) {
             if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
             if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1 }
           if (ok && uri != "") { print uri; exit } }' "$f"
  done
  awk '$1 == "deb" && $3 == "bookworm" { print $2 }' /etc/apt/sources.list 2>/dev/null || true
}

# make_root: debootstrap + packages, once; the stamp names the package list it holds.
make_root() {
  local stamp=$rootfs/.regnet-ready want mirror
  want=$(printf '%s\n' "${pkgs[@]}" | sha256sum | cut -c1-16)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    root_note="reused ($cache)"
    return
  fi
  local t0=$SECONDS
  mirror=$(apt_mirror | head -1)
  [[ -n $mirror ]] || { echo "check-libtorch2: no bookworm mirror in /etc/apt/sources*" >&2; exit 1; }
  command -v debootstrap >/dev/null || apt-get install -y -q debootstrap
  if [[ ! -x $rootfs/usr/bin/apt-get ]]; then
    rm -rf "$rootfs"
    mkdir -p "$cache"
    debootstrap --variant=minbase trixie "$rootfs" "$mirror" > "$cache/debootstrap.log" 2>&1 \
      || { tail -20 "$cache/debootstrap.log"; exit 1; }
  fi
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  mount_all
  chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" \
    > "$cache/apt.log" 2>&1 || { tail -30 "$cache/apt.log"; exit 1; }
  chroot "$rootfs" apt-get clean
  unpack_catch2
  echo "$want" > "$stamp"
  root_note="made in $((SECONDS - t0)) s from $mirror"
}

unpack_catch2() {
  local d
  d=$(mktemp -d)
  chmod 755 "$d"  # apt downloads as _apt
  (cd "$d" && apt-get download -q catch2 >/dev/null)
  rm -rf "$rootfs/opt/catch2"
  dpkg -x "$d"/catch2_*.deb "$rootfs/opt/catch2"
  rm -rf "$d"
}

mounts=()
mount_one() {  # mount_one TARGET MOUNT-ARGS...: mounts unless mounted, remembers it for umount_all
  local target=$rootfs$1
  shift
  mkdir -p "$target"
  mountpoint -q "$target" && return
  mount "$@" "$target"
  mounts+=("$target")
}
mount_all() {
  mount_one /proc -t proc proc
  mount_one /sys --bind /sys
  mount_one /dev --bind /dev
  mount_one /dev/pts --bind /dev/pts
  [[ -d /dev/shm ]] && mountpoint -q /dev/shm && mount_one /dev/shm --bind /dev/shm
  mount_one /src --bind "$root"
}
umount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
  done
  mounts=()
}

in_root() { nice -n 15 chroot "$rootfs" env HOME=/root LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

# inside: the steps that run in the trixie root (this script, called as /src/scripts/check-libtorch2.sh).
inside_build() {
  export CCACHE_DIR=/var/cache/regnet-explore/ccache REGNET_BUILD_DIR=$inner_build
  mkdir -p /var/cache/regnet-explore
  bash /src/scripts/build.sh -DCatch2_DIR=/opt/catch2/usr/lib/cmake/Catch2 > /var/cache/regnet-explore/build.log 2>&1 \
    || { grep -E "error|FAILED" /var/cache/regnet-explore/build.log | head -40; exit 1; }
}
inside_ctest() {
  cd "$inner_build"
  ctest -j "$(nproc)" --timeout 1500 --output-on-failure > /var/cache/regnet-explore/ctest.log 2>&1 || true
  grep -E "tests passed|tests failed" /var/cache/regnet-explore/ctest.log | tail -1
  sed -n '/^The following tests/,$p' /var/cache/regnet-explore/ctest.log | grep -E "^\s+[0-9]+ - " || true
}
inside_train() {  # inside_train DIR: samples 4 Fashion-MNIST models, trains them with --jobs 2
  local bin=$inner_build/apps/regnet-explore/regnet-explore
  rm -rf "$1"
  "$bin" sample --space RegNetX -n 4 --preset fashion-mnist --flops 2M:5M --seed 1 --out "$1" >/dev/null
  "$bin" train "$1" --jobs 2 --schedule fashion-mnist-quick
}
inside_bench() {  # inside_bench SPEC: one epoch of the quick schedule, 1 thread, as JSON
  "$inner_build/apps/regnet-explore/regnet-explore" bench-train --spec "$1" --schedule fashion-mnist-quick \
    --threads 1 --json
}

# images/s of a bench-train JSON on stdin.
rate() { python3 -c 'import json, sys; print("%.0f" % json.load(sys.stdin)["images_per_second"])'; }

# host_side: the whole check, with the table last.
host_side() {
  local t_all=$SECONDS t0 build_s train_s tests rate26=0 rate113=0 r results
  mkdir -p "$(dirname "$cache")"
  exec 9> "${cache}.lock"
  flock -n 9 || { echo "check-libtorch2: another run holds ${cache}.lock" >&2; exit 1; }
  trap umount_all EXIT
  make_root
  mount_all
  echo "check-libtorch2: root $root_note; building against LibTorch 2.6 (log: $rootfs/var/cache/regnet-explore/build.log)"
  t0=$SECONDS
  in_root bash /src/scripts/check-libtorch2.sh --inside build
  build_s=$((SECONDS - t0))
  echo "check-libtorch2: built in $build_s s; ctest (log: $rootfs/var/cache/regnet-explore/ctest.log)"
  tests=$(in_root bash /src/scripts/check-libtorch2.sh --inside ctest)
  echo "$tests"
  t0=$SECONDS
  in_root bash /src/scripts/check-libtorch2.sh --inside train /tmp/lt2-sweep > "$cache/train.log" 2>&1 \
    || { tail -20 "$cache/train.log"; echo "check-libtorch2: train FAILED"; exit 1; }
  train_s=$((SECONDS - t0))
  results=$(ls "$rootfs"/tmp/lt2-sweep/results/*.json 2>/dev/null | wc -l)
  # The same model (sample 0) with both builds, alternating, best of two.
  echo "check-libtorch2: building the LibTorch 1.13 build here for the comparison (scripts/build.sh)"
  # A fresh machine may have nothing installed yet (install-deps is a no-op when all is there).
  bash "$root/scripts/install-deps.sh" > "$cache/host-deps.log" 2>&1 || { tail -20 "$cache/host-deps.log"; exit 1; }
  nice -n 15 bash "$root/scripts/build.sh" > "$cache/host-build.log" 2>&1 || { tail -20 "$cache/host-build.log"; exit 1; }
  local spec=/tmp/lt2-sweep/samples/000000.json host_bin=${REGNET_BUILD_DIR:-$root/build}/apps/regnet-explore/regnet-explore
  [[ -f $rootfs$spec ]] || spec=/tmp/lt2-sweep/samples/$(ls "$rootfs/tmp/lt2-sweep/samples" | head -1)
  for _ in 1 2; do
    r=$(in_root bash /src/scripts/check-libtorch2.sh --inside bench "$spec" | rate); ((r > rate26)) && rate26=$r
    r=$("$host_bin" bench-train --spec "$rootfs$spec" --schedule fashion-mnist-quick --threads 1 --json | rate)
    ((r > rate113)) && rate113=$r
  done
  local version failed
  version=$(in_root dpkg-query -W -f='${Version}' libtorch-dev)
  failed=$(grep -oE "[0-9]+ tests failed" <<<"$tests" | cut -d' ' -f1)
  echo
  echo "check-libtorch2: LibTorch $version (Debian trixie root) against the 1.13 build of this machine"
  printf "  %-12s %s\n" tests "$(head -1 <<<"$tests")" \
    "" "$(grep -c "(Skipped)" <<<"$tests" || true) skipped (listed above, with the ctest log)" \
    root "$root_note" \
    build "$build_s s (2.6, ninja, ccache in the cache folder, nice 15, $(nproc) cores)" \
    train "$train_s s: 4 sampled RegNetX (2M-5M MACs), fashion-mnist-quick, --jobs 2: $results results" \
    images/s "$(python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print("sample 0, 1 thread, quick schedule: 2.6: %.0f, 1.13: %.0f (%.2fx)" % (a, b, a / b if b else 0))' "$rate26" "$rate113")" \
    wall "$((SECONDS - t_all)) s"
  [[ ${failed:-1} == 0 && $results == 4 ]] || { echo "check-libtorch2: FAILED"; exit 1; }
  torch_hash > "$hash_file"
  echo "check-libtorch2: green; wrote $(basename "$hash_file") ($(cat "$hash_file")): commit it"
}

case ${1:-} in
  --inside)
    step=$2
    shift 2
    "inside_$step" "$@"
    ;;
  --hash) torch_hash ;;
  --if-changed)
    if [[ -f $hash_file && $(cat "$hash_file") == "$(torch_hash)" ]]; then
      echo "check-libtorch2: skipped: no torch-facing file changed since the last green run (scripts/libtorch2.hash)"
      exit 0
    fi
    echo "check-libtorch2: a torch-facing file changed since the last green run: running it"
    host_side
    ;;
  "") host_side ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
