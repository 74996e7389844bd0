//! Threads: ThreadControl, ExchangeRegisters, ThreadSwitch, and starting a
//! thread of this space on a function of the program.
use crate::ipc::{self, IpcError};
use crate::message::{load_mrs, tcr};
use crate::types::{MsgTag, ThreadId, Word};
use core::fmt;
use umol4_x2::{error, tcr as tcrs};

/// Why a privileged system call failed (ErrorCode).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Error {
    NoPrivilege,
    InvalidThread,
    InvalidSpace,
    InvalidScheduler,
    InvalidParam,
    UtcbArea,
    KipArea,
    NoMem,
    Other(Word),
}

impl Error {
    /// The calling thread's ErrorCode.
    pub fn last() -> Error {
        match tcr(tcrs::ERROR_CODE) {
            error::NO_PRIVILEGE => Error::NoPrivilege,
            error::INVALID_THREAD => Error::InvalidThread,
            error::INVALID_SPACE => Error::InvalidSpace,
            error::INVALID_SCHEDULER => Error::InvalidScheduler,
            error::INVALID_PARAM => Error::InvalidParam,
            error::UTCB_AREA => Error::UtcbArea,
            error::KIP_AREA => Error::KipArea,
            error::NO_MEM => Error::NoMem,
            other => Error::Other(other),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// ThreadControl: creates, changes or deletes thread `dest` (privileged
/// threads only).  `utcb` is the UTCB's address in `space`'s UTCB area.
pub fn thread_control(
    dest: ThreadId,
    space: ThreadId,
    scheduler: ThreadId,
    pager: ThreadId,
    utcb: Word,
) -> Result<(), Error> {
    // SAFETY: the entries were bound by `start`; ThreadControl touches no
    // memory of this space.
    let out = unsafe { umol4_x2::sys::thread_control(dest.0, space.0, scheduler.0, pager.0, utcb) };
    if out.result == 1 {
        Ok(())
    } else {
        Err(Error::last())
    }
}

/// The registers ExchangeRegisters returns: the thread's former values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExRegs {
    pub thread: ThreadId,
    pub control: Word,
    pub sp: Word,
    pub ip: Word,
    pub flags: Word,
    pub user_handle: Word,
    pub pager: ThreadId,
}

/// ExchangeRegisters on a thread of this space: reads, and as `control`
/// says sets, its sp, ip, flags, user handle and pager; may halt, resume
/// or cancel its IPC.
///
/// # Safety
/// Setting sp or ip of a thread of this space makes it run wherever they
/// point, outside what the compiler can check.
pub unsafe fn exchange_registers(
    dest: ThreadId,
    control: Word,
    sp: Word,
    ip: Word,
    flags: Word,
    user_handle: Word,
    pager: ThreadId,
) -> Result<ExRegs, Error> {
    let out = umol4_x2::sys::exchange_registers(dest.0, control, sp, ip, flags, user_handle, pager.0);
    if out.result == 0 {
        return Err(Error::last());
    }
    Ok(ExRegs {
        thread: ThreadId(out.result),
        control: out.old_control,
        sp: out.old_sp,
        ip: out.old_ip,
        flags: out.old_flags,
        user_handle: out.old_user_handle,
        pager: ThreadId(out.old_pager),
    })
}

/// ExchangeRegisters that only reads (the deliver bit alone): the thread's
/// registers.
pub fn read_registers(dest: ThreadId) -> Result<ExRegs, Error> {
    let deliver = 1 << umol4_x2::layout::exregs_control::DELIVER_SHIFT;
    // SAFETY: the deliver bit alone changes nothing.
    unsafe { exchange_registers(dest, deliver, 0, 0, 0, 0, ThreadId::NIL) }
}

/// ThreadSwitch: gives the rest of this time slice to `to` (NIL: to anyone).
pub fn thread_switch(to: ThreadId) {
    // SAFETY: the entries were bound by `start`.
    unsafe { umol4_x2::sys::thread_switch(to.0) }
}

/// Starts `thread` (created with ThreadControl, this thread its pager) on
/// `entry` with the stack that ends at `stack_top`: the startup message
/// (MR1 ip, MR2 sp) a new thread waits for from its pager.
///
/// # Safety
/// The stack must be the thread's alone and large enough for `entry`.
pub unsafe fn start(thread: ThreadId, entry: extern "C" fn() -> !, stack_top: *mut u8) -> Result<(), IpcError> {
    // A new thread starts with sp as given, where `entry` expects what a
    // call leaves: x86 pushes a return address (16-byte alignment minus a
    // word), the other arches keep sp 16-byte aligned.
    let mut sp = stack_top as Word & !15;
    if cfg!(any(target_arch = "x86", target_arch = "x86_64")) {
        sp -= core::mem::size_of::<Word>();
    }
    load_mrs(MsgTag::new(0, 2, 0), &[entry as Word, sp]);
    ipc::send(thread)
}
