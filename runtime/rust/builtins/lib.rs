//! rustc links every `no_std` binary against a crate marked
//! `compiler_builtins`.  The routines such a crate would hold come from
//! libgcc and libl4rt (memcpy and its kin), which the SDK links into every
//! L4 program, so this one is empty.
#![no_std]
#![feature(compiler_builtins)]
#![compiler_builtins]
