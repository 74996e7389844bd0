# GoogleTest: the host's libgtest-dev, or for cross builds Debian's
# /usr/src/googletest built with the target compiler (there is no cross
# libgtest package).
if(CMAKE_CROSSCOMPILING)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL SYSTEM)
  add_library(umol4_gtest INTERFACE)
  target_link_libraries(umol4_gtest INTERFACE gtest gtest_main)
else()
  find_package(GTest REQUIRED)
  add_library(umol4_gtest INTERFACE)
  target_link_libraries(umol4_gtest INTERFACE GTest::gtest GTest::gtest_main)
endif()

# A GoogleTest program for this build's arch; static so QEMU user mode needs
# no sysroot.  Registered with ctest under "<arch>." names.
function(umol4_gtest name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;OPTIONS;LINK_OPTIONS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE umol4_gtest ${T_LIBS})
  target_compile_options(${name} PRIVATE ${T_OPTIONS})
  if(CMAKE_CROSSCOMPILING)
    target_link_options(${name} PRIVATE -static)  # QEMU user mode and i686 need no sysroot
  endif()
  target_link_options(${name} PRIVATE ${T_LINK_OPTIONS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  umol4_emulator(${UMOL4_TARGET_ARCH} ${UMOL4_HOST_ARCH} emu)
  add_test(NAME ${UMOL4_TARGET_ARCH}.${name} COMMAND ${emu} $<TARGET_FILE:${name}>)
  # A skipped case is not a pass: a test that skips any fails.
  set_tests_properties(${UMOL4_TARGET_ARCH}.${name} PROPERTIES FAIL_REGULAR_EXPRESSION [=[\[  SKIPPED \]]=])
  set_property(GLOBAL APPEND PROPERTY UMOL4_TARGET_TESTS ${name})
endfunction()

# At the end of a cross build's configure: the manifest the host's ctest reads.
function(umol4_write_test_manifest)
  get_property(tests GLOBAL PROPERTY UMOL4_TARGET_TESTS)
  umol4_emulator(${UMOL4_TARGET_ARCH} ${UMOL4_HOST_ARCH} emu)
  set(skip_fails [=[FAIL_REGULAR_EXPRESSION "\\[  SKIPPED \\]"]=])  # as on the host: a skip fails
  set(content "")
  foreach(t IN LISTS tests)
    string(APPEND content "add_test(${UMOL4_TARGET_ARCH}.${t} ${emu} \"$<TARGET_FILE:${t}>\")\n")
    string(APPEND content "set_tests_properties(${UMOL4_TARGET_ARCH}.${t} PROPERTIES LABELS ${UMOL4_TARGET_ARCH} TIMEOUT 300 ${skip_fails})\n")
  endforeach()
  get_property(extra GLOBAL PROPERTY UMOL4_TARGET_EXTRA_TESTS)
  string(APPEND content "${extra}")
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/umol4-tests.cmake CONTENT "${content}")
endfunction()
