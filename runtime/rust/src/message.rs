//! The calling thread's message registers (MRs) and thread control
//! registers (TCRs), both in its UTCB, and the typed items of a message.
use crate::types::{Fpage, MsgTag, ThreadId, Word};
use umol4_x2::layout::{acceptor, map_item};
use umol4_x2::tcr;

/// Message registers per thread (X.2: MR0..MR63).
pub const MRS: usize = 64;

#[cfg(not(test))]
fn utcb() -> *mut Word {
    umol4_x2::sys::utcb()
}

// Host tests: a UTCB of their own (per test thread).
#[cfg(test)]
fn utcb() -> *mut Word {
    std::thread_local!(static UTCB: core::cell::UnsafeCell<[Word; 128]> = core::cell::UnsafeCell::new([0; 128]));
    UTCB.with(|u| unsafe { (u.get() as *mut Word).add(64) })
}

/// Message register `i` of this thread.
pub fn mr(i: usize) -> Word {
    assert!(i < MRS, "MR{} does not exist", i);
    // SAFETY: MR0..MR63 lie in this thread's UTCB, which only it uses.
    unsafe { utcb().add(i).read_volatile() }
}

pub fn set_mr(i: usize, value: Word) {
    assert!(i < MRS, "MR{} does not exist", i);
    // SAFETY: as in mr().
    unsafe { utcb().add(i).write_volatile(value) }
}

/// MR0 = `tag`, MR1.. = `words` (the untyped words, then the typed items).
pub fn load_mrs(tag: MsgTag, words: &[Word]) {
    set_mr(0, tag.0);
    for (i, w) in words.iter().enumerate() {
        set_mr(i + 1, *w);
    }
}

/// The MRs as a slice, for the system-call bindings.
pub(crate) fn mrs() -> &'static mut [Word] {
    // SAFETY: the UTCB's MRs belong to this thread; the slice is used for
    // the length of one system call.
    unsafe { core::slice::from_raw_parts_mut(utcb(), MRS) }
}

pub(crate) fn utcb_address() -> Word {
    utcb() as Word
}

/// Thread control register `index` (`umol4_x2::tcr`: negative indices).
pub fn tcr(index: isize) -> Word {
    // SAFETY: the TCRs lie below MR0 in this thread's UTCB.
    unsafe { utcb().offset(index).read_volatile() }
}

pub fn set_tcr(index: isize, value: Word) {
    // SAFETY: as in tcr().
    unsafe { utcb().offset(index).write_volatile(value) }
}

impl ThreadId {
    /// The calling thread's global ID.
    pub fn myself() -> ThreadId {
        ThreadId(tcr(tcr::MY_GLOBAL_ID))
    }
    /// The calling thread's local ID (its UTCB's address).
    pub fn my_local() -> ThreadId {
        ThreadId(utcb_address())
    }
}

/// What a receive accepts besides untyped words (BR0): map and grant items
/// into a window of the address space, string items.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Acceptor(pub Word);

impl Acceptor {
    pub const UNTYPED_WORDS: Acceptor = Acceptor(0);
    pub const fn map_grant_items(window: Fpage) -> Acceptor {
        Acceptor(window.0 & acceptor::WINDOW_MASK)
    }
    /// Sets this thread's acceptor for its next receives.
    pub fn accept(self) {
        set_tcr(tcr::BR0, self.0);
    }
}

/// A map item: the sender's fpage, mapped to the receiver at the same
/// offset of its window from `send_base`.  Two words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MapItem(pub [Word; 2]);

const ITEM_MAP: Word = 4;

impl MapItem {
    pub const fn new(page: Fpage, send_base: Word) -> MapItem {
        MapItem([map_item::set_kind(send_base & map_item::SEND_BASE_MASK, ITEM_MAP), page.0])
    }
    pub const fn fpage(self) -> Fpage {
        Fpage(self.0[1])
    }
    /// The reply a pager sends for a fault at `address` when the faulting
    /// space runs its pager's own image: the pager's page there, with all
    /// rights, at the same address.
    pub fn load_same_page_reply(address: Word) {
        let base = address & !0xfff;
        let item = MapItem::new(Fpage::log2(base, 12).with_rights(Fpage::FULL), base);
        load_mrs(MsgTag::new(0, 0, 2), &item.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaded_words_follow_the_tag() {
        load_mrs(MsgTag::new(7, 2, 0), &[11, 22]);
        assert_eq!((MsgTag(mr(0)).label(), mr(1), mr(2)), (7, 11, 22));
    }

    #[test]
    fn a_same_page_reply_maps_the_faulting_page_to_itself() {
        MapItem::load_same_page_reply(0x40_1234);
        assert_eq!(MsgTag(mr(0)).typed(), 2);
        let item = MapItem([mr(1), mr(2)]);
        assert_eq!(item.0[0], 0x40_1000 | (ITEM_MAP << 1));
        assert_eq!((item.fpage().base(), item.fpage().size_log2(), item.fpage().rights()), (0x40_1000, 12, 7));
    }

    #[test]
    fn the_acceptor_lands_in_br0() {
        Acceptor::map_grant_items(Fpage::COMPLETE).accept();
        assert_eq!(tcr(tcr::BR0), 1 << 4);
    }
}
