# The installed SDK (`cmake --install`; docs/getting-started.md).  Every
# build installs the L4 program kit of its target arch (component sdk):
#   lib/umol4/<arch>/include     the X.2 headers (C and C++), generated and
#                                convenience, and the runtime's (l4rt, l4io)
#   lib/umol4/<arch>/lib         libl4rt.a and crt0.o
#   lib/umol4/<arch>/sigma0      the root pager
#   lib/cmake/UMOL4/arches/      the kit's facts for find_package(UMOL4)
#   share/pkgconfig/umol4-<arch>.pc
#   lib/umol4/<arch>/rust         the Rust kit (cmake/sdk_rust.cmake)
#   lib/umol4/<arch>/vm           aarch64, riscv64: the VM `umol4 run` boots
#                                 their images in on another CPU's host
# The host build adds the umol4 command, its man page (help2man, from its
# own help) and bash completion, the CMake package, and the kits the cross
# builds staged in their install step.
set(arch ${UMOL4_TARGET_ARCH})
set(kit lib/umol4/${arch})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/runtime/include/ ${CMAKE_SOURCE_DIR}/syscall-bindings/include/
  DESTINATION ${kit}/include COMPONENT sdk)
install(DIRECTORY ${UMOL4_GEN_DIR}/include/l4/ DESTINATION ${kit}/include/l4 COMPONENT sdk)
install(TARGETS l4rt ARCHIVE DESTINATION ${kit}/lib COMPONENT sdk)
install(FILES $<TARGET_OBJECTS:l4rt_crt0> DESTINATION ${kit}/lib RENAME crt0.o COMPONENT sdk)
install(TARGETS sigma0 RUNTIME DESTINATION ${kit} COMPONENT sdk)
install(TARGETS hello RUNTIME DESTINATION ${kit} COMPONENT sdk)  # the default box's root task

umol4_gnu_triple(${arch} triple)
umol4_l4_flags(${arch} l4_cflags l4_ldflags)
set(cc ${triple}-gcc)
set(cxx ${triple}-g++)
set(compiler_package g++-${triple})
if(arch STREQUAL "x86_64")
  set(compiler_package g++)
endif()
set(cxx_only -fno-rtti -fno-threadsafe-statics -nostdinc++)
set(base 0x400000)
list(JOIN l4_cflags " " cflags)
list(JOIN l4_ldflags " " ldflags)
list(JOIN cxx_only " " cxxflags)
set(cflags_words ${cflags})
set(ldflags_words ${ldflags})
set(cxxflags_words ${cxxflags})
if(NOT UMOL4_SANITIZERS)  # (the sanitized and fuzzing builds are for tests alone)
  include(sdk_rust)
endif()
if(UMOL4_RUSTC AND UMOL4_SDK_RUST)
  list(JOIN rustflags " " rustflags_words)
  string(REPLACE "<KIT>" "\${kit}" rustflags_words "${rustflags_words}")
  string(REPLACE "<BASE>" "\${base}" rustflags_words "${rustflags_words}")
  string(REPLACE "<KIT>" "\${UMOL4_${arch}_KIT}" rustflags_cmake "${rustflags}")
  list(JOIN rustflags_cmake " " rustflags_cmake)
endif()
configure_file(${CMAKE_SOURCE_DIR}/cmake/sdk/umol4-arch.cmake.in ${CMAKE_BINARY_DIR}/sdk/umol4-${arch}.cmake @ONLY)
configure_file(${CMAKE_SOURCE_DIR}/cmake/sdk/umol4-arch.pc.in ${CMAKE_BINARY_DIR}/sdk/umol4-${arch}.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/sdk/umol4-${arch}.cmake DESTINATION lib/cmake/UMOL4/arches COMPONENT sdk)
install(FILES ${CMAKE_BINARY_DIR}/sdk/umol4-${arch}.pc DESTINATION share/pkgconfig COMPONENT sdk)

# The VM kit of an arch the tests boot in QEMU: `umol4 run` of its images
# on a host of another CPU boots them there (cli/vm_box.cpp): the tests'
# kernel, this build's static umol4 (stripped), the VM's /init, qemu.sh.
if(CMAKE_CROSSCOMPILING AND TARGET umol4 AND UMOL4_VM_KERNEL)
  set(vm_init ${CMAKE_BINARY_DIR}/sdk/vm/init)
  set(vm_core ${CMAKE_BINARY_DIR}/sdk/vm/umol4)
  add_custom_command(OUTPUT ${vm_init}
    COMMAND ${CMAKE_C_COMPILER} -static -O2 -o ${vm_init} ${CMAKE_SOURCE_DIR}/ci/vm/init.c
    DEPENDS ${CMAKE_SOURCE_DIR}/ci/vm/init.c
    COMMENT "The ${arch} VM's /init"
    VERBATIM)
  add_custom_command(OUTPUT ${vm_core}
    COMMAND ${CMAKE_STRIP} -o ${vm_core} $<TARGET_FILE:umol4>
    DEPENDS umol4
    COMMENT "The ${arch} VM's umol4, stripped"
    VERBATIM)
  add_custom_target(vm_kit ALL DEPENDS ${vm_init} ${vm_core})
  install(PROGRAMS ${vm_init} ${vm_core} ${CMAKE_SOURCE_DIR}/ci/vm/qemu.sh DESTINATION ${kit}/vm COMPONENT sdk)
  install(FILES ${UMOL4_VM_KERNEL} DESTINATION ${kit}/vm RENAME Image COMPONENT sdk)
endif()

# Cross builds stage only their kit; the sanitized and fuzzing builds are
# for tests alone.
if(CMAKE_CROSSCOMPILING OR UMOL4_SANITIZERS)
  return()
endif()

include(CMakePackageConfigHelpers)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/sdk/UMOL4ConfigVersion.cmake COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES ${CMAKE_SOURCE_DIR}/cmake/sdk/UMOL4Config.cmake ${CMAKE_SOURCE_DIR}/cmake/sdk/umol4_add_program.cmake
  ${CMAKE_BINARY_DIR}/sdk/UMOL4ConfigVersion.cmake DESTINATION lib/cmake/UMOL4 COMPONENT sdk)

if(TARGET umol4)
  install(TARGETS umol4 RUNTIME DESTINATION bin COMPONENT sdk)
  # The man page and the completion say what this umol4 says of itself.
  find_program(UMOL4_HELP2MAN help2man REQUIRED)
  set(man ${CMAKE_BINARY_DIR}/sdk/umol4.1)
  add_custom_command(OUTPUT ${man}
    COMMAND ${UMOL4_HELP2MAN} --no-info --help-option "run --help" --version-option --version
            --name "a user-mode L4 (X.2) microkernel: boot an L4 box as Linux processes"
            --output ${man} $<TARGET_FILE:umol4>
    DEPENDS umol4
    COMMENT "umol4.1 from umol4 run --help"
    VERBATIM)
  set(completion ${CMAKE_BINARY_DIR}/sdk/umol4.bash)
  add_custom_command(OUTPUT ${completion}
    COMMAND ${UMOL4_PYTHON} ${CMAKE_SOURCE_DIR}/cmake/sdk/bash_completion.py $<TARGET_FILE:umol4> ${completion}
    DEPENDS umol4 ${CMAKE_SOURCE_DIR}/cmake/sdk/bash_completion.py
    COMMENT "bash completion from umol4 run --help"
    VERBATIM)
  add_custom_target(umol4_doc_files ALL DEPENDS ${man} ${completion})
  install(FILES ${man} DESTINATION share/man/man1 COMPONENT sdk)
  install(FILES ${completion} DESTINATION share/bash-completion/completions RENAME umol4 COMPONENT sdk)
endif()

# The cross builds' kits (cmake/cross.cmake stages them here), and the
# examples a program of one's own starts from.
if(UMOL4_CROSS_BUILDS)
  install(DIRECTORY ${CMAKE_BINARY_DIR}/sdk-stage/ DESTINATION . COMPONENT sdk USE_SOURCE_PERMISSIONS)
endif()
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/sdk/ DESTINATION share/umol4/examples COMPONENT sdk)

# Everything the SDK installs, for `cmake --build build --target sdk` (the
# default target builds it too, with the tests).
add_custom_target(sdk)
add_dependencies(sdk sigma0 hello l4rt l4rt_crt0)
if(TARGET rust_kit)
  add_dependencies(sdk rust_kit)
endif()
if(TARGET umol4)
  add_dependencies(sdk umol4 umol4_doc_files)
endif()
foreach(a IN LISTS UMOL4_CROSS_BUILDS)
  add_dependencies(sdk cross-${a})
endforeach()

# The SDK as a Debian package (`cpack --config build/CPackConfig.cmake`):
# the sdk component under /usr, its libraries Debian 12's.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME umol4)
set(CPACK_PACKAGE_VENDOR "UMOL4")
set(CPACK_PACKAGE_CONTACT "UMOL4 developers <umol4@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "user-mode L4 (X.2) microkernel: L4 boxes as Linux processes, and an SDK")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL sdk)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_SDK_PACKAGE_NAME umol4)
set(CPACK_DEBIAN_SDK_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.36), libstdc++6, libgcc-s1, libspdlog1.10, libfmt9, zlib1g, libzstd1")
set(CPACK_STRIP_FILES ON)  # the core without its debug information
# (the Rust kit's rlibs are bound to the rustc that built them, Debian's:
# that version; the VM kits need QEMU)
set(rustc_package "rustc")
if(UMOL4_RUSTC STREQUAL "/usr/bin/rustc")
  execute_process(COMMAND dpkg-query -W -f=\${Version} rustc OUTPUT_VARIABLE rustc_version RESULT_VARIABLE rc
                  ERROR_QUIET)
  if(rc EQUAL 0 AND rustc_version)
    set(rustc_package "rustc (= ${rustc_version})")
  endif()
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gcc, g++-i686-linux-gnu, cmake, pkg-config, ${rustc_package}, cargo")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gcc-aarch64-linux-gnu, gcc-riscv64-linux-gnu, qemu-system-arm, qemu-system-misc")
include(CPack)
