# The Rust part of an arch's L4 program kit (included by cmake/sdk.cmake):
# a sysroot whose rlibs are core (from the toolchain's own rust-src), the
# generated X.2 bindings (umol4_x2) and the runtime crate (runtime/rust,
# umol4_rt), installed as lib/umol4/<arch>/rust.  Programs build against it
# with the rustc that built it: rlibs are bound to their compiler.
#
# Sets rust_target and rustflags (for the kit's CMake and pkg-config files)
# in the including scope; the toolchain is cmake/rust_toolchain.cmake's.
if(NOT UMOL4_SDK_RUST)
  return()
endif()

umol4_rust_target(${arch} rust_target)
set(rust_sysroot ${CMAKE_BINARY_DIR}/sdk/rust-${arch})
set(rust_stamp ${rust_sysroot}.stamp)
file(GLOB rust_runtime_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/runtime/rust/src/*.rs)
add_custom_command(OUTPUT ${rust_stamp}
  COMMAND ${UMOL4_PYTHON} ${CMAKE_SOURCE_DIR}/cmake/sdk/rust_sysroot.py --rustc ${UMOL4_RUSTC}
          --target ${rust_target} --sysroot ${rust_sysroot} --bindings ${UMOL4_GEN_DIR}/rust/src/lib.rs
          --runtime ${CMAKE_SOURCE_DIR}/runtime/rust/src/lib.rs
          --builtins ${CMAKE_SOURCE_DIR}/runtime/rust/builtins/lib.rs --stamp ${rust_stamp}
  DEPENDS ${CMAKE_SOURCE_DIR}/cmake/sdk/rust_sysroot.py ${UMOL4_GEN_DIR}/rust/src/lib.rs ${rust_runtime_sources}
          ${CMAKE_SOURCE_DIR}/runtime/rust/builtins/lib.rs
  COMMENT "The ${arch} Rust kit: core, umol4_x2 and umol4_rt for ${rust_target}"
  VERBATIM)
add_custom_target(rust_kit ALL DEPENDS ${rust_stamp})
add_dependencies(rust_kit bindings)
install(DIRECTORY ${rust_sysroot}/ DESTINATION ${kit}/rust COMPONENT sdk PATTERN core-built-by EXCLUDE)

# How a Rust L4 program is built and linked: the kit's sysroot, the arch's
# linker (its gcc) and the C runtime's start code, as for C programs.
set(rustflags --sysroot=<KIT>/rust -C panic=abort -C relocation-model=static -C linker=${cc})
foreach(flag IN LISTS l4_ldflags ITEMS -Wl,-Ttext-segment=<BASE> <KIT>/lib/crt0.o -L<KIT>/lib -ll4rt -lgcc)
  list(APPEND rustflags -C link-arg=${flag})
endforeach()
