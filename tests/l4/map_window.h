/* A helper thread of a test program that takes map items into windows of
   its own space: map_into_window names the window (an fpage the region's
   size) in one message, then sends the region as a map item in the next.
   map_window_root: the thread it serves (set before it starts). */
#ifndef TESTS_L4_MAP_WINDOW_H
#define TESTS_L4_MAP_WINDOW_H

#include <l4/l4.h>

static L4_ThreadId_t map_window_root;

static void map_window_receiver(void)
{
    for (;;) {
        L4_Word_t window;
        L4_Accept(L4_UntypedWordsAcceptor);
        L4_Receive(map_window_root);
        L4_StoreMR(1, &window);
        L4_Accept(L4_MapGrantItems((L4_Fpage_t){.raw = window}));
        L4_LoadMR(0, 0);
        L4_Reply(map_window_root);
        L4_Receive(map_window_root);
        L4_LoadMR(0, 0);
        L4_Reply(map_window_root);
    }
}

/* 0: `region` is mapped at `window`; else the sender's IPC error code. */
static L4_Word_t map_into_window(L4_ThreadId_t helper, L4_Fpage_t region, L4_Word_t window)
{
    L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
    L4_LoadMR(1, L4_FpageLog2(window, (int)L4_SizeLog2(region)).raw);
    L4_Call(helper);
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(region, L4_FullyAccessible), 0);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
    L4_MsgTag_t tag = L4_Call(helper);
    return L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
}

#endif
