# Cross builds of this tree for the other arches, and their tests in this
# build's ctest.  Each cross build writes umol4-tests.cmake (add_test lines
# with absolute paths); ctest includes it when it exists.
include(ExternalProject)

# A traced core for a cross arch needs that arch's LLVM.  aarch64: Debian's
# arm64 llvm-19-dev (static libraries) with zlib and zstd, downloaded and
# extracted into a cached sysroot (ci/debian-arch-packages.sh; a no-op when
# the cache holds these package versions).  Off: the cross build makes only
# L4 programs and unit tests.
option(UMOL4_CROSS_CORES "cross-build the traced core (umol4) for aarch64 too" ON)
set(UMOL4_CACHE_DIR "$ENV{HOME}/.cache/umol4" CACHE PATH "downloads and builds kept between builds (target LLVM, VM kernels)")
find_program(UMOL4_HOST_LLVM_CONFIG llvm-config PATHS /usr/lib/llvm-19/bin NO_DEFAULT_PATH REQUIRED)
function(umol4_fetch_target_llvm arch out)
  set(${out} "" PARENT_SCOPE)
  if(NOT UMOL4_CROSS_CORES OR NOT arch STREQUAL "aarch64")
    return()
  endif()
  set(deb_arch ${UMOL4_DEBIAN_ARCH_${arch}})
  set(root ${UMOL4_CACHE_DIR}/sysroot-${deb_arch})
  message(STATUS "UMOL4: target LLVM for ${arch} in ${root}")
  execute_process(COMMAND bash ${CMAKE_SOURCE_DIR}/ci/debian-arch-packages.sh ${deb_arch} ${root}
      llvm-19-dev zlib1g-dev libzstd-dev
    COMMAND_ERROR_IS_FATAL ANY)
  set(${out} ${root} PARENT_SCOPE)
endfunction()

# The kernel the arch's test VM boots: aarch64, Debian's arm64 kernel
# package (whatever version linux-image-arm64 names today; cached).
function(umol4_fetch_vm_kernel arch out)
  set(${out} "" PARENT_SCOPE)
  if(NOT UMOL4_CROSS_CORES OR NOT arch STREQUAL "aarch64")
    return()
  endif()
  set(deb_arch ${UMOL4_DEBIAN_ARCH_${arch}})
  set(root ${UMOL4_CACHE_DIR}/kernel-${deb_arch})
  execute_process(COMMAND bash ${CMAKE_SOURCE_DIR}/ci/debian-arch-packages.sh ${deb_arch} ${root}
      deps-of:linux-image-${deb_arch}
    COMMAND_ERROR_IS_FATAL ANY)
  file(GLOB kernels ${root}/boot/vmlinuz-*)
  list(SORT kernels)
  list(POP_BACK kernels kernel)
  set(${out} ${kernel} PARENT_SCOPE)
endfunction()

foreach(arch IN LISTS UMOL4_CROSS_BUILDS)
  if(NOT arch IN_LIST UMOL4_ARCHES)
    message(FATAL_ERROR "UMOL4_CROSS_ARCHES: unknown arch '${arch}' (have: ${UMOL4_ARCHES})")
  endif()
  set(bin ${CMAKE_BINARY_DIR}/cross/${arch})
  umol4_fetch_target_llvm(${arch} llvm_root)
  umol4_fetch_vm_kernel(${arch} vm_kernel)
  ExternalProject_Add(cross-${arch}
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
    INSTALL_COMMAND ""
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
