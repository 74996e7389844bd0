//! The sigma0 protocol: asking the root pager for memory.
use crate::ipc;
#[cfg(not(test))]
use crate::kip::Kip;
use crate::message::{load_mrs, mr, Acceptor};
use crate::types::{Fpage, MsgTag, ThreadId};

/// The sigma0 the KIP names: the first user thread, version 1.
#[cfg(not(test))]
pub fn sigma0() -> ThreadId {
    ThreadId::global(Kip::get().thread_user_base(), 1)
}

/// Asks `s0` for `page` (`Fpage::any(s)`: any free page of 2^s bytes) and
/// accepts it at `window`; the fpage sigma0 mapped, None on refusal.
pub fn request(s0: ThreadId, page: Fpage, window: Fpage) -> Option<Fpage> {
    Acceptor::map_grant_items(window).accept();
    load_mrs(MsgTag::new(crate::label::SIGMA0, 2, 0), &[page.0, 0]);
    let got = ipc::call(s0);
    Acceptor::UNTYPED_WORDS.accept();
    match got {
        Ok(r) if r.tag.typed() == 2 => Some(Fpage(mr(2))),
        _ => None,
    }
}

/// Any free page of 2^size_log2 bytes from the KIP's sigma0, anywhere in
/// this space.
#[cfg(not(test))]
pub fn any_page(size_log2: u32) -> Option<Fpage> {
    request(sigma0(), Fpage::any(size_log2), Fpage::COMPLETE)
}

/// The page at `address` (2^size_log2 bytes), from the KIP's sigma0.
#[cfg(not(test))]
pub fn page_at(address: usize, size_log2: u32) -> Option<Fpage> {
    request(sigma0(), Fpage::log2(address, size_log2).with_rights(Fpage::FULL), Fpage::COMPLETE)
}
