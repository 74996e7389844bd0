// ping in C++: the same root task as ../c/ping.c, written with the SDK's
// C++ API (l4/l4.hpp: thread IDs, messages, fpages as values): a second
// thread asks the root thread to add numbers, then writes into pages nobody
// has mapped; the root thread is its pager.  No exceptions, RTTI or C++
// library: L4 programs are freestanding.
#include <l4/l4.hpp>
#include <l4rt/rt.h>

namespace {

constexpr l4::Word label_add = 0x100, label_done = 0x101;
constexpr unsigned lazy_pages = 4;

alignas(4096) char lazy[lazy_pages * 4096];
alignas(16) l4::Word worker_stack[1024];
l4::Thread_id root;

void worker()
{
    for (l4::Word i = 1; i <= 3; i++) {
        l4::Msg_tag tag = l4::call(root, l4::Msg(label_add).word(i).word(10 * i));
        l4::Msg reply = l4::Msg::store(tag);
        printf("worker: %lu + %lu = %lu%s\n", i, 10 * i, reply[0], tag.failed() ? " (IPC failed)" : "");
    }
    for (unsigned p = 0; p < lazy_pages; p++)
        lazy[p * 4096] = static_cast<char>('a' + p);  // a page fault each, to our pager
    l4::send(root, l4::Msg(label_done));
    for (;;)
        L4_Sleep(L4_Never);
}

// The next thread number and UTCB slot; this thread its scheduler and pager.
bool start_worker()
{
    void* kip = L4_GetKernelInterface();
    l4::Thread_id t = l4::Thread_id::global(root.number() + 1, 1);
    void* utcb = reinterpret_cast<char*>(L4_MyLocalId().raw) - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    if (!L4_ThreadControl(t.c(), root.c(), root.c(), root.c(), utcb)) return false;
    // The startup message: IP and SP.
    l4::send(t, l4::Msg().word(reinterpret_cast<l4::Word>(&worker)).word(reinterpret_cast<l4::Word>(&worker_stack[1024])));
    return true;
}

// The reply to a page fault at `address`: the page, touched the way the
// worker did (read, or read and written back), is ours from sigma0 now and
// goes to the worker at the same address (our own space).
l4::Msg page_fault_reply(l4::Word address, bool write)
{
    volatile char* p = reinterpret_cast<volatile char*>(address);
    char const v = *p;
    if (write) *p = v;
    l4::Word const page = address & ~l4::Word(0xFFF);
    return l4::Msg().map(l4::Fpage::log2(page, 12, L4_FullyAccessible), page);
}

}  // namespace

int main()
{
    root = l4::Thread_id::myself();
    printf("ping (C++): a root task with a second thread (%s)\n", L4_ARCH_NAME);
    if (!start_worker()) {
        printf("ping: ThreadControl failed with error %lu\n", L4_ErrorCode());
        return 1;
    }
    unsigned faults = 0;
    l4::Received in = l4::wait();
    for (;;) {
        if (in.tag.failed()) {
            printf("ping: IPC failed with error %lu\n", L4_ErrorCode());
            return 1;
        }
        l4::Msg const msg = l4::Msg::store(in.tag);
        l4::Word const label = in.tag.label();
        l4::Msg reply;
        if ((label >> 4) == (L4_PAGEFAULT_LABEL >> 4)) {  // a page fault: the access in the low bits
            reply = page_fault_reply(msg[0], label & 2);
            if (msg[0] - reinterpret_cast<l4::Word>(lazy) < sizeof lazy) faults++;  // (code and stack fault too)
        } else if (label == label_add) {
            reply.word(msg[0] + msg[1]);
        } else if (label == label_done) {
            break;
        } else {
            printf("ping: unexpected message, label %#lx\n", label);
            return 1;
        }
        in = l4::reply_wait(in.from, reply);
    }
    printf("ping: served %u page faults in the worker's lazy pages; it wrote \"%c%c%c%c\"\n", faults, lazy[0],
           lazy[4096], lazy[2 * 4096], lazy[3 * 4096]);
    return faults == lazy_pages ? 0 : 1;
}
