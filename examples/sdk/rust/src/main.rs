//! ping in Rust: an L4 root task of one's own, built against the installed
//! UMOL4 SDK (docs/getting-started.md).  A second thread asks the root
//! thread to add numbers (IPC: call and reply), then writes into pages
//! nobody has mapped yet: its page faults come to the root thread, which
//! is its pager and maps them.
#![no_std]
#![no_main]

extern crate umol4_rt as l4;

use core::cell::UnsafeCell;
use l4::{ipc, label, load_mrs, mr, thread, Kip, MapItem, MsgTag, ThreadId};

const LABEL_ADD: usize = 0x100;
const LABEL_DONE: usize = 0x101;
const LAZY_PAGES: usize = 4;

/// Memory the two threads share; the kernel and the pager order their
/// accesses (IPC), which the compiler cannot see.
#[repr(C, align(4096))]
struct Shared<const N: usize>(UnsafeCell<[u8; N]>);
// SAFETY: accesses are ordered by IPC (see above).
unsafe impl<const N: usize> Sync for Shared<N> {}

static LAZY: Shared<{ LAZY_PAGES * 4096 }> = Shared(UnsafeCell::new([0; LAZY_PAGES * 4096]));
static STACK: Shared<16384> = Shared(UnsafeCell::new([0; 16384]));

fn lazy() -> *mut u8 {
    LAZY.0.get() as *mut u8
}

extern "C" fn worker() -> ! {
    let root = ThreadId::global(ThreadId::myself().number() - 1, 1);
    for i in 1..=3 {
        load_mrs(MsgTag::new(LABEL_ADD, 2, 0), &[i, 10 * i]);
        match ipc::call(root) {
            Ok(_) => l4::println!("worker: {} + {} = {}", i, 10 * i, mr(1)),
            Err(e) => l4::println!("worker: {} + {}: IPC failed: {}", i, 10 * i, e),
        }
    }
    for p in 0..LAZY_PAGES {
        // A page fault each, to our pager.
        unsafe { lazy().add(p * 4096).write_volatile(b'a' + p as u8) };
    }
    load_mrs(MsgTag::new(LABEL_DONE, 0, 0), &[]);
    let _ = ipc::send(root);
    loop {
        ipc::sleep(l4::Time::NEVER);
    }
}

/// The worker: the next thread number, the next UTCB slot, this thread its
/// scheduler and pager, started by a startup message (IP, SP).
fn start_worker(root: ThreadId) -> Result<ThreadId, l4::Error> {
    let t = ThreadId::global(root.number() + 1, 1);
    let utcb = ThreadId::my_local().0 - l4::arch::MR0_OFFSET + Kip::get().utcb_size();
    thread::thread_control(t, root, root, root, utcb)?;
    // SAFETY: STACK is the worker's alone.
    unsafe {
        let top = (STACK.0.get() as *mut u8).add(16384);
        thread::start(t, worker, top).expect("the worker's startup message");
    }
    Ok(t)
}

fn main() -> i32 {
    let root = ThreadId::myself();
    l4::println!("ping (Rust): a root task with a second thread ({})", l4::arch::NAME);
    // Memory of our own from sigma0: any free page, mapped where it lies.
    match l4::sigma0::any_page(12) {
        Some(page) => {
            let word = page.base() as *mut usize;
            unsafe { word.write_volatile(0x5a5a) };
            l4::println!("ping: sigma0 gave us a page of {} bytes", 1usize << page.size_log2());
        }
        None => {
            l4::println!("ping: sigma0 refused a page");
            return 1;
        }
    }
    if let Err(e) = start_worker(root) {
        l4::println!("ping: ThreadControl failed: {}", e);
        return 1;
    }
    let mut faults = 0;
    let mut got = ipc::wait();
    loop {
        let msg = match got {
            Ok(msg) => msg,
            Err(e) => {
                l4::println!("ping: IPC failed: {}", e);
                return 1;
            }
        };
        let tag = msg.tag.label();
        if label::is(tag, label::PAGE_FAULT) {
            let address = mr(1);
            // Touched the way the worker did (read, or read and write the
            // same value back): the page is ours from sigma0 now, and the
            // reply maps it to the worker, our space too.
            let p = address as *mut u8;
            unsafe {
                let v = p.read_volatile();
                if tag & 2 != 0 {
                    p.write_volatile(v);
                }
            }
            MapItem::load_same_page_reply(address);
            if address.wrapping_sub(lazy() as usize) < LAZY_PAGES * 4096 {
                faults += 1; // (the worker's code and stack may fault too)
            }
        } else if tag == LABEL_ADD {
            let sum = mr(1) + mr(2);
            load_mrs(MsgTag::new(0, 1, 0), &[sum]);
        } else if tag == LABEL_DONE {
            break;
        } else {
            l4::println!("ping: unexpected message, label {:#x}", tag);
            return 1;
        }
        got = ipc::reply_wait(msg.from);
    }
    let w = |p: usize| unsafe { lazy().add(p * 4096).read_volatile() as char };
    l4::println!(
        "ping: served {} page faults in the worker's lazy pages; it wrote \"{}{}{}{}\"",
        faults,
        w(0),
        w(1),
        w(2),
        w(3)
    );
    if faults == LAZY_PAGES {
        0
    } else {
        1
    }
}

l4::entry!(main);
