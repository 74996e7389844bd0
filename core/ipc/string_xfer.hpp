// The state of one message transfer with string items that had to stop for
// a page fault: where in the sender's items and the receiver's buffers it
// stands, and its transfer timeout.  Both threads stay locked in it.
#pragma once

#include <chrono>
#include <optional>

#include "core/syscall.hpp"

namespace umol4 {

class Thread;

struct String_xfer {
    Thread* sender = nullptr;
    Thread* receiver = nullptr;
    unsigned mr = 1;             // MR index of the current typed item
    unsigned last_mr = 0;        // MR index of the last typed word
    unsigned br = 1;             // BR index of the current buffer's first item
    bool buffer_left = true;     // a buffer remains for the next send string
    Word string_done = 0;        // bytes of the current send string copied
    Word total = 0;              // bytes of all strings copied (error offset)
    Word tag = 0;                // the sender's MR0
    Thread* faulting = nullptr;     // whose page-fault IPC the transfer waits for
    // Armed at the first fault: min of the sender's send-side and the
    // receiver's receive-side transfer timeouts.
    bool armed = false;
    std::optional<std::chrono::steady_clock::time_point> deadline{};
    bool receiver_earlier = false;  // the receiver's timeout is strictly earlier
    // Its fault was answered while another transfer was being resumed: it
    // goes on in the event loop's next round (Ipc_engine::resume_string_copies).
    bool resume = false;
};

}  // namespace umol4
