# find_package(UMOL4): the umol4 command and the L4 program kits installed
# beside it, one per arch (UMOL4_ARCHES), and umol4_add_program(), which
# builds an L4 program for any of them with that arch's compiler.
#
#   UMOL4_EXECUTABLE        the umol4 command
#   UMOL4_ARCHES            the arches whose kits are installed
#   UMOL4_<arch>_SIGMA0     that arch's sigma0 image
#   umol4_add_program(NAME ARCH <arch> SOURCES <file>... [BASE <address>]
#                     [INCLUDE_DIRECTORIES <dir>...] [COMPILE_OPTIONS <opt>...]
#                     [RUST_OPTIONS <opt>...] [OUTPUT_DIRECTORY <dir>])
#       a target NAME (built by default) making the static ELF image
#       <OUTPUT_DIRECTORY, default: the current binary dir's l4/>/NAME, linked at BASE
#       (default 0x400000; sigma0 sits at 0x20000).  Sources: C (.c), C++
#       (.cc, .cpp, .cxx: no exceptions, RTTI or C++ library), assembly
#       (.S), and at most one Rust crate root (.rs: a no_std, no_main
#       binary crate with `extern crate umol4_rt;`, built by the kit's
#       rustc; RUST_OPTIONS go to it).  The image's path is the target's
#       property UMOL4_IMAGE.
cmake_minimum_required(VERSION 3.20)  # DEPFILE of custom commands
get_filename_component(_umol4_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(UMOL4_EXECUTABLE "${_umol4_prefix}/bin/umol4")
set(UMOL4_ARCHES "")
file(GLOB _umol4_kits "${CMAKE_CURRENT_LIST_DIR}/arches/umol4-*.cmake")
foreach(_umol4_kit IN LISTS _umol4_kits)
  include("${_umol4_kit}")
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/umol4_add_program.cmake")
if(NOT EXISTS "${UMOL4_EXECUTABLE}" OR NOT UMOL4_ARCHES)
  set(UMOL4_FOUND FALSE)
  set(UMOL4_NOT_FOUND_MESSAGE "no umol4 command or no L4 program kit under ${_umol4_prefix}")
endif()
