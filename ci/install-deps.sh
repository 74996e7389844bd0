#!/usr/bin/env bash
# Installs every build and test dependency of UMOL4 on Debian 12 (needs root or sudo).
set -euo pipefail

packages=(
  # host toolchain and build system
  g++ cmake ninja-build make python3 python3-jsonschema
  # LLVM 19 is the newest LLVM in Debian 12 (bookworm-updates ships 19.1.7);
  # its MC layer decodes instructions for all four arches (X86, AArch64, RISCV).
  llvm-19-dev libzstd-dev zlib1g-dev
  # Boost.Hana (header-only, in libboost-dev), GoogleTest sources and host libs
  libboost-dev googletest libgtest-dev
  # argument parsing, formatting and logging for the umol4 command, and its
  # box files (umol4 run box.toml; toml++, header-only)
  libcli11-dev libfmt-dev libspdlog-dev libtomlplusplus-dev
  # cross toolchains: i686 (not g++-multilib: it conflicts with the others),
  # aarch64 and riscv64
  g++-i686-linux-gnu g++-aarch64-linux-gnu g++-riscv64-linux-gnu
  # QEMU user mode runs the cross-built unit tests; the system emulators boot
  # full aarch64/riscv64 Linux VMs for the traced tests
  qemu-user-static qemu-system-arm qemu-system-misc
  # the VMs' initramfs archives, and the riscv64 VM's kernel build
  cpio flex bison bc
  # the system-call fuzzer: clang with libFuzzer (tests/fuzz)
  clang libclang-rt-14-dev
  # Rust: the bindings are tested on the host, and the SDK's Rust kit builds
  # core for every arch from Debian's rust-src with Debian's rustc
  cargo rustc rust-src
  # the SDK: umol4's man page from its help; pkg-config for programs built
  # against the installed SDK
  help2man pkg-config man-db
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
