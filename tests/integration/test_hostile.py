"""Integration tests of hostile L4 code (issue N's findings): each boots an
L4 program that does what an attacker did and checks that the core keeps
its ground: no crash, no hang, no reach into Linux or another box.

Environment as for test_umol4."""
import os
import re
import resource
import signal
import subprocess
import unittest

from test_umol4 import ARCH, UMOL4, Box, children_of, l4, only_for, spinning_box


class BadArgumentsGetTheL4Error(Box):
    def test_space_control_areas_that_fit_no_address_space_are_refused(self):
        """Finding 5: an area of half the address space at its upper half
        was accepted (base + size wraps)."""
        p = self.run_box("run", "--timeout", "600", l4("sigma0"), l4("test-space_areas"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("refused with ErrorCode 6 6 7 7; areas that fit: accepted", p.stdout)


@only_for("x86_64", "ia32")
class RegistersTheCpuAllowsButLinuxRefuses(Box):
    def run_program(self, name):
        p = self.run_box("run", "--timeout", "600", l4("sigma0"), l4(name))
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_segment_values_held_across_a_system_call(self):
        """Findings 1 and 2: a kernel-half fs base (amd64), a null fs
        selector with RPL 1: the whole register set written back was
        refused and the box ended."""
        out = self.run_program("test-segment_values")
        if ARCH == "x86_64":
            self.assertIn("a kernel-half fs base across a system call: kept", out)
        self.assertIn("a null fs selector with RPL 1 across a system call: returned", out)

    def test_a_thread_in_the_other_mode_faults_spins_and_is_deleted(self):
        """Findings 3 and 4: after a far jump to the other mode the
        registers could not be read, or were read in the other layout."""
        out = self.run_program("test-mode_switch")
        self.assertIn("exception at ip", out)
        self.assertIn("it spun in the other mode and was deleted", out)

    def test_a_misaligned_access_with_alignment_checking_is_an_alignment_exception(self):
        """Finding 17: the AC flag and a misaligned load went to the pager
        as a page fault at address 0."""
        out = self.run_program("test-alignment_check")
        self.assertIn("alignment: exception 17 at the misaligned load", out)
        self.assertIn("the thread went on past the load", out)


class LinuxPagesAreOutOfReach(Box):
    def test_a_task_process_holds_no_page_of_linux(self):
        """Finding 8: L4 threads read and wrote the stub's stack (with the
        auxiliary vector: the host's uid, gid, AT_RANDOM), read vvar and
        called into the vdso.  A task process now holds the MemFile's
        pages and the stub's code, read-only; beside them only the
        vsyscall page, which no process can unmap (its calls trap:
        LinuxStaysOutOfReach.test_calling_the_vsyscall_page_is_refused)."""
        with spinning_box() as tasks:
            for pid in tasks:
                with open(f"/proc/{pid}/maps") as f:
                    lines = f.read().splitlines()
                for line in lines:
                    fields = line.split()
                    name = fields[5] if len(fields) > 5 else ""
                    if "umol4-physical-memory" in name or name == "[vsyscall]":
                        continue
                    self.assertIn("umol4-task-stub", name, line)
                    self.assertNotIn("w", fields[1], line)


class SigmaZeroServesAllOfMemory(Box):
    def test_two_threads_taking_pages_in_turn_get_every_free_page(self):
        """Finding 16: sigma0's table of 4096 regions filled after 4087
        pages taken in turn, and it then refused every split in the box."""
        p = self.run_box("run", "--timeout", "600", l4("sigma0"), l4("test-sigma0_alternating"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        free = re.search(r"sigma0: (\d+) KiB conventional memory", p.stdout)
        taken = re.search(r"alternating: (\d+) \+ (\d+) pages \((\d+) KiB\) taken in turn", p.stdout)
        self.assertTrue(free and taken, p.stdout)
        self.assertEqual(taken.group(3), free.group(1), p.stdout)
        self.assertGreater(int(taken.group(2)), 16000, p.stdout)


class NoSystemCallHoldsTheCore(Box):
    def test_threads_run_while_one_unmap_withdraws_two_hundred_thousand_mappings(self):
        """Finding 10: one Unmap of 64 whole-space fpages over two million
        mappings held the core for 8 s: no timeout, slice or signal."""
        p = self.run_box("run", l4("sigma0"), l4("test-unmap_preemption"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        m = re.search(r"(\d+) mappings flushed in one call; a thread of higher priority woke (\d+) times", p.stdout)
        self.assertTrue(m, p.stdout + p.stderr)
        self.assertEqual(int(m.group(1)), 196608)
        # A call that held the core would let it wake once at most (when
        # the call had ended).
        self.assertGreaterEqual(int(m.group(2)), 2, p.stdout)
        self.assertIn("mapping again: done", p.stdout)


class MappingsHoldNoMoreCoreMemoryThanTheBoxAllows(Box):
    def test_mappings_scattered_two_mib_apart_are_refused_at_the_memory_limit(self):
        """Finding 11: a page mapped at every 2 MiB stride cost 4.2 KiB of
        core memory per mapping (a page-table level each) while the limit
        counted only mappings: the core was OOM-killed at 4 GiB."""
        p = self.run_box("run", "-m", "16M", "--mapping-memory", "1M", l4("sigma0"), l4("test-scattered_mappings"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        m = re.search(r"scattered mappings: (\d+) mapped 2 MiB apart \(0 wrong\), then error 0x8", p.stdout)
        self.assertTrue(m, p.stdout + p.stderr)
        # Each costs a 4 KiB table level and a node: at most 1 MiB / 4 KiB
        # of them fit (less what the box's other mappings hold).
        self.assertLessEqual(int(m.group(1)), 256, p.stdout)
        self.assertGreater(int(m.group(1)), 100, p.stdout)
        self.assertIn("its limit: map item refused", p.stderr)
        self.assertIn("after unmap, mapping again: done", p.stdout)

    def test_a_mapping_memory_limit_that_is_not_a_size_or_too_small_is_bad_input(self):
        for value in ("lots", "512K", "99999999999999999G"):
            line = self.refused("--mapping-memory", value, l4("sigma0"), l4("hello"), mention="--mapping-memory")
            self.assertIn(value, line)


class NoKernelPathRecursesWithWhatL4CodeBuilds(Box):
    """Finding 12: a chain of queued callers cost core stack per caller."""

    def test_a_chain_of_queued_senders_is_delivered_by_a_core_with_a_small_stack(self):
        # The core's stack limited to 48 KiB: its paths need less than 32,
        # and a recursion over the chain's 250 links overflowed 48 (kernel
        # unit test: Ipc.AChainOfQueuedSendersIsDeliveredWithoutAStackFrameALink).
        def small_stack():
            _, hard = resource.getrlimit(resource.RLIMIT_STACK)
            resource.setrlimit(resource.RLIMIT_STACK, (48 << 10, hard))

        p = subprocess.run([UMOL4, "run", "--timeout", "600", l4("sigma0"), l4("test-ipc_chain")],
                           capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
                           preexec_fn=small_stack)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("ipc chain: 250 of 250 messages delivered along the chain", p.stdout)

    def test_two_threads_that_page_each_other_fault_in_turn_until_their_timeouts(self):
        """Each one's string fault answered by the other's: the core
        recursed once per round and crashed."""
        p = self.run_box("run", "--timeout", "600", l4("sigma0"), l4("test-string_fault_pingpong"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"string faults: this thread ran on meanwhile \(\d+ sleeps\); "
                                   r"A ended with error 0x[bd], B with 0x[bd]")
        # 0xb or 0xd: a transfer timeout in the receive phase, during a
        # fault of its own or of its partner (whichever was pending).


class TheCoreNeverBlocksOnInput(Box):
    """Finding 9: ReadChar_Blocked with standard input open but empty."""

    def waiting_box(self, *options):
        """A box whose root thread waits for console input on a pipe that
        stays open and empty, while its second thread spins; returns the
        process once the spinner has said it counts."""
        box = subprocess.Popen([UMOL4, "run", *options, l4("sigma0"), l4("test-console_wait")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (box.kill(), box.wait(), box.stdin.close(), box.stdout.close(), box.stderr.close()))
        lines = []
        for line in box.stdout:  # ends with the box if it never gets there
            lines.append(line)
            if "the spinner counts" in line:
                return box
        self.fail("the spinner never counted while input was awaited: " + "".join(lines))

    def test_other_threads_run_while_one_waits_and_it_gets_what_comes(self):
        box = self.waiting_box("--timeout", "600")
        box.stdin.write("x\n")
        box.stdin.flush()
        rest = box.stdout.read()
        self.assertEqual(box.wait(timeout=600), 0, rest + box.stderr.read())
        self.assertIn("read 'x' after the spinner counted on", rest)

    def test_the_timeout_ends_a_box_that_waits_for_input(self):
        box = self.waiting_box("--timeout", "3", "--cpus", "2")
        self.assertEqual(box.wait(timeout=600), 4)  # the pipe is still open and empty

    def test_a_signal_ends_a_box_that_waits_for_input(self):
        box = self.waiting_box("--timeout", "600")
        box.send_signal(signal.SIGTERM)
        self.assertEqual(box.wait(timeout=600), 130)



class RefusedCallsLeaveNothingBehind(Box):
    """Finding 13: a SpaceControl/ThreadControl refused for want of host
    resources left a forked, stopped task process behind."""

    def filled_box(self, *options):
        """A box of space_exhaustion.c that has filled itself with spaces
        (ErrorCode 8), deleted them and filled itself again; the process
        and how many spaces it holds."""
        box = subprocess.Popen([UMOL4, "run", "--timeout", "600", *options, l4("sigma0"), l4("test-space_exhaustion")],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: (box.kill(), box.wait(), box.stdout.close()))
        spaces = None
        for line in box.stdout:
            if m := re.search(r"(\d+) spaces, then ErrorCode (\d+)", line):
                spaces = int(m.group(1))
                self.assertEqual(m.group(2), "8", "out of memory")
            if "as many again" in line:
                return box, spaces
        self.fail("the box ended before it had filled itself again")

    def test_a_refused_space_leaves_no_task_process(self):
        box, spaces = self.filled_box()
        # sigma0's and the root task's processes and one per space: none of
        # the five refused calls left one.
        self.assertEqual(len(children_of(box.pid)), 2 + spaces)
        box.kill()
        box.wait()

    def test_a_box_at_its_own_process_limit_refuses_and_the_box_beside_it_runs(self):
        """Finding 14: two boxes in one 1500-pid cgroup, and the one that
        leaked made the other exit 71 at its start.  Every box has its own
        limit (--max-threads: Linux threads and processes together); L4
        code that reaches it gets ErrorCode 8 and its box goes on, and a
        box beside it is not touched."""
        box, spaces = self.filled_box("--max-threads", "64")
        linux_threads = sum(len(os.listdir(f"/proc/{pid}/task")) for pid in children_of(box.pid))
        self.assertLessEqual(linux_threads, 64)
        self.assertGreater(spaces, 50)
        # Beside the full box, another one boots and ends as always.
        p = self.run_box("run", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("l4rt: main returned 0", p.stdout)
        box.kill()
        box.wait()

    def test_a_deleted_space_gives_back_its_utcb_frames(self):
        """Finding 15: more spaces created, activated and deleted than the
        kernel has UTCB frames."""
        p = self.run_box("run", "--timeout", "600", l4("sigma0"), l4("test-space_cycles"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("5000 spaces created, activated and deleted", p.stdout)


if __name__ == "__main__":
    unittest.main()
