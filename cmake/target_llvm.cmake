# LLVM for a cross-built core: the target arch's static LLVM libraries in a
# sysroot (UMOL4_TARGET_LLVM_ROOT: Debian's arm64 llvm-19-dev extracted by the
# host build, see cmake/cross.cmake).  The libraries and their order come from
# the host's llvm-config (same LLVM version, same component graph), not from
# the sysroot's CMake exports, which name libz3/libxml2 and absolute paths of
# the target machine that MC does not need.
function(umol4_target_llvm components)
  set(root ${UMOL4_TARGET_LLVM_ROOT})
  set(libdir ${root}/usr/lib/llvm-19/lib)
  if(NOT EXISTS ${libdir}/libLLVMMC.a)
    message(FATAL_ERROR "UMOL4: no target LLVM in ${root} (expected ${libdir}/libLLVMMC.a; "
      "the host build's prepare-${UMOL4_TARGET_ARCH} target makes it)")
  endif()
  execute_process(COMMAND ${UMOL4_HOST_LLVM_CONFIG} --link-static --libnames ${components}
    OUTPUT_VARIABLE names OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  separate_arguments(names UNIX_COMMAND "${names}")
  # A sysroot built from source holds only the libraries the core links
  # (ci/build-target-llvm.sh): the rest of llvm-config's list is skipped.
  set(libs "")
  foreach(n IN LISTS names)
    if(EXISTS ${libdir}/${n})
      list(APPEND libs ${libdir}/${n})
    endif()
  endforeach()
  umol4_gnu_triple(${UMOL4_TARGET_ARCH} triple)
  add_library(umol4_llvm INTERFACE)
  target_include_directories(umol4_llvm SYSTEM INTERFACE ${root}/usr/lib/llvm-19/include)
  target_compile_definitions(umol4_llvm INTERFACE _GNU_SOURCE __STDC_CONSTANT_MACROS __STDC_FORMAT_MACROS __STDC_LIMIT_MACROS)
  # zlib and zstd (Debian's LLVM uses them): the target's static archives
  # from the same sysroot.
  set(compression "")
  foreach(a libz.a libzstd.a)
    if(EXISTS ${root}/usr/lib/${triple}/${a})
      list(APPEND compression ${root}/usr/lib/${triple}/${a})
    endif()
  endforeach()
  target_link_libraries(umol4_llvm INTERFACE -Wl,--start-group ${libs} -Wl,--end-group
    ${compression} pthread rt dl m)
  message(STATUS "UMOL4: target LLVM from ${libdir} (${components})")
endfunction()
