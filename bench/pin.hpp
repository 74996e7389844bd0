// Pins the calling process (and what it forks after) to one CPU, for the
// baselines where taskset is not at hand (the benchmark VMs).
#pragma once

#include <sched.h>

inline void pin_to(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}
