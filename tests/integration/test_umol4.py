"""Integration tests of the umol4 command: boots real L4 programs and checks
console output, exit codes, refusals and that no process is left behind.

Environment: UMOL4 (the command), UMOL4_L4_DIR (the built L4 programs),
UMOL4_ARCH (their arch)."""
import contextlib
import ctypes
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import unittest

UMOL4 = os.environ.get("UMOL4", "umol4")
L4 = os.environ.get("UMOL4_L4_DIR", ".")
ARCH = os.environ.get("UMOL4_ARCH", "x86_64")


def only_for(*arches):
    """A test (or a class of them) that exists only for these arches: where
    its programs or its facts do not exist it is no test, not a skipped one
    (ctest counts a skip as a failure elsewhere, and this run should not
    report one either)."""
    return lambda test: test if ARCH in arches else None
PR_SET_CHILD_SUBREAPER = 36


def arm_copy_of_hello(directory):
    """hello with its ELF machine changed to EM_ARM, in `directory`."""
    path = os.path.join(directory, "arm-hello")
    shutil.copy(l4("hello"), path)
    with open(path, "r+b") as f:
        f.seek(18)
        f.write((40).to_bytes(2, "little"))
    return path


def l4(name):
    return os.path.join(L4, name)


def live_children():
    """Processes whose parent is this test process and that still run.
    Task processes of a box that died are re-parented here (subreaper)."""
    me = os.getpid()
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
        except OSError:
            continue
        if status.get("PPid") == str(me) and not status.get("State", "").startswith("Z"):
            found.append((int(pid), status.get("Name")))
    return found


def children_of(parent):
    """Processes whose parent is `parent` (the task processes of a box)."""
    kids = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ")[1].split()[1] == str(parent):
                    kids.append(int(pid))
        except (OSError, IndexError):
            pass
    return kids


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


@contextlib.contextmanager
def spinning_box():
    """A box whose root task spins; yields the pids of its two task processes."""
    box = subprocess.Popen([UMOL4, "run", "--timeout", "300", l4("sigma0"), l4("test-spin")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        tasks = []
        deadline = time.time() + 120
        while len(tasks) < 2 and time.time() < deadline:
            tasks = children_of(box.pid)
            time.sleep(0.05)
        assert len(tasks) == 2, "sigma0 and the root task"
        yield tasks
    finally:
        box.kill()
        box.wait()


class Box(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def tearDown(self):
        deadline = time.time() + 60
        while live_children() and time.time() < deadline:
            reap()
            time.sleep(0.02)
        self.assertEqual(live_children(), [], "processes left behind")
        reap()

    def run_with_input(self, text, program, *options):
        """Runs sigma0 + program with `text` as the console input."""
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(text)
            f.flush()
            return self.run_box("run", *options, "--console-input", f.name, l4("sigma0"), l4(program), timeout=600)

    # The timeouts in these tests only keep a hang from stalling the run:
    # they are minutes, never what a check depends on (a loaded host may
    # run a box many times slower than a quiet one).
    def run_box(self, *args, timeout=600, stdin=subprocess.DEVNULL):
        start = time.monotonic()
        p = subprocess.run([UMOL4, *args], capture_output=True, text=True, timeout=timeout, stdin=stdin)
        p.seconds = time.monotonic() - start
        return p

    def refused(self, *args, mention):
        """umol4 run ARGS exits 2 with one line on stderr that mentions `mention`."""
        p = self.run_box("run", *args)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stdout, "")
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(mention, lines[0])
        return lines[0]


class BootsTheDefaultBox(Box):
    def test_hello_runs_to_its_end(self):
        p = self.run_box("run", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("sigma0: ", p.stdout)
        self.assertIn(f"hello from an L4 program ({ARCH}", p.stdout)
        self.assertIn("touched 16 pages of memory (checksum 120)", p.stdout)
        self.assertIn("sigma0 gave me the page at", p.stdout)
        self.assertIn("it holds 0x4c34", p.stdout)
        self.assertIn("l4rt: main returned 0", p.stdout)
        self.assertEqual(p.stderr, "")

    def test_verbose_run_reports_how_the_box_ended(self):
        p = self.run_box("run", "-v", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stderr, r"box stopped after [0-9.]+ ms: every thread waits forever")

    def test_help_and_version(self):
        self.assertEqual(self.run_box("--help").returncode, 0)
        v = self.run_box("--version")
        self.assertEqual(v.returncode, 0)
        self.assertTrue(v.stdout.startswith("umol4 "))


class TakesTheOptionsQemuUsersKnow(Box):
    """-m in MiB, -smp, --name, -q: what a QEMU user types first."""

    def sigma0_memory(self, *options):
        p = self.run_box("run", *options, l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 0, p.stderr)
        return re.search(r"sigma0: (\d+) KiB conventional memory", p.stdout).group(1)

    def test_a_memory_size_without_a_unit_is_mebibytes(self):
        self.assertEqual(self.sigma0_memory("-m", "16"), self.sigma0_memory("-m", "16M"))
        self.assertEqual(self.sigma0_memory("--memory", "1024"), self.sigma0_memory("-m", "1G"))
        self.assertNotEqual(self.sigma0_memory("-m", "16"), self.sigma0_memory("-m", "32"))

    def test_the_default_box_runs_in_the_smallest_memory_the_help_names(self):
        p = self.run_box("run", "-m", "4M", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("l4rt: main returned 0", p.stdout)

    def test_smp_is_the_number_of_virtual_cpus(self):
        for option in ("-smp", "--smp", "--cpus"):
            p = self.run_box("run", option, "3", l4("sigma0"), l4("hello"))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertRegex(p.stdout, r"kernel: .*, 3 processor\(s\)")

    def test_quiet_leaves_only_errors(self):
        p = self.run_box("run", "-q", "--timeout", "0.5", l4("sigma0"), l4("test-spin"))
        self.assertEqual(p.returncode, 4)
        self.assertEqual(p.stderr, "")
        p = self.run_box("run", "-q", l4("sigma0"), l4("test-wild_fault"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("error", p.stderr)
        self.assertEqual(self.run_box("run", "-q", "-v", l4("sigma0"), l4("hello")).returncode, 2)

    def test_a_named_box_names_its_log_lines_and_its_processes(self):
        p = self.run_box("run", "-v", "--name", "boxA", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, r"(?m)^umol4\[boxA\]: info: box stopped after")
        # The spinner never ends: the box lives until the names are read
        # (or, were they never right, until its timeout).
        box = subprocess.Popen([UMOL4, "run", "--timeout", "60", "--name", "boxA", l4("sigma0"), l4("test-spin")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        children, names = [], set()
        try:
            # Until both task processes (sigma0's, the root task's) are named.
            while box.poll() is None and (len(children) < 2 or names != {"boxA-task"}):
                with contextlib.suppress(OSError):
                    with open(f"/proc/{box.pid}/task/{box.pid}/children") as f:
                        children = f.read().split()
                    names = set()
                    for child in children:
                        with contextlib.suppress(OSError), open(f"/proc/{child}/comm") as f:
                            names.add(f.read().strip())
            with open(f"/proc/{box.pid}/comm") as f:
                core = f.read().strip()
        finally:
            box.terminate()
            box.communicate()
        self.assertEqual(core, "boxA")
        self.assertEqual(names, {"boxA-task"})
        for bad in ("", "two words", "x" * 65):
            p = self.run_box("run", "--name", bad, l4("sigma0"), l4("hello"))
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("--name: 1 to 64 printable characters", p.stderr)
            self.assertEqual(p.stdout, "")

    def test_the_help_lists_the_exit_codes(self):
        p = self.run_box("run", "--help")
        self.assertRegex(p.stdout, r"Exit codes: 0 the box ran to its end; 1 a thread stopped")


@only_for("x86_64", "ia32")
class LinuxStaysOutOfReach(Box):
    def refused(self, program):
        p = self.run_box("run", l4("sigma0"), l4(program))
        self.assertNotIn("ESCAPED", p.stdout + p.stderr)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("stopped", p.stderr)
        return p

    @only_for("x86_64")
    def test_syscall_instruction_is_refused(self):
        p = self.refused("test-escape_syscall")
        self.assertIn("outside the KIP stubs", p.stderr)

    def test_int80_is_refused(self):
        self.refused("test-escape_int80")

    def test_sysenter_is_refused(self):
        self.refused("test-escape_sysenter")

    @only_for("x86_64")
    def test_jumping_into_the_injection_gate_is_refused(self):
        p = self.refused("test-escape_gate")
        self.assertIn("outside the KIP stubs", p.stderr)

    @only_for("x86_64")
    def test_calling_the_vsyscall_page_is_refused(self):
        # Linux runs these entries without a system-call stop: a seccomp
        # filter in every task process turns them into a fault at the entry
        # (finding 7 of issue N).
        for entry, address in (("0", "0xffffffffff600000"), ("1", "0xffffffffff600400"), ("2", "0xffffffffff600800")):
            with self.subTest(entry=address):
                with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
                    f.write(entry)
                    f.flush()
                    p = self.run_box("run", "--console-input", f.name, l4("sigma0"), l4("test-escape_vsyscall"))
                self.assertNotIn("ESCAPED", p.stdout + p.stderr)
                self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
                # A fetch fault at the entry, as at any other kernel-half
                # address: the pager hears of it and refuses.
                self.assertIn(f"page fault --x at {address} (ip {address})", p.stdout)
                self.assertIn(f"never resolved the page fault at {address}", p.stderr)

    def test_jumping_into_the_signal_path_makes_no_linux_call(self):
        # The task stub's handler code (--trap signal): its system-call
        # instructions with a Linux write, its futex with other words; an
        # ia32 thread in 64-bit mode, and through the ia32 stub's 64-bit gate.
        n = 7 if ARCH == "x86_64" else 8
        p = self.refused("test-escape_signal_path")
        self.assertIn(f"escape_signal_path: {n} of {n} attempts refused", p.stdout)
        self.assertEqual(p.stderr.count("outside the KIP stubs"), n, p.stderr)

    @only_for("x86_64")
    def test_a_forged_signal_frame_costs_only_its_own_space(self):
        # Every signal masked and no alternate stack, given to rt_sigreturn:
        # the core still takes the CPU back, and at most that space is lost.
        p = self.run_box("run", "--timeout", "300", l4("sigma0"), l4("test-escape_forged_frame"))
        self.assertNotIn("ESCAPED", p.stdout + p.stderr)
        self.assertIn("escape_forged_frame: the root task still runs", p.stdout)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)  # its thread stopped for good

    @only_for("x86_64")
    def test_a_thread_writing_over_a_siblings_slot_and_frame_costs_only_its_own_space(self):
        # Random words over the slot and frame of a thread that calls the
        # kernel without end, from its own space: on one vCPU and on two
        # (the writer truly beside the core's reads and writes).
        for cpus in ("1", "2"):
            with self.subTest(cpus=cpus):
                p = self.run_box("run", "--timeout", "300", "--cpus", cpus, l4("sigma0"), l4("test-escape_frame_race"))
                self.assertIn("escape_frame_race: the root task still runs", p.stdout, p.stderr)
                # 1: that space's threads stopped (under ptrace the writer's
                # first word faults); 0: the race ended in nothing by the
                # time the root task woke up.  Both leave the core standing.
                self.assertIn(p.returncode, (0, 1), p.stdout + p.stderr)
                self.assertNotIn("internal error", p.stderr)

    def test_random_jumps_into_the_task_stub_with_random_registers_reach_nothing(self):
        # 150 rounds a seed: a thread of a fresh space jumps to a random byte
        # of the gates or the signal path's code with every register random
        # (an ia32 thread into 64-bit code in 32-bit mode, or through the
        # 64-bit gate); the core stands and checks its invariants after
        # every event, on one vCPU and on two.
        for seed, cpus in (("1", "1"), ("2", "2"), ("3", "1")):
            with self.subTest(seed=seed, cpus=cpus):
                with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
                    f.write(seed + "\n")
                    f.flush()
                    p = self.run_box("run", "--timeout", "300", "--cpus", cpus, "--check-invariants",
                                     "--console-input", f.name, l4("sigma0"), l4("test-escape_signal_storm"))
                self.assertIn(f"signal storm: 150 rounds (seed {seed})", p.stdout, p.stderr[-3000:])
                self.assertIn(p.returncode, (0, 1), p.stderr[-3000:])  # 1: jumps stopped on faults
                for bad in ("internal error", "ESCAPED", "AddressSanitizer", "runtime error"):
                    self.assertNotIn(bad, p.stdout + p.stderr)

    def test_the_kip_host_pages_stub_and_ungiven_memory_are_out_of_reach(self):
        p = self.refused("test-escape_memory")
        self.assertIn("escape_memory: 6 of 6 attempts refused", p.stdout)
        self.assertIn("in the KIP or UTCB area", p.stderr)
        self.assertEqual(p.stderr.count("reserved for the host"), 4, p.stderr)

    def test_task_processes_hold_only_the_memfile(self):
        with spinning_box() as tasks:
            for pid in tasks:
                fds = os.listdir(f"/proc/{pid}/fd")
                self.assertEqual(fds, ["3"], f"task {pid}")
                self.assertIn("memfd:umol4-physical-memory", os.readlink(f"/proc/{pid}/fd/3"))


class StopsAndReports(Box):
    def test_kernel_debugger_entry_stops_the_box(self):
        p = self.run_box("run", l4("sigma0"), l4("test-kdb_enter"))
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("kernel debugger entered", p.stdout)
        self.assertIn("test asked for the debugger", p.stdout)
        self.assertNotIn("not reached", p.stdout)

    def test_runaway_program_is_stopped_by_timeout(self):
        # The spinner never ends by itself; the box ends at its timeout (which
        # a loaded host may reach before the program printed anything).
        p = self.run_box("run", "--timeout", "2", l4("sigma0"), l4("test-spin"))
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("timeout", p.stderr)

    def test_unresolvable_fault_is_reported(self):
        p = self.run_box("run", l4("sigma0"), l4("test-wild_fault"))
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("0x7e000000", p.stderr)
        self.assertNotIn("not reached", p.stdout)

    def start_spinning(self):
        p = subprocess.Popen([UMOL4, "run", l4("sigma0"), l4("test-spin")], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self.addCleanup(p.stdout.close)
        self.addCleanup(p.stderr.close)
        self.addCleanup(lambda: p.poll() is None and (p.kill(), p.wait()))
        for line in p.stdout:
            if line.strip() == "spinning":
                return p
        self.fail("the spinning program never started")

    def test_ctrl_c_stops_the_box(self):
        p = self.start_spinning()
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=120), 130)

    def test_killing_one_task_process_loses_its_space_and_the_box_ends_cleanly(self):
        p = self.start_spinning()
        kids = children_of(p.pid)
        self.assertTrue(kids)
        os.kill(max(kids), signal.SIGKILL)  # the root task's process, started last
        self.assertEqual(p.wait(timeout=120), 1)
        self.assertIn("was killed", p.stderr.read())
        # tearDown checks that nothing of the box still runs.

    def test_a_memfile_the_host_takes_away_stops_the_box_with_a_clear_line(self):
        # What the box sees when Linux has no page left for its physical
        # memory: SIGBUS on touching it (here: the MemFile cut to nothing).
        box = subprocess.Popen([UMOL4, "run", "--timeout", "300", l4("sigma0"), l4("test-spin")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        memfile = None
        deadline = time.time() + 120
        while memfile is None and time.time() < deadline:
            for fd in os.listdir(f"/proc/{box.pid}/fd"):
                try:
                    if "umol4-physical-memory" in os.readlink(f"/proc/{box.pid}/fd/{fd}"):
                        memfile = f"/proc/{box.pid}/fd/{fd}"
                except OSError:
                    pass
            time.sleep(0.05)
        self.assertIsNotNone(memfile)
        time.sleep(0.3)  # running
        os.truncate(memfile, 0)
        out, err = box.communicate(timeout=300)
        self.assertEqual(box.returncode, 71, err)
        self.assertIn("out of host resources", err)
        self.assertIn("MemFile", err)

    def test_killing_the_core_leaves_no_process(self):
        p = self.start_spinning()
        tasks = [pid for pid, _ in live_children() if pid != p.pid]
        self.assertEqual(tasks, [], "tasks are the core's children, not ours")
        kids = children_of(p.pid)
        self.assertGreaterEqual(len(kids), 2, "sigma0 and the root task run as processes")
        for kid in kids:
            # A task holds the MemFile and nothing else of the core's.
            fds = {int(fd): os.readlink(f"/proc/{kid}/fd/{fd}") for fd in os.listdir(f"/proc/{kid}/fd")}
            self.assertEqual(list(fds), [3], fds)
            self.assertIn("umol4-physical-memory", fds[3])
        p.kill()
        p.wait()
        # tearDown checks that nothing of the box still runs.


@only_for("x86_64", "ia32")
class ExceptionIpc(Box):
    def test_handler_thread_receives_the_exception_and_resumes_the_thread(self):
        p = self.run_box("run", l4("sigma0"), l4("test-exception_handler"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("handler: exception 6 at ip 0x", p.stdout)
        words = 19 if ARCH == "x86_64" else 12  # the amd64 and ia32 layouts of x2-abi.md
        self.assertIn(f"(label 0xffb0, {words} words)", p.stdout)
        self.assertIn("survived ud2", p.stdout)


@only_for("x86_64", "ia32")
class UartConsole(Box):
    def test_uart_output_and_input_from_a_file(self):
        p = self.run_with_input("ab.", "test-uart")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("uart: type something", p.stdout)
        self.assertIn("uart: got 'a'", p.stdout)
        self.assertIn("uart: got 'b'", p.stdout)
        self.assertIn("uart: 2 characters before the dot", p.stdout)


class ManyBoxes(Box):
    def test_twenty_boxes_at_once_all_pass_and_end(self):
        procs = [subprocess.Popen([UMOL4, "run", l4("sigma0"), l4("hello")], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(20)]
        for p in procs:
            out, err = p.communicate(timeout=600)
            self.assertEqual(p.returncode, 0, err)
            self.assertIn("l4rt: main returned 0", out)


class SystemCallStorm(Box):
    def test_thousands_of_arbitrary_system_calls_leave_the_core_standing(self):
        for seed, cpus in (("1", "1"), ("2", "2"), ("3", "3")):
            with self.subTest(seed=seed, cpus=cpus):
                p = self.run_with_input(seed + "\n", "test-syscall_storm", "--cpus", cpus, "--timeout", "500",
                                        "--check-invariants")
                self.assertIn(f"storm: 3000 calls made (seed {seed})", p.stdout, p.stderr[-3000:])
                # 1: some of the threads it made stopped on faults.
                self.assertIn(p.returncode, (0, 1), p.stderr[-3000:])
                for bad in ("internal error", "AddressSanitizer", "runtime error", "ESCAPED"):
                    self.assertNotIn(bad, p.stdout + p.stderr)


class FiftyBoxes(Box):
    def test_fifty_boxes_run_the_conformance_suite_at_once_and_all_end(self):
        # Two vCPUs each: 100 virtual CPUs and a few thousand threads on the
        # host's two, every box on its own.  Each box has a thread limit of
        # its own: together they stay well inside the host's pid space, so
        # the case that runs out of threads meets its box's limit, never
        # what the other boxes left of the host's.
        procs = [subprocess.Popen([UMOL4, "run", "--cpus", "2", "--max-threads", "256", "--timeout", "1200",
                                   l4("sigma0"), l4("conformance")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(50)]
        results = [p.communicate(timeout=1300) for p in procs]
        for p, (out, err) in zip(procs, results):
            failed = [line for line in out.splitlines() if line.startswith(("FAIL", "  "))]
            self.assertEqual(failed, [], out + err)
            self.assertRegex(out, r"conformance: [0-9]+ passed, 0 failed")
            self.assertEqual(p.returncode, 0, out + err)


class Conformance(Box):
    def conformance(self, *options):
        p = self.run_box("run", "--timeout", "500", "--check-invariants", *options, l4("sigma0"), l4("conformance"))
        failed = [line for line in p.stdout.splitlines() if line.startswith(("FAIL", "  "))]
        self.assertEqual(failed, [], p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"conformance: [0-9]+ passed, 0 failed")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p.stdout

    def test_conformance_suite_passes(self):
        out = self.conformance()
        self.assertIn("conformance: one processor: the", out)

    def test_conformance_suite_passes_with_pager_exregs(self):
        out = self.conformance("--pager-exregs")
        self.assertIn("PASS ExchangeRegisters.ThePagersSpaceMayExchangeRegistersOnlyWithPagerexregs", out)

    def test_conformance_suite_passes_on_two_and_five_cpus_with_its_processor_cases(self):
        for cpus in ("2", "5"):
            out = self.conformance("--cpus", cpus)
            self.assertIn("PASS Processors.TwoThreadsSpinAtOnceOnTwoCpus", out)
            self.assertNotIn("processor cases are not run", out)


    def test_conformance_suite_passes_with_the_core_on_a_cpu_of_its_own(self):
        # The box's threads on one host CPU, the core on another (spinning
        # on both sides); one CPU only: the same one, which spins nowhere.
        # Without the signal path (--trap ptrace, arches without one) the
        # option is refused.
        if os.environ.get("UMOL4_TRAP", "signal") != "signal" or ARCH not in ("x86_64", "ia32"):
            p = self.run_box("run", "--core-cpu", "0", l4("sigma0"), l4("hello"))
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("--core-cpu", p.stderr)
            return
        cpus = sorted(os.sched_getaffinity(0))
        out = self.conformance("--cpus", "2", "--host-cpu", str(cpus[0]), "--core-cpu", str(cpus[-1]))
        self.assertIn("PASS Processors.TwoThreadsSpinAtOnceOnTwoCpus", out)


class MemoryAtScale(Box):
    def test_the_default_box_runs_the_same_with_a_tiny_linux_mapping_budget(self):
        p = self.run_box("run", "--map-budget", "16", l4("sigma0"), l4("hello"))
        self.assertIn("touched 16 pages of memory (checksum 120)", p.stdout, p.stdout + p.stderr)
        self.assertIn("l4rt: main returned 0", p.stdout)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_conformance_passes_with_a_tiny_linux_mapping_budget(self):
        p = self.run_box("run", "--map-budget", "16", "--timeout", "500", l4("sigma0"), l4("conformance"))
        self.assertRegex(p.stdout, r"conformance: [0-9]+ passed, 0 failed", p.stdout + p.stderr)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_pages_dropped_over_budget_come_back_with_their_data_without_the_pager(self):
        p = self.run_box("run", "-v", "--map-budget", "16", l4("sigma0"), l4("test-scattered_pages"))
        self.assertIn("600 pages written and read back twice, 0 wrong", p.stdout, p.stdout + p.stderr)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        evictions = int(re.search(r"([0-9]+) map-cache evictions", p.stderr).group(1))
        to_pagers = int(re.search(r"\(([0-9]+) to pagers\)", p.stderr).group(1))
        self.assertGreater(evictions, 600 * 3 // 16 - 5)  # three passes over 600 separate pages
        self.assertLess(to_pagers, 700)  # each page asked of sigma0 once (plus the image)

    def test_mapping_past_the_box_limit_is_message_overflow_and_the_box_goes_on(self):
        p = self.run_box("run", "-m", "16M", l4("sigma0"), l4("test-map_limit"))
        self.assertRegex(p.stdout, r"map limit: [0-9]+ items of 1024 pages mapped, then error 0x8", p.stdout + p.stderr)
        self.assertIn("after unmap, mapping again: error 0, window shows m", p.stdout)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("its limit: map item refused", p.stderr)

    def test_a_map_budget_below_its_minimum_is_bad_input(self):
        p = self.run_box("run", "--map-budget", "3", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 2)


class Deterministic(Box):
    def test_two_deterministic_runs_print_the_same_events_and_clock_values(self):
        runs = [self.run_box("run", "--deterministic", "--timeout", "500", l4("sigma0"), l4("test-deterministic"))
                for _ in range(2)]
        for p in runs:
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("deterministic: 3 workers, 18 calls", p.stdout)
        self.assertEqual(runs[0].stdout, runs[1].stdout)

    def test_conformance_passes_on_the_virtual_clock(self):
        p = self.run_box("run", "--deterministic", "--timeout", "500", l4("sigma0"), l4("conformance"))
        self.assertRegex(p.stdout, r"conformance: [0-9]+ passed, 0 failed", p.stdout + p.stderr)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_the_virtual_clock_follows_the_sleeps(self):
        p = self.run_box("run", "--deterministic", l4("sigma0"), l4("test-deterministic"))
        ended = int(re.search(r"ended at ([0-9]+) us", p.stdout).group(1))
        # worker 2 sleeps 3 ms + 0.3 ms * i in each of its six rounds: >= 22.5 ms
        self.assertGreaterEqual(ended, 22500)
        self.assertLess(ended, 1000000)


# Where Linux's own mappings of a task process may lie (arch/*/linux.cpp:
# the range the KIP reserves for the host).
RESERVED = {"x86_64": (0x7FF000000000, 0x800000000000), "ia32": (0xEE000000, 0x100000000)}


class BinaryCompatibility(Box):
    def test_the_abi_as_a_foreign_binary_uses_it(self):
        p = self.run_box("run", l4("sigma0"), l4("test-compat_abi"))
        failed = [line for line in p.stdout.splitlines() if "FAIL" in line]
        self.assertEqual(failed, [], p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"compat: [0-9]+ passed, 0 failed")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_a_console_menu_is_driven_from_console_input(self):
        p = self.run_with_input("1\n2\n\n3\nx\n2\nq\nnever read\n", "test-menu")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        answers = [line for line in p.stdout.splitlines() if line.startswith("menu:") and "[q] quit" not in line]
        self.assertEqual(len(answers), 6, p.stdout)
        self.assertRegex(answers[0], r"KIP at 0xbff00000, API version 0x84050000, 1 processor")
        self.assertEqual(answers[1:], ["menu: ping: 3 of 3 round trips", "menu: touched 8 pages (checksum 36)",
                                       "menu: no choice 'x'", "menu: ping: 3 of 3 round trips", "menu: bye"])

    def test_a_menu_waits_past_the_end_of_its_input_and_the_box_ends(self):
        # ReadChar_Blocked past the end of the input file never returns:
        # the box ends when every thread waits, the menu's prompt last.
        p = self.run_with_input("3\n", "test-menu")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("menu: touched 8 pages", p.stdout)
        self.assertNotIn("menu: end of input", p.stdout)
        self.assertTrue(p.stdout.rstrip().endswith("[q] quit"), p.stdout)

    def test_programs_use_the_reference_library_names_and_calls(self):
        # l4/schedule.h, l4/space.h, l4/misc.h, l4io.h, ... by those names;
        # getc reads the console when the command line asks for it.
        p = self.run_with_input("L", "test-libl4_names getc", "--log-level", "debug")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("FAIL", p.stdout)
        self.assertIn("libl4: getc 'L'", p.stdout)
        self.assertRegex(p.stdout, r"libl4: [0-9]+ passed, 0 failed")
        self.assertIn("l4rt: main returned 0", p.stdout)
        # L4_KDB_SetThreadName is a request the kernel debugger takes.
        self.assertRegex(p.stderr, r'names thread 0x[0-9a-f]+ "libl4-helper"')
        p = self.run_box("run", l4("sigma0"), l4("test-libl4_names_cxx"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("FAIL", p.stdout)
        self.assertRegex(p.stdout, r"libl4\+\+: [0-9]+ passed, 0 failed")

    @only_for(*RESERVED)
    def test_linux_keeps_its_own_mappings_in_the_reserved_range(self):
        low, high = RESERVED[ARCH]
        with spinning_box() as tasks:
            for pid in tasks:
                with open(f"/proc/{pid}/maps") as f:
                    for line in f:
                        fields = line.split()
                        start, end = (int(x, 16) for x in fields[0].split("-"))
                        name = fields[5] if len(fields) > 5 else ""
                        if "umol4-physical-memory" in name or name == "[vsyscall]":
                            continue  # L4 pages (and the kernel's fixed page, see LinuxStaysOutOfReach)
                        assert low <= start and end <= high, line


class Scheduling(Box):
    def test_spinning_threads_share_the_cpu_and_timeouts_still_fire(self):
        p = self.run_box("run", "--timeout", "500", l4("sigma0"), l4("test-preemption"))
        self.assertIn("while the spinners counted up and up", p.stdout, p.stdout + p.stderr)
        self.assertIn("l4rt: main returned 0", p.stdout)
        # Its sleeps ended although the spinners never stop for the kernel;
        # then it deleted them and the box ended.
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


@only_for("x86_64", "ia32")
class UartInterrupt(Box):
    def test_receive_interrupts_announce_console_input(self):
        p = self.run_with_input("xy.", "test-uart_irq")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("uart irq: got 'x'", p.stdout)
        self.assertIn("uart irq: got 'y'", p.stdout)
        self.assertIn("uart irq: 2 characters in some interrupts", p.stdout)


class KernelDebuggerConsole(Box):
    def test_read_char_takes_console_input(self):
        p = self.run_with_input("hello box\n", "test-kdb_input")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('kdb read: "hello box"', p.stdout)
        self.assertIn("kdb then: no more input", p.stdout)


class BootInformation(Box):
    def test_the_root_task_finds_every_image_with_its_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            text = os.path.join(d, "greeting.txt")
            with open(text, "w") as f:
                f.write("hello from a module\nsecond line\n")
            empty = os.path.join(d, "empty.bin")
            open(empty, "w").close()
            spaced = os.path.join(d, "a name with blanks")
            with open(spaced, "wb") as f:
                f.write(bytes(range(32, 127)) * 60)  # more than a page
            p = self.run_box("run", l4("sigma0") + " verbose", l4("test-boot_info") + " -x  two words",
                             text + " size=32", empty, spaced)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        lines = [line for line in p.stdout.splitlines() if line.startswith("boot-info:")]
        cls = 2 if ARCH in ("x86_64", "aarch64", "riscv64") else 1
        self.assertEqual(lines[0].split(",")[0], "boot-info: 5 records", p.stdout)
        self.assertRegex(lines[1], r'^boot-info: program "%s verbose" entry 0x[0-9a-f]+ class %d$'
                         % (re.escape(l4("sigma0")), cls))
        self.assertRegex(lines[2], r'^boot-info: program "%s -x  two words" entry 0x[0-9a-f]+ class %d$'
                         % (re.escape(l4("test-boot_info")), cls))
        self.assertEqual(lines[3:], [
            'boot-info: module "%s size=32" 32 bytes' % text,
            'boot-info:   first line "hello from a module"',
            'boot-info: module "%s" 0 bytes' % empty,
            'boot-info: module "%s" 5700 bytes' % spaced,
            'boot-info:   first line "%s"' % bytes(range(32, 72)).decode(),
        ], p.stdout)

    @staticmethod
    def code_at_entry(path):
        """The ELF file's entry and its first 4 bytes of code, as hex."""
        with open(path, "rb") as f:
            elf = f.read()
        wide = elf[4] == 2
        entry, phoff = struct.unpack_from("<QQ" if wide else "<II", elf, 24 if wide else 24)
        phentsize, phnum = struct.unpack_from("<HH", elf, 54 if wide else 42)
        for i in range(phnum):
            at = phoff + i * phentsize
            if wide:
                kind, _, offset, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", elf, at)
            else:
                kind, offset, vaddr, _, filesz = struct.unpack_from("<IIIII", elf, at)
            if kind == 1 and vaddr <= entry < vaddr + filesz:
                return entry, elf[offset + entry - vaddr:offset + entry - vaddr + 4].hex()
        raise AssertionError(f"{path}: no code at the entry")

    def test_programs_given_as_modules_are_loaded_at_their_link_addresses(self):
        # hello is linked at 1 MiB: between sigma0 and the root task.
        entry, code = self.code_at_entry(l4("hello"))
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data.txt")
            with open(data, "w") as f:
                f.write("data after a program\n")
            p = self.run_box("run", l4("sigma0"), l4("test-boot_info"), l4("hello") + " --its-argument", data)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        lines = [line for line in p.stdout.splitlines() if line.startswith("boot-info:")]
        self.assertEqual(lines[0].split(",")[0], "boot-info: 4 records", p.stdout)
        self.assertRegex(lines[3], r'^boot-info: program "%s --its-argument" entry %#x class \d$'
                         % (re.escape(l4("hello")), entry))
        self.assertEqual(lines[4], f"boot-info:   code at the entry {code}")
        self.assertEqual(lines[5:], ['boot-info: module "%s" 21 bytes' % data,
                                     'boot-info:   first line "data after a program"'])

    def test_program_modules_that_overlap_or_are_of_another_arch_are_refused(self):
        # test-spin is linked at 4 MiB, where the root task is.
        line = self.refused(l4("sigma0"), l4("test-boot_info"), l4("test-spin"), mention="overlaps")
        self.assertIn(l4("test-spin"), line)
        with tempfile.TemporaryDirectory() as d:
            other = arm_copy_of_hello(d)
            self.refused(l4("sigma0"), l4("test-boot_info"), other, mention=other)

    def test_modules_that_do_not_fit_or_cannot_be_read_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            big = os.path.join(d, "big.bin")
            with open(big, "wb") as f:
                f.truncate(7 << 20)  # above hello, which sits at 1 MiB
            self.refused("--memory", "8M", l4("sigma0"), l4("hello"), big, mention="--memory")
            self.refused(l4("sigma0"), l4("hello"), os.path.join(d, "missing") + " arg",
                                    mention="missing")
            self.refused(l4("sigma0"), l4("hello"), d, mention="directory")


class RefusesBadInput(Box):
    def test_missing_file(self):
        self.refused(l4("sigma0"), "/nonexistent/root", mention="/nonexistent/root")

    def test_not_an_elf_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("#!/bin/sh\necho hi\n")
            f.flush()
            line = self.refused(l4("sigma0"), f.name, mention=f.name)
            self.assertIn("not an ELF", line)

    def test_wrong_machine(self):
        with tempfile.TemporaryDirectory() as d:
            bad = arm_copy_of_hello(d)
            line = self.refused(l4("sigma0"), bad, mention=bad)
            self.assertIn("machine", line)

    def test_overlapping_images(self):
        line = self.refused(l4("sigma0"), l4("sigma0"), mention="overlaps")
        self.assertIn(l4("sigma0"), line)

    def test_segment_outside_physical_memory(self):
        # test-spin is linked at 4 MiB, the root tasks' usual place.
        self.refused("--memory", "4M", l4("sigma0"), l4("test-spin"), mention="outside physical memory")

    def test_memory_size_too_small(self):
        self.refused("--memory", "1M", l4("sigma0"), l4("hello"), mention="--memory")

    def test_malformed_memory_size(self):
        self.refused("--memory", "lots", l4("sigma0"), l4("hello"), mention="lots")

    def test_cpu_counts_outside_one_to_64(self):
        for n in ("0", "65", "two"):
            p = self.run_box("run", "--cpus", n, l4("sigma0"), l4("hello"))
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("--cpus", p.stderr)
            self.assertEqual(p.stdout, "")

    def test_deterministic_mode_with_more_than_one_cpu(self):
        self.refused("--deterministic", "--cpus", "2", l4("sigma0"), l4("hello"), mention="--deterministic")

    def malformed(self, name, patch):
        """hello with `patch(bytearray)` applied, as root task: refused."""
        with open(l4("hello"), "rb") as f:
            data = bytearray(f.read())
        patch(data)
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, name)
            with open(bad, "wb") as f:
                f.write(data)
            return self.refused(l4("sigma0"), bad, mention=bad)

    def elf_layout(self, data):
        """(struct prefix, e_phoff, e_phentsize, first PT_LOAD offset) of an ELF image."""
        wide = data[4] == 2
        e_phoff = struct.unpack_from("<Q" if wide else "<I", data, 32 if wide else 28)[0]
        e_phentsize = struct.unpack_from("<H", data, 54 if wide else 42)[0]
        e_phnum = struct.unpack_from("<H", data, 56 if wide else 44)[0]
        loads = [e_phoff + i * e_phentsize for i in range(e_phnum)
                 if struct.unpack_from("<I", data, e_phoff + i * e_phentsize)[0] == 1]
        return wide, loads

    def test_malformed_images_are_refused_with_one_line(self):
        def truncated(d): del d[40:]
        def zero_length(d): del d[:]
        def wrong_class(d): d[4] = 1 if d[4] == 2 else 2
        def entry_outside(d):
            wide, _ = self.elf_layout(d)
            struct.pack_into("<Q" if wide else "<I", d, 24, 0x10)
        def huge_segment(d):
            wide, loads = self.elf_layout(d)
            memsz_at = loads[-1] + (40 if wide else 20)
            struct.pack_into("<Q" if wide else "<I", d, memsz_at, 0x7FFFFFFF0000 if wide else 0xFFFF0000)
        def overlapping(d):
            wide, loads = self.elf_layout(d)
            vaddr_at = 16 if wide else 8
            first = struct.unpack_from("<Q" if wide else "<I", d, loads[0] + vaddr_at)[0]
            for field in (vaddr_at, vaddr_at + (8 if wide else 4)):  # p_vaddr, p_paddr
                struct.pack_into("<Q" if wide else "<I", d, loads[-1] + field, first)
        for name, patch in [("truncated", truncated), ("empty", zero_length), ("wrong-class", wrong_class),
                            ("entry-outside", entry_outside), ("huge-segment", huge_segment),
                            ("overlapping", overlapping)]:
            with self.subTest(name):
                self.malformed(name, patch)

    def test_unknown_option(self):
        p = self.run_box("run", "--bogus", l4("sigma0"), l4("hello"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("bogus", p.stderr)

    def test_missing_arguments(self):
        p = self.run_box("run", l4("sigma0"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("ROOTTASK", p.stderr)


if __name__ == "__main__":
    unittest.main()
