# A second host build of the core with AddressSanitizer and
# UndefinedBehaviorSanitizer (no cross builds), for the integration tests.
include(ExternalProject)
ExternalProject_Add(sanitized-core
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/sanitized
  CMAKE_ARGS
    -DCMAKE_BUILD_TYPE=Debug
    -DUMOL4_SANITIZERS=ON
    -DUMOL4_CROSS_ARCHES=none
    -DUMOL4_PYTHON=${UMOL4_PYTHON}
  CMAKE_GENERATOR ${CMAKE_GENERATOR}
  BUILD_COMMAND ${CMAKE_COMMAND} --build . --target umol4 l4_programs
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  USES_TERMINAL_BUILD ON)
