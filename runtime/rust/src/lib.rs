//! The runtime of L4 programs written in Rust (UMOL4 SDK): the entry, the
//! console, the panic handler, and safe types and calls over the generated
//! X.2 bindings (`umol4_x2`).  `no_std`; built by the SDK for each arch
//! together with `core`, so a program names it with `extern crate umol4_rt;`
//! and needs no crate from elsewhere (docs/getting-started.md).
//!
//! A program is a binary crate with `#![no_std]` and `#![no_main]` whose
//! main function is named by [`entry!`].  The C runtime's start code (crt0
//! and libl4rt, which the SDK links in) finds the KIP and calls it.
#![cfg_attr(not(test), no_std)]

pub use umol4_x2 as x2;
/// The facts of the arch this program is built for (`NAME`, `WORD_BITS`,
/// `MR0_OFFSET`, ...).
#[cfg(not(test))]
pub use umol4_x2::sys::arch;

mod console;
pub mod ipc;
pub mod kip;
pub mod message;
pub mod sigma0;
pub mod thread;
mod types;

pub use console::{_print, write_str, Console};
pub use ipc::{IpcError, IpcErrorKind, Timeouts};
pub use kip::Kip;
pub use message::{load_mrs, mr, set_mr, Acceptor, MapItem};
pub use thread::{Error, ExRegs};
pub use types::{Fpage, MsgTag, ThreadId, Time, Word};

/// Kernel-defined message labels (X.2: -n << 4 in the label field); the
/// low 4 bits of a fault's label carry the access rights.
pub mod label {
    use super::Word;
    /// -n << 4, cut to the label field (the word less its low 16 bits).
    const fn kernel(n: Word) -> Word {
        (0usize.wrapping_sub(n) << 4) & (!0usize >> 16)
    }
    pub const INTERRUPT: Word = kernel(1);
    pub const PAGE_FAULT: Word = kernel(2);
    pub const PREEMPTION: Word = kernel(3);
    pub const EXCEPTION: Word = kernel(5);
    pub const SIGMA0: Word = kernel(6);
    /// Whether `label` is `kernel_label` with any rights in its low 4 bits.
    pub const fn is(label: Word, kernel_label: Word) -> bool {
        label >> 4 == kernel_label >> 4
    }
}

#[cfg(not(test))]
extern "C" {
    static l4rt_kip: *const usize;
    fn l4rt_exit(status: i32) -> !;
    fn l4rt_abort() -> !;
}

/// Binds the system-call entries of the KIP the start code found.  The
/// [`entry!`] main calls it before the program's own main.
#[cfg(not(test))]
pub fn start() {
    // SAFETY: l4rt_kip is set by the start code before main runs and never
    // changes; it points at this space's KIP.
    unsafe { x2::sys::init_entries(l4rt_kip) }
}

/// Ends the program as the C runtime does: reports `status` on the console
/// and blocks this thread forever (an L4 thread cannot end itself).
#[cfg(not(test))]
pub fn exit(status: i32) -> ! {
    // SAFETY: l4rt_exit only prints and blocks.
    unsafe { l4rt_exit(status) }
}

/// Names the program's main function, `fn() -> i32`: its result is the
/// status the start code reports when it returns.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[export_name = "main"]
        pub extern "C" fn __umol4_rt_main() -> i32 {
            $crate::start();
            let main: fn() -> i32 = $main;
            main()
        }
    };
}

/// Ends the program abnormally: the kernel debugger (see `l4rt_abort`).
#[cfg(not(test))]
pub fn abort() -> ! {
    // SAFETY: l4rt_abort only traps into the kernel debugger and blocks.
    unsafe { l4rt_abort() }
}

/// A panic is reported on the console, then the thread stops in the kernel
/// debugger: umol4 ends the box with exit code 3, so a panic fails a run.
#[cfg(not(test))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    println!("panic in thread {}: {}", ThreadId::myself(), info);
    abort()
}
