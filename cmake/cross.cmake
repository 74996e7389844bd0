# Cross builds of this tree for the other arches, and their tests in this
# build's ctest.  Each cross build writes umol4-tests.cmake (add_test lines
# with absolute paths); ctest includes it when it exists.
include(ExternalProject)

foreach(arch IN LISTS UMOL4_CROSS_BUILDS)
  if(NOT arch IN_LIST UMOL4_ARCHES)
    message(FATAL_ERROR "UMOL4_CROSS_ARCHES: unknown arch '${arch}' (have: ${UMOL4_ARCHES})")
  endif()
  set(bin ${CMAKE_BINARY_DIR}/cross/${arch})
  ExternalProject_Add(cross-${arch}
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${bin}
    CMAKE_ARGS
      -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchains/${arch}.cmake
      -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
      -DUMOL4_PYTHON=${UMOL4_PYTHON}
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
