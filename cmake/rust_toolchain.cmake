# The Rust toolchain of the SDK's Rust kit (cmake/sdk_rust.cmake) and of
# the runtime crate's tests: UMOL4_RUSTC and UMOL4_CARGO.
option(UMOL4_SDK_RUST "build the Rust kit of the SDK (needs rustc and rust-src)" ON)
if(NOT UMOL4_SDK_RUST)
  return()
endif()

# A rustc with its library sources: Debian's (rustc, rust-src), else one on
# PATH that has them (rustup with the rust-src component).
if(NOT UMOL4_RUSTC)
  foreach(candidate /usr/bin/rustc rustc)
    unset(_rustc CACHE)
    find_program(_rustc ${candidate})
    if(_rustc)
      execute_process(COMMAND ${_rustc} --print sysroot OUTPUT_VARIABLE _sysroot OUTPUT_STRIP_TRAILING_WHITESPACE
                      RESULT_VARIABLE _rc)
      if(_rc EQUAL 0 AND EXISTS "${_sysroot}/lib/rustlib/src/rust/library/core/src/lib.rs")
        set(UMOL4_RUSTC ${_rustc} CACHE FILEPATH "rustc of the SDK's Rust kit")
        break()
      endif()
    endif()
  endforeach()
  unset(_rustc CACHE)
endif()
if(NOT UMOL4_RUSTC)
  message(FATAL_ERROR "The SDK's Rust kit needs rustc with its rust-src (Debian: apt-get install rustc cargo "
    "rust-src; or bash ci/install-deps.sh); -DUMOL4_SDK_RUST=OFF builds the SDK without it")
endif()
get_filename_component(_rust_bin ${UMOL4_RUSTC} DIRECTORY)
find_program(UMOL4_CARGO cargo PATHS ${_rust_bin} NO_DEFAULT_PATH)
if(NOT UMOL4_CARGO)
  set(UMOL4_CARGO ${_rust_bin}/cargo)
endif()

