//! IPC: the Ipc system call and its usual shapes (call, send, receive,
//! wait, reply-and-wait, sleep).  Messages are the calling thread's MRs:
//! load them with `load_mrs` before sending, read them with `mr` after
//! receiving.
use crate::message::{mrs, tcr, utcb_address};
use crate::types::{MsgTag, ThreadId, Time, Word};
use core::fmt;
use umol4_x2::layout::{ipc_error_code, ipc_timeouts};
use umol4_x2::{ipc_error, tcr as tcrs};

/// The send and receive timeouts of one Ipc.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Timeouts {
    pub send: Time,
    pub receive: Time,
}

impl Timeouts {
    pub const NEVER: Timeouts = Timeouts { send: Time::NEVER, receive: Time::NEVER };
    pub const fn word(self) -> Word {
        ipc_timeouts::set_receive(ipc_timeouts::set_send(0, self.send.0 as Word), self.receive.0 as Word)
    }
}

/// Why an IPC failed (ErrorCode's code field).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IpcErrorKind {
    Timeout,
    NoPartner,
    Canceled,
    MessageOverflow,
    XferTimeoutOwn,
    XferTimeoutPartner,
    Aborted,
    Other(Word),
}

/// A failed IPC: in which phase, and why.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct IpcError {
    pub receive_phase: bool,
    pub kind: IpcErrorKind,
    /// ErrorCode as the kernel left it.
    pub raw: Word,
}

impl IpcError {
    pub const fn from_error_code(raw: Word) -> IpcError {
        let kind = match ipc_error_code::code(raw) {
            ipc_error::TIMEOUT => IpcErrorKind::Timeout,
            ipc_error::NO_PARTNER => IpcErrorKind::NoPartner,
            ipc_error::CANCELED => IpcErrorKind::Canceled,
            ipc_error::OVERFLOW => IpcErrorKind::MessageOverflow,
            ipc_error::XFER_TIMEOUT_OWN => IpcErrorKind::XferTimeoutOwn,
            ipc_error::XFER_TIMEOUT_PARTNER => IpcErrorKind::XferTimeoutPartner,
            ipc_error::ABORTED => IpcErrorKind::Aborted,
            other => IpcErrorKind::Other(other),
        };
        IpcError { receive_phase: ipc_error_code::receive_phase(raw) != 0, kind, raw }
    }
}

impl fmt::Display for IpcError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let phase = if self.receive_phase { "receive" } else { "send" };
        write!(f, "{:?} in the {} phase", self.kind, phase)
    }
}

/// A message received: its tag (MR0) and its sender.  The words are in
/// the MRs until the next IPC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Received {
    pub tag: MsgTag,
    pub from: ThreadId,
}

fn result(out_from: Word) -> Result<Received, IpcError> {
    let tag = MsgTag(crate::message::mr(0));
    if tag.failed() {
        return Err(IpcError::from_error_code(tcr(tcrs::ERROR_CODE)));
    }
    Ok(Received { tag, from: ThreadId(out_from) })
}

/// Ipc: sends the loaded message to `to` (unless nil), then receives from
/// `from` (unless nil; ANY for anyone).
pub fn ipc(to: ThreadId, from: ThreadId, timeouts: Timeouts) -> Result<Received, IpcError> {
    // SAFETY: the entries were bound by `start`; the MR slice is this
    // thread's UTCB, which the call reads and writes.
    let out = unsafe { umol4_x2::sys::ipc(to.0, from.0, timeouts.word(), utcb_address(), mrs()) };
    result(out.from)
}

/// Lipc: Ipc between threads of one space (local IDs).
pub fn lipc(to: ThreadId, from: ThreadId, timeouts: Timeouts) -> Result<Received, IpcError> {
    // SAFETY: as in ipc().
    let out = unsafe { umol4_x2::sys::lipc(to.0, from.0, timeouts.word(), utcb_address(), mrs()) };
    result(out.from)
}

/// Sends to `to` and waits for its answer.
pub fn call(to: ThreadId) -> Result<Received, IpcError> {
    ipc(to, to, Timeouts::NEVER)
}

pub fn send(to: ThreadId) -> Result<(), IpcError> {
    ipc(to, ThreadId::NIL, Timeouts::NEVER).map(|_| ())
}

/// Sends only if `to` waits already (zero send timeout).
pub fn reply(to: ThreadId) -> Result<(), IpcError> {
    ipc(to, ThreadId::NIL, Timeouts { send: Time::ZERO, receive: Time::NEVER }).map(|_| ())
}

pub fn receive(from: ThreadId) -> Result<Received, IpcError> {
    ipc(ThreadId::NIL, from, Timeouts::NEVER)
}

/// Receives from any thread.
pub fn wait() -> Result<Received, IpcError> {
    receive(ThreadId::ANY)
}

/// Replies to `to` (if it waits) and receives from any thread: a server's
/// loop.
pub fn reply_wait(to: ThreadId) -> Result<Received, IpcError> {
    ipc(to, ThreadId::ANY, Timeouts { send: Time::ZERO, receive: Time::NEVER })
}

/// Blocks for `t` (NEVER: for good): a receive from a thread that never
/// sends, ended by its timeout.
pub fn sleep(t: Time) {
    let me = ThreadId::myself();
    let _ = ipc(ThreadId::NIL, me, Timeouts { send: Time::NEVER, receive: t });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_put_send_high_and_receive_low() {
        let t = Timeouts { send: Time::ZERO, receive: Time::period(100) };
        assert_eq!(t.word(), (1 << 10) << 16 | 100);
    }

    #[test]
    fn error_codes_name_phase_and_reason() {
        let e = IpcError::from_error_code((2 << 1) | 1);
        assert_eq!((e.receive_phase, e.kind), (true, IpcErrorKind::NoPartner));
        assert_eq!(IpcError::from_error_code(1 << 1).kind, IpcErrorKind::Timeout);
    }
}
