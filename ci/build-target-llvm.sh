#!/usr/bin/env bash
# Cross-builds the few LLVM libraries a riscv64 core links (Support, MC, the
# RISC-V disassembler and what they need, and the error category of Object)
# from Debian's llvm-toolchain-19 source package, for an arch Debian 12 has
# no packages of.  The result is a sysroot laid out like Debian's
# llvm-19-dev (usr/lib/llvm-19/{include,lib}), so cmake/target_llvm.cmake
# treats both alike.  Cached: a stamp names the source version; a second
# run is a no-op.  Takes about 6 minutes on 2 cores.
#   ci/build-target-llvm.sh ARCH DEST
set -euo pipefail
arch=$1 dest=$2
case $arch in
  riscv64) triple=riscv64-linux-gnu target=RISCV ;;
  *) echo "build-target-llvm: no recipe for $arch" >&2; exit 2 ;;
esac
cache=${UMOL4_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/umol4}
state=$cache/apt-src
# The source of the LLVM the host has (same version as its llvm-tblgen).
version=$(dpkg-query -W -f='${Version}' llvm-19)
stamp="llvm-toolchain-19=$version $target"
if [ "$(cat "$dest/.built" 2>/dev/null)" = "$stamp" ]; then exit 0; fi

upstream=${version#*:}; upstream=${upstream%%-*}
orig=$state/src/llvm-toolchain-19_$upstream.orig.tar.xz
if [ ! -f "$orig" ]; then
  source "$(dirname "$0")/private-apt.sh"
  private_apt "$state" -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$state/parts"
  mkdir -p "$state/parts" "$state/src"
  echo "Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" >"$state/parts/debian.sources"
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd "$state/src" && apt-get "${apt_opts[@]}" source --download-only "llvm-toolchain-19=$version" >/dev/null)
fi
src=$state/src/llvm-$upstream
if [ ! -d "$src/llvm" ]; then
  rm -rf "$src.tmp" && mkdir -p "$src.tmp"
  tar -xJf "$orig" -C "$src.tmp" --strip-components=1 --no-wildcards-match-slash --wildcards \
    'llvm-toolchain-19_*/llvm' 'llvm-toolchain-19_*/cmake' 'llvm-toolchain-19_*/third-party'
  mv "$src.tmp" "$src"
fi

bin=$cache/llvm-build-$arch
cmake -S "$src/llvm" -B "$bin" -G Ninja -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=$arch \
  -DCMAKE_C_COMPILER=$triple-gcc -DCMAKE_CXX_COMPILER=$triple-g++ \
  -DLLVM_HOST_TRIPLE=$triple -DLLVM_DEFAULT_TARGET_TRIPLE=$triple \
  -DLLVM_TARGETS_TO_BUILD=$target -DLLVM_TARGET_ARCH=$arch \
  -DLLVM_TABLEGEN=/usr/lib/llvm-19/bin/llvm-tblgen -DLLVM_NATIVE_TOOL_DIR=/usr/lib/llvm-19/bin \
  -DLLVM_ENABLE_ZLIB=OFF -DLLVM_ENABLE_ZSTD=OFF -DLLVM_ENABLE_LIBXML2=OFF -DLLVM_ENABLE_TERMINFO=OFF \
  -DLLVM_ENABLE_LIBEDIT=OFF -DLLVM_ENABLE_LIBPFM=OFF -DLLVM_ENABLE_Z3_SOLVER=OFF \
  -DLLVM_INCLUDE_TESTS=OFF -DLLVM_INCLUDE_BENCHMARKS=OFF -DLLVM_INCLUDE_EXAMPLES=OFF \
  -DLLVM_INCLUDE_UTILS=OFF -DLLVM_BUILD_TOOLS=OFF -DLLVM_INCLUDE_TOOLS=OFF -DLLVM_ENABLE_BINDINGS=OFF \
  -DLLVM_INCLUDE_DOCS=OFF >/dev/null
libs=(LLVMSupport LLVMDemangle LLVMMC LLVMMCDisassembler LLVMBinaryFormat LLVMTargetParser
  LLVMDebugInfoCodeView LLVM${target}Disassembler LLVM${target}Desc LLVM${target}Info)
# Of Object the core needs only its error category (the ELF reader is
# header templates): one object file, not Object's dependencies (IR & co).
object_error=lib/Object/CMakeFiles/LLVMObject.dir/Error.cpp.o
ninja -C "$bin" "${libs[@]}" "$object_error"

rm -rf "$dest" && mkdir -p "$dest/usr/lib/llvm-19/lib" "$dest/usr/lib/llvm-19/include"
for l in "${libs[@]}"; do cp "$bin/lib/lib$l.a" "$dest/usr/lib/llvm-19/lib/"; done
$triple-ar rcs "$dest/usr/lib/llvm-19/lib/libLLVMObject.a" "$bin/$object_error"
cp -r "$src/llvm/include/llvm" "$src/llvm/include/llvm-c" "$dest/usr/lib/llvm-19/include/"
cp -r "$bin/include/llvm" "$dest/usr/lib/llvm-19/include/"
echo "$stamp" >"$dest/.built"
echo "build-target-llvm: LLVM $upstream ($target) -> $dest"
