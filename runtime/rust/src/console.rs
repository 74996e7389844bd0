//! Console output: `print!` and `println!` through the kernel debugger's
//! PrintString, one trap per line as the C runtime's printf does (the line
//! is gathered on the caller's stack, so threads may print concurrently).
use core::fmt;

#[cfg(not(test))]
extern "C" {
    fn l4rt_write(s: *const u8, n: usize);
}

/// Writes `s` to the console as it is.
pub fn write_str(s: &str) {
    write_bytes(s.as_bytes())
}

fn write_bytes(b: &[u8]) {
    #[cfg(not(test))]
    // SAFETY: l4rt_write reads exactly `n` bytes from `s`.
    unsafe {
        l4rt_write(b.as_ptr(), b.len())
    }
    #[cfg(test)]
    let _ = b;
}

/// A line buffer: `fmt::Write` that hands whole lines to the console.
pub struct Console {
    buf: [u8; 128],
    used: usize,
}

impl Console {
    pub const fn new() -> Self {
        Console { buf: [0; 128], used: 0 }
    }

    /// Writes what is gathered so far.
    pub fn flush(&mut self) {
        if self.used > 0 {
            // (a long line is cut at a byte boundary: the console takes bytes)
            write_bytes(&self.buf[..self.used]);
            self.used = 0;
        }
    }
}

impl Default for Console {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            self.buf[self.used] = b;
            self.used += 1;
            if b == b'\n' || self.used == self.buf.len() {
                self.flush();
            }
        }
        Ok(())
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.flush();
    }
}

#[doc(hidden)]
pub fn _print(args: fmt::Arguments) {
    let mut c = Console::new();
    let _ = fmt::Write::write_fmt(&mut c, args);
}

/// Prints to the box's console.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::_print(format_args!($($arg)*)) };
}

/// Prints to the box's console, with a newline.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => { $crate::_print(format_args!("{}\n", format_args!($($arg)*))) };
}
