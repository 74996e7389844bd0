/* The whole X.2 API for L4 programs. */
#ifndef L4_L4_H
#define L4_L4_H

#include "l4/types.h"
#include "l4/message.h"
#include "l4/ipc.h"
#include "l4/thread.h"
#include "l4/schedule.h"
#include "l4/space.h"
#include "l4/misc.h"
#include "l4/kip.h"
#include "l4/kdebug.h"
#include "l4/sigma0.h"
#include "l4/bootinfo.h"
#include "l4/pagefault.h"
#include "l4/arch.h"

#endif
