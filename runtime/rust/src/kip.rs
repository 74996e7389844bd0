//! The kernel interface page (KIP): the fields programs read to find
//! sigma0, their thread numbers and the size of a UTCB.
use crate::types::Word;
use umol4_x2::kip as word;

/// This space's KIP, as the start code found it.
#[derive(Clone, Copy, Debug)]
pub struct Kip(*const Word);

#[cfg(not(test))]
extern "C" {
    static l4rt_kip: *const Word;
}

impl Kip {
    #[cfg(not(test))]
    pub fn get() -> Kip {
        // SAFETY: set by the start code before main, never changed.
        Kip(unsafe { l4rt_kip })
    }

    /// A KIP at `address`.
    ///
    /// # Safety
    /// `address` must point at a kernel interface page for as long as the
    /// value is used.
    pub const unsafe fn at(address: *const Word) -> Kip {
        Kip(address)
    }

    /// KIP word `index` (`umol4_x2::kip`).
    pub fn word(self, index: usize) -> Word {
        // SAFETY: a Kip points at a KIP (see `at`); every index the
        // interface names lies in its first page.
        unsafe { self.0.add(index).read() }
    }

    pub fn is_valid(self) -> bool {
        // SAFETY: as in word().
        let magic = unsafe { core::slice::from_raw_parts(self.0 as *const u8, 4) };
        magic == b"L4\xe6K"
    }

    /// The first thread number of user threads (ThreadInfo's UserBase).
    pub fn thread_user_base(self) -> Word {
        (self.word(word::THREAD_INFO) >> 20) & 0xfff
    }

    /// Bytes of one UTCB: m << a (UtcbAreaInfo).
    pub fn utcb_size(self) -> Word {
        let info = self.word(word::UTCB_AREA_INFO);
        (info & 0x3ff) << ((info >> 10) & 0x3f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_from_their_bits() {
        let mut page = [0 as Word; 64];
        page[word::THREAD_INFO] = (0x10 << 20) | (0x2 << 8) | 18;
        page[word::UTCB_AREA_INFO] = (12 << 16) | (10 << 10) | 1;
        let kip = unsafe { Kip::at(page.as_ptr()) };
        assert_eq!((kip.thread_user_base(), kip.utcb_size()), (0x10, 1024));
    }
}
