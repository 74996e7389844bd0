# The system-call fuzzer: the core built again by clang with libFuzzer,
# ASan and UBSan (host only), and a bounded fuzz pass as a test that starts
# from the corpus in tests/fuzz/corpus.  Skipped (with a message) where
# clang or its libFuzzer runtime is missing.
include(ExternalProject)
find_program(UMOL4_CLANG NAMES clang-14 clang)
find_program(UMOL4_CLANGXX NAMES clang++-14 clang++)
set(umol4_fuzz_ok OFF)
if(UMOL4_CLANG AND UMOL4_CLANGXX)
  set(probe ${CMAKE_BINARY_DIR}/fuzz-probe.cpp)
  file(WRITE ${probe} "#include <cstdint>\n#include <cstddef>\nextern \"C\" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }\n")
  execute_process(COMMAND ${UMOL4_CLANGXX} -fsanitize=fuzzer ${probe} -o ${CMAKE_BINARY_DIR}/fuzz-probe
                  RESULT_VARIABLE probe_result OUTPUT_QUIET ERROR_QUIET)
  if(probe_result EQUAL 0)
    set(umol4_fuzz_ok ON)
  endif()
endif()
if(NOT umol4_fuzz_ok)
  message(STATUS "UMOL4: no clang with libFuzzer (packages clang, libclang-rt-14-dev): the fuzzer is not built")
  return()
endif()

ExternalProject_Add(fuzz-core
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/fuzz
  CMAKE_ARGS
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_C_COMPILER=${UMOL4_CLANG}
    -DCMAKE_CXX_COMPILER=${UMOL4_CLANGXX}
    -DUMOL4_FUZZ=ON
    -DUMOL4_SANITIZERS=ON
    -DUMOL4_SANITIZED_CORE=OFF
    -DUMOL4_CROSS_ARCHES=none
    -DUMOL4_PYTHON=${UMOL4_PYTHON}
  CMAKE_GENERATOR ${CMAKE_GENERATOR}
  BUILD_COMMAND ${CMAKE_COMMAND} --build . --target syscall_fuzzer
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  USES_TERMINAL_BUILD ON)

# New inputs go to the build tree; the committed corpus is only read.
add_test(NAME host.syscall_fuzz
  COMMAND ${CMAKE_COMMAND} -E env UMOL4_FUZZ_SECONDS=${UMOL4_FUZZ_SECONDS}
          sh ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh ${CMAKE_BINARY_DIR}/fuzz/tests/fuzz/syscall_fuzzer
             ${CMAKE_BINARY_DIR}/fuzz-found ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus)
set_tests_properties(host.syscall_fuzz PROPERTIES TIMEOUT 600)
