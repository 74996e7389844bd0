/* The suite's map server: a helper thread of this space that accepts one
   map item into a window named by the caller, so that cases map pages
   between addresses of their own space. */
#include "suite.h"

static L4_ThreadId_t root, server;

/* Loop: learn the next window (an untyped Call), accept map items there,
   take one map message, and answer it. */
static void map_server(L4_Word_t unused)
{
    (void)unused;
    for (;;) {
        L4_Word_t window;
        L4_Accept(L4_UntypedWordsAcceptor);
        L4_Receive(root);
        L4_StoreMR(1, &window);
        L4_Accept(L4_MapGrantItems(L4_FpageLog2(window, 12)));
        L4_LoadMR(0, 0);
        L4_Reply(root);
        L4_MsgTag_t tag = L4_Receive(root);
        L4_Word_t error = L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
        L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
        L4_LoadMR(1, error);
        L4_Reply(root);
    }
}

L4_Word_t suite_map_page(L4_Word_t from, L4_Word_t window, L4_Word_t rights)
{
    if (L4_IsNilThread(server)) {
        root = L4_Myself();
        server = suite_thread(map_server, 0);
    }
    L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
    L4_LoadMR(1, window);
    L4_Call(server);
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(from, 12), rights), 0);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
    L4_Call(server);
    L4_Word_t error;
    L4_StoreMR(1, &error);
    return error;
}
