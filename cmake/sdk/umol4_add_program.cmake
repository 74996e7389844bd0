# umol4_add_program (UMOL4Config.cmake): an L4 program of any installed
# arch, compiled and linked by custom commands with that arch's compiler
# (one project builds for several arches at once, whatever its own
# compiler is).  A .rs source is the root of a Rust crate that rustc builds
# and links with the kit's Rust part; C and assembly sources join it.
function(umol4_add_program name)
  cmake_parse_arguments(PARSE_ARGV 1 P "" "ARCH;BASE;OUTPUT_DIRECTORY" "SOURCES;INCLUDE_DIRECTORIES;COMPILE_OPTIONS;RUST_OPTIONS")
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "umol4_add_program(${name}): unknown arguments ${P_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT P_ARCH)
    message(FATAL_ERROR "umol4_add_program(${name}): ARCH missing (installed: ${UMOL4_ARCHES})")
  endif()
  if(NOT P_ARCH IN_LIST UMOL4_ARCHES)
    message(FATAL_ERROR "umol4_add_program(${name}): no ${P_ARCH} kit installed (installed: ${UMOL4_ARCHES})")
  endif()
  if(NOT P_SOURCES)
    message(FATAL_ERROR "umol4_add_program(${name}): SOURCES missing")
  endif()
  set(a ${P_ARCH})
  if(NOT P_BASE)
    set(P_BASE ${UMOL4_${a}_BASE})
  endif()
  if(NOT P_OUTPUT_DIRECTORY)
    # Not the binary dir itself: a file there named like the target would
    # be a circular dependency to make.
    set(P_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/l4)
  endif()
  foreach(tool CC CXX)
    find_program(UMOL4_${a}_${tool}_PATH ${UMOL4_${a}_${tool}})
  endforeach()
  if(NOT UMOL4_${a}_CC_PATH)
    message(FATAL_ERROR "umol4_add_program(${name}): ${a} programs need ${UMOL4_${a}_CC} "
      "(Debian: apt-get install ${UMOL4_${a}_COMPILER_PACKAGE})")
  endif()
  set(kit ${UMOL4_${a}_KIT})
  set(includes -I${kit}/include)
  foreach(dir IN LISTS P_INCLUDE_DIRECTORIES)
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND includes -I${dir})
  endforeach()
  set(objects "")
  set(crate_root "")
  foreach(src IN LISTS P_SOURCES)
    get_filename_component(ext "${src}" LAST_EXT)
    if(ext STREQUAL ".rs")
      if(crate_root)
        message(FATAL_ERROR "umol4_add_program(${name}): one .rs source only, the crate root (${crate_root}, ${src}); "
          "rustc finds its modules")
      endif()
      if(NOT UMOL4_${a}_RUSTC)
        message(FATAL_ERROR "umol4_add_program(${name}): the ${a} kit has no Rust part "
          "(the SDK was built with -DUMOL4_SDK_RUST=OFF)")
      endif()
      get_filename_component(crate_root "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(REMOVE_ITEM P_SOURCES "${src}")
    endif()
  endforeach()
  foreach(src IN LISTS P_SOURCES)
    get_filename_component(path "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(ext "${src}" LAST_EXT)
    file(RELATIVE_PATH rel "${CMAKE_CURRENT_SOURCE_DIR}" "${path}")
    string(REPLACE "../" "__/" rel "${rel}")
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir/${rel}.o)
    if(ext MATCHES "^\\.(cc|cpp|cxx|C)$")
      if(NOT UMOL4_${a}_CXX_PATH)
        message(FATAL_ERROR "umol4_add_program(${name}): C++ sources need ${UMOL4_${a}_CXX}")
      endif()
      set(compile ${UMOL4_${a}_CXX_PATH} ${UMOL4_${a}_CFLAGS} ${UMOL4_${a}_CXXFLAGS})
    elseif(ext MATCHES "^\\.(c|S|s)$")
      set(compile ${UMOL4_${a}_CC_PATH} ${UMOL4_${a}_CFLAGS})
    else()
      message(FATAL_ERROR "umol4_add_program(${name}): ${src}: not C, C++ or assembly")
    endif()
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir
      COMMAND ${compile} ${includes} ${P_COMPILE_OPTIONS} -MD -MF ${obj}.d -c ${path} -o ${obj}
      DEPENDS ${path}
      DEPFILE ${obj}.d
      COMMENT "Building ${a} object ${rel}.o of ${name}"
      VERBATIM COMMAND_EXPAND_LISTS)
    list(APPEND objects ${obj})
  endforeach()
  set(image ${P_OUTPUT_DIRECTORY}/${name})
  if(crate_root)
    # rustc builds the crate and links it with the kit's start code and
    # runtime (the kit's rustflags), adding the program's other objects.
    string(REPLACE "<BASE>" "${P_BASE}" rustflags "${UMOL4_${a}_RUSTFLAGS}")
    string(MAKE_C_IDENTIFIER ${name} crate)
    set(link_objects "")
    foreach(obj IN LISTS objects)
      list(APPEND link_objects -C link-arg=${obj})
    endforeach()
    add_custom_command(OUTPUT ${image}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${P_OUTPUT_DIRECTORY}
      COMMAND ${UMOL4_${a}_RUSTC} --edition 2021 --crate-type bin --crate-name ${crate}
              --target ${UMOL4_${a}_RUST_TARGET} -C opt-level=2 -C debuginfo=1 ${rustflags} ${link_objects}
              ${P_RUST_OPTIONS} --emit link=${image},dep-info=${image}.d ${crate_root}
      DEPENDS ${crate_root} ${objects} ${kit}/lib/crt0.o ${kit}/lib/libl4rt.a
      DEPFILE ${image}.d
      COMMENT "Building and linking the ${a} Rust L4 program ${name} at ${P_BASE}"
      VERBATIM COMMAND_EXPAND_LISTS)
    add_custom_target(${name} ALL DEPENDS ${image})
    set_target_properties(${name} PROPERTIES UMOL4_IMAGE ${image} UMOL4_ARCH ${a})
    return()
  endif()
  add_custom_command(OUTPUT ${image}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${P_OUTPUT_DIRECTORY}
    COMMAND ${UMOL4_${a}_CC_PATH} ${UMOL4_${a}_LDFLAGS} -Wl,-Ttext-segment=${P_BASE}
            ${kit}/lib/crt0.o ${objects} -L${kit}/lib -ll4rt -lgcc -o ${image}
    DEPENDS ${objects} ${kit}/lib/crt0.o ${kit}/lib/libl4rt.a
    COMMENT "Linking the ${a} L4 program ${name} at ${P_BASE}"
    VERBATIM COMMAND_EXPAND_LISTS)
  add_custom_target(${name} ALL DEPENDS ${image})
  set_target_properties(${name} PROPERTIES UMOL4_IMAGE ${image} UMOL4_ARCH ${a})
endfunction()
