// The Linux lower bound for IPC: a futex ping-pong between two processes
// sharing one page, round trips per second, like the L4 benchmark's call/reply.
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "pin.hpp"

namespace {

long futex(std::atomic<int>* addr, int op, int val)
{
    return syscall(SYS_futex, reinterpret_cast<int*>(addr), op, val, nullptr, nullptr, 0);
}

// Waits until *turn == me, then hands the turn over.
void wait_turn(std::atomic<int>* turn, int me)
{
    while (turn->load(std::memory_order_acquire) != me) futex(turn, FUTEX_WAIT, 1 - me);
}

void give_turn(std::atomic<int>* turn, int to)
{
    turn->store(to, std::memory_order_release);
    futex(turn, FUTEX_WAKE, 1);
}

}  // namespace

// futex_pingpong [ROUNDS [CPU]]: with CPU, both processes run on that CPU
// only (where taskset is not at hand: the benchmark VMs).
int main(int argc, char** argv)
{
    int rounds = argc > 1 ? std::atoi(argv[1]) : 20000;
    if (argc > 2) pin_to(std::atoi(argv[2]));
    void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    auto* turn = new (page) std::atomic<int>(0);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < rounds; ++i) {
            wait_turn(turn, 1);
            give_turn(turn, 0);
        }
        _exit(0);
    }
    auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
        give_turn(turn, 1);
        wait_turn(turn, 0);
    }
    auto end = std::chrono::steady_clock::now();
    waitpid(child, nullptr, 0);
    double us = std::chrono::duration<double, std::micro>(end - begin).count() / rounds;
    std::printf("futex ping-pong between two processes: %.3f us per round trip (%d rounds)\n", us, rounds);
    return 0;
}
