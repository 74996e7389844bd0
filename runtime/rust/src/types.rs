//! The X.2 value types: thread IDs, message tags, time values and flexpages,
//! with the bit layouts of the description (`umol4_x2::layout`).
use core::fmt;
use umol4_x2::layout::{fpage, msg_tag, time_period};

/// A machine word, as X.2 counts them.
pub type Word = usize;

/// A thread ID: global (thread number and version) or local (the thread's
/// UTCB address, low 6 bits zero).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct ThreadId(pub Word);

impl ThreadId {
    pub const NIL: ThreadId = ThreadId(0);
    pub const ANY: ThreadId = ThreadId(!0);
    pub const ANY_LOCAL: ThreadId = ThreadId(!0 << 6);
    /// Version bits of a global ID: 14 on 32-bit arches, 32 on 64-bit ones.
    pub const VERSION_BITS: u32 = if Word::BITS == 64 { 32 } else { 14 };

    pub const fn global(number: Word, version: Word) -> ThreadId {
        ThreadId((number << Self::VERSION_BITS) | (version & ((1 << Self::VERSION_BITS) - 1)))
    }
    pub const fn number(self) -> Word {
        self.0 >> Self::VERSION_BITS
    }
    pub const fn version(self) -> Word {
        self.0 & ((1 << Self::VERSION_BITS) - 1)
    }
    pub const fn is_nil(self) -> bool {
        self.0 == 0
    }
    pub const fn is_local(self) -> bool {
        self.0 != 0 && self.0 & 0x3f == 0
    }
    pub const fn is_global(self) -> bool {
        !self.is_nil() && !self.is_local()
    }
}

impl fmt::Display for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.is_global() {
            write!(f, "{}.{}", self.number(), self.version())
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

impl fmt::Debug for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "ThreadId({})", self)
    }
}

/// A message tag (MR0): label, untyped and typed word counts, flags.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[repr(transparent)]
pub struct MsgTag(pub Word);

impl MsgTag {
    pub const fn new(label: Word, untyped: Word, typed: Word) -> MsgTag {
        MsgTag(msg_tag::set_label(msg_tag::set_typed(msg_tag::set_untyped(0, untyped), typed), label))
    }
    pub const fn label(self) -> Word {
        msg_tag::label(self.0)
    }
    pub const fn untyped(self) -> Word {
        msg_tag::untyped(self.0)
    }
    pub const fn typed(self) -> Word {
        msg_tag::typed(self.0)
    }
    /// The error flag: the IPC failed (the reason is in ErrorCode).
    pub const fn failed(self) -> bool {
        msg_tag::error(self.0) != 0
    }
    pub const fn propagated(self) -> bool {
        msg_tag::propagated(self.0) != 0
    }
}

/// A time value of 16 bits: a period (mantissa << exponent microseconds),
/// zero, or never.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(transparent)]
pub struct Time(pub u16);

impl Time {
    pub const NEVER: Time = Time(0);
    pub const ZERO: Time = Time(1 << 10);

    /// The period of `micros` microseconds: the smallest exponent that
    /// fits, the mantissa rounded down; beyond the largest period, never.
    pub const fn period(micros: u64) -> Time {
        if micros == 0 {
            return Time::ZERO;
        }
        let (mut m, mut e) = (micros, 0);
        while m >= 1024 && e < 31 {
            m >>= 1;
            e += 1;
        }
        if m >= 1024 {
            return Time::NEVER;
        }
        Time(time_period::set_exponent(time_period::set_mantissa(0, m as Word), e) as u16)
    }
    pub const fn is_period(self) -> bool {
        time_period::point(self.0 as Word) == 0
    }
    /// A period's length; None for a point in time or never.
    pub const fn micros(self) -> Option<u64> {
        if !self.is_period() || self.0 == 0 {
            return None;
        }
        let w = self.0 as Word;
        Some((time_period::mantissa(w) as u64) << time_period::exponent(w))
    }
}

/// A flexpage: 2^size_log2 bytes at a base aligned to its size, with
/// access rights.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(transparent)]
pub struct Fpage(pub Word);

impl Fpage {
    pub const NIL: Fpage = Fpage(0);
    pub const COMPLETE: Fpage = Fpage(1 << 4);
    pub const READ: Word = 4;
    pub const WRITE: Word = 2;
    pub const EXECUTE: Word = 1;
    pub const FULL: Word = 7;

    /// The fpage of 2^size_log2 bytes holding `base` (the base is aligned
    /// down to the size).
    pub const fn log2(base: Word, size_log2: u32) -> Fpage {
        let aligned = base & !((1usize << size_log2) - 1);
        Fpage((aligned & fpage::BASE_MASK) | fpage::set_size_log2(0, size_log2 as Word))
    }
    /// sigma0's "any free page of 2^size_log2 bytes": every base bit set.
    pub const fn any(size_log2: u32) -> Fpage {
        Fpage(fpage::set_size_log2(fpage::BASE_MASK, size_log2 as Word))
    }
    pub const fn with_rights(self, rights: Word) -> Fpage {
        Fpage(fpage::set_rights(self.0, rights))
    }
    pub const fn base(self) -> Word {
        self.0 & fpage::BASE_MASK
    }
    pub const fn size_log2(self) -> u32 {
        fpage::size_log2(self.0) as u32
    }
    pub const fn rights(self) -> Word {
        fpage::rights(self.0)
    }
    pub const fn is_nil(self) -> bool {
        self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_split_into_number_and_version() {
        let t = ThreadId::global(0x123, 5);
        assert_eq!((t.number(), t.version()), (0x123, 5));
        assert!(t.is_global() && !t.is_local());
        assert!(ThreadId(0x1000).is_local());
        assert!(ThreadId::NIL.is_nil() && !ThreadId::NIL.is_global());
    }

    #[test]
    fn message_tags_carry_label_and_counts() {
        let t = MsgTag::new(0x100, 2, 4);
        assert_eq!(t.0, (0x100 << 16) | (4 << 6) | 2);
        assert_eq!((t.label(), t.untyped(), t.typed()), (0x100, 2, 4));
        assert!(!t.failed());
        assert!(MsgTag(1 << 15).failed());
    }

    #[test]
    fn periods_take_the_smallest_exponent_that_fits() {
        assert_eq!(Time::period(0), Time::ZERO);
        assert_eq!(Time::period(1000).0, 1000);
        assert_eq!(Time::period(1024).0, (1 << 10) | 512);
        assert_eq!(Time::period(1024).micros(), Some(1024));
        assert_eq!(Time::period(3_000_000).micros(), Some(2_998_272));
        assert_eq!(Time::NEVER.micros(), None);
    }

    #[test]
    fn fpages_align_their_base_and_keep_rights() {
        let f = Fpage::log2(0x12345, 12).with_rights(Fpage::FULL);
        assert_eq!((f.base(), f.size_log2(), f.rights()), (0x12000, 12, 7));
        assert_eq!(Fpage::COMPLETE.size_log2(), 1);
        assert_eq!(Fpage::any(12).base(), !0usize << 10);
    }
}
