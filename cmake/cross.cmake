# Cross builds of this tree for the other arches, and their tests in this
# build's ctest.  Each cross build writes umol4-tests.cmake (add_test lines
# with absolute paths); ctest includes it when it exists.
include(ExternalProject)

# A traced core for a cross arch needs that arch's LLVM, and its tests a
# Linux kernel to boot in a QEMU VM.  Both are made at build time, before
# the cross build configures, into a cache kept between builds (a no-op when
# it holds what is asked for):
# - aarch64: Debian's arm64 llvm-19-dev (static libraries) with zlib and
#   zstd, and Debian's arm64 kernel, downloaded (ci/debian-arch-packages.sh);
# - riscv64 (no Debian 12 packages): LLVM's Support, MC and RISC-V
#   disassembler cross-built from Debian's llvm-toolchain-19 source
#   (ci/build-target-llvm.sh, ~6 min), a kernel from Debian's linux-source
#   with a minimal config (ci/vm/kernel.sh, ~4 min).
# Off: the cross builds make only L4 programs and unit tests.
option(UMOL4_CROSS_CORES "cross-build the traced core (umol4) for aarch64 and riscv64 too, and test it in VMs" ON)
if(DEFINED ENV{UMOL4_CACHE_DIR})
  set(cache_default "$ENV{UMOL4_CACHE_DIR}")
else()
  set(cache_default "$ENV{HOME}/.cache/umol4")
endif()
set(UMOL4_CACHE_DIR "${cache_default}" CACHE PATH "downloads and builds kept between builds (target LLVM, VM kernels)")
find_program(UMOL4_HOST_LLVM_CONFIG llvm-config PATHS /usr/lib/llvm-19/bin NO_DEFAULT_PATH REQUIRED)
set(UMOL4_CORE_CROSS_ARCHES aarch64 riscv64)

# Sets llvm_root, vm_kernel and prepare_target (a target the cross build
# depends on) for `arch`; empty where there is no traced core.
macro(umol4_cross_core_inputs arch)
  set(llvm_root "")
  set(vm_kernel "")
  set(prepare_target "")
  if(UMOL4_CROSS_CORES AND "${arch}" IN_LIST UMOL4_CORE_CROSS_ARCHES)
    set(llvm_root ${UMOL4_CACHE_DIR}/sysroot-${arch})
    set(vm_kernel ${UMOL4_CACHE_DIR}/kernel-${arch}/Image)
    set(prepare_target prepare-${arch})
    if("${arch}" STREQUAL "aarch64")
      set(llvm_command bash ${CMAKE_SOURCE_DIR}/ci/debian-arch-packages.sh ${UMOL4_DEBIAN_ARCH_aarch64} ${llvm_root}
        llvm-19-dev zlib1g-dev libzstd-dev)
    else()
      set(llvm_command bash ${CMAKE_SOURCE_DIR}/ci/build-target-llvm.sh ${arch} ${llvm_root})
    endif()
    add_custom_target(${prepare_target}
      COMMAND ${CMAKE_COMMAND} -E env UMOL4_CACHE_DIR=${UMOL4_CACHE_DIR} ${llvm_command}
      COMMAND ${CMAKE_COMMAND} -E env UMOL4_CACHE_DIR=${UMOL4_CACHE_DIR}
        bash ${CMAKE_SOURCE_DIR}/ci/vm/kernel.sh ${arch} ${UMOL4_CACHE_DIR}/kernel-${arch}
      COMMENT "LLVM and a VM kernel for ${arch} (cached in ${UMOL4_CACHE_DIR})"
      USES_TERMINAL)
  endif()
endmacro()

foreach(arch IN LISTS UMOL4_CROSS_BUILDS)
  if(NOT arch IN_LIST UMOL4_ARCHES)
    message(FATAL_ERROR "UMOL4_CROSS_ARCHES: unknown arch '${arch}' (have: ${UMOL4_ARCHES})")
  endif()
  set(bin ${CMAKE_BINARY_DIR}/cross/${arch})
  umol4_cross_core_inputs(${arch})
  ExternalProject_Add(cross-${arch}
    DEPENDS ${prepare_target}
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${bin}
    CMAKE_ARGS
      -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchains/${arch}.cmake
      -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
      -DUMOL4_PYTHON=${UMOL4_PYTHON}
      -DUMOL4_TARGET_LLVM_ROOT=${llvm_root}
      -DUMOL4_HOST_LLVM_CONFIG=${UMOL4_HOST_LLVM_CONFIG}
      -DUMOL4_VM_KERNEL=${vm_kernel}
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    BUILD_ALWAYS ON
    # Its L4 program kit, for the host build's install (cmake/sdk.cmake).
    INSTALL_COMMAND ${CMAKE_COMMAND} --install ${bin} --component sdk --prefix ${CMAKE_BINARY_DIR}/sdk-stage
    USES_TERMINAL_BUILD ON)
  set(include_file ${CMAKE_BINARY_DIR}/cross-${arch}-tests.cmake)
  file(WRITE ${include_file}
    "if(EXISTS \"${bin}/umol4-tests.cmake\")\n"
    "  include(\"${bin}/umol4-tests.cmake\")\n"
    "else()\n"
    "  add_test(${arch}.cross_build_missing \"${CMAKE_COMMAND}\" -E false)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endforeach()
