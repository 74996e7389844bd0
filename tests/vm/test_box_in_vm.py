"""The box on a cross arch, for real: one QEMU system VM boots Linux for
UMOL4_VM_ARCH with the cross build's static umol4 and L4 programs in its
initramfs (ci/vm/run.sh), runs every case's command once, powers off, and
each test checks its command's exit status and output in the console log.

Environment: UMOL4_VM_ARCH, UMOL4_CROSS_BUILD (the cross build directory),
UMOL4_VM_KERNEL; UMOL4_VM_LOG (optional) keeps the console log."""
import os
import re
import subprocess
import tempfile
import unittest
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_VM = os.path.join(HERE, "..", "..", "ci", "vm", "run.sh")
ARCH = os.environ.get("UMOL4_VM_ARCH", "")
BUILD = os.environ.get("UMOL4_CROSS_BUILD", "")
KERNEL = os.environ.get("UMOL4_VM_KERNEL", "")
CONFORMANCE_OK = r"conformance: [0-9]+ passed, 0 failed"
TRAP = {"aarch64": "svc", "riscv64": "ecall"}.get(ARCH, "")  # tests/l4/<arch>/escape_<trap>.c


@dataclass
class Case:
    name: str
    command: str                    # run in the VM, relative to the cross build
    exits: tuple = (0,)
    output: list = field(default_factory=list)      # regexes the output must match
    absent: list = field(default_factory=lambda: ["ESCAPED", "internal error"])
    limit: int = 300                # seconds before /init kills it


def box(options, root_task, *rest):
    return " ".join(["umol4", "run", *options, "l4/sigma0", f"l4/{root_task}", *rest])


CASES = [
    Case("conformance_suite_passes_on_one_cpu_with_invariants_checked",
         box(["--timeout", "200", "--check-invariants"], "conformance"),
         output=[CONFORMANCE_OK, "the 9 processor cases are not run"]),
    Case("conformance_suite_passes_on_two_cpus_with_its_processor_cases",
         box(["--timeout", "200", "--check-invariants", "--cpus", "2"], "conformance"),
         output=[CONFORMANCE_OK, r"PASS Processors\.TwoThreadsSpinAtOnceOnTwoCpus"]),
    Case("conformance_suite_passes_on_five_cpus",
         box(["--timeout", "200", "--cpus", "5"], "conformance"), output=[CONFORMANCE_OK]),
    Case("conformance_suite_passes_on_the_virtual_clock",
         box(["--timeout", "200", "--deterministic"], "conformance"), output=[CONFORMANCE_OK]),
    Case("conformance_suite_passes_with_a_tiny_linux_mapping_budget",
         box(["--timeout", "200", "--map-budget", "16"], "conformance"), output=[CONFORMANCE_OK]),
    Case("hello_runs_and_the_box_ends_when_all_threads_wait",
         box([], "hello"), output=[rf"hello from an L4 program \({ARCH}", "l4rt: main returned 0"]),
    *[Case(f"system_call_storm_seed_{seed}_on_{cpus}_cpus_leaves_the_core_standing",
           box(["--timeout", "100", "--check-invariants", "--cpus", cpus, "--console-input", f"seed{seed}.txt"],
               "test-syscall_storm"),
           exits=(0, 1), output=[rf"storm: 3000 calls made \(seed {seed}\)"])
      for seed, cpus in (("1", "1"), ("2", "2"), ("3", "3"))],
    Case("an_unresolvable_fault_stops_the_box_with_its_address",
         box([], "test-wild_fault"), exits=(1,), output=["0x7e000000"]),
    Case("the_kip_host_pages_stub_and_ungiven_memory_are_out_of_reach",
         box([], "test-escape_memory"), exits=(1,),
         output=["escape_memory: 6 of 6 attempts refused", "in the KIP or UTCB area", "reserved for the host"]),
    Case("a_linux_system_call_from_l4_code_is_refused",
         box([], f"test-escape_{TRAP}"), exits=(1,), output=["outside the KIP stubs"]),
    Case("jumping_into_the_injection_gate_is_refused",
         box([], "test-escape_gate"), exits=(1,), output=["outside the KIP stubs"]),
    # The default trap path (the signal path) runs everything above; ptrace
    # stays selectable and held.
    Case("conformance_suite_passes_on_the_ptrace_trap_path",
         box(["--timeout", "200", "--check-invariants", "--trap", "ptrace"], "conformance"),
         output=[CONFORMANCE_OK]),
    *[Case(f"jumping_into_the_signal_handlers_system_calls_makes_no_linux_call_{trap}",
           box(["--trap", trap], "test-escape_signal_path"), exits=(1,),
           output=["escape_signal_path: 7 of 7 attempts refused", "outside the KIP stubs"])
      for trap in ("signal", "ptrace")],
    Case("kernel_debugger_entry_stops_the_box",
         box([], "test-kdb_enter"), exits=(3,), output=["test asked for the debugger"]),
    Case("a_runaway_program_is_stopped_by_the_timeout",
         box(["--timeout", "2"], "test-spin"), exits=(4,), output=["box stopped: timeout"]),
    # Hostile code that holds the core without any arch's help (issue N,
    # findings 10, 11 and 12; docs/hardening.md).
    Case("a_chain_of_queued_senders_is_delivered",
         box([], "test-ipc_chain"), output=["ipc chain: 250 of 250 messages delivered along the chain"]),
    Case("two_threads_that_page_each_other_fault_in_turn_until_their_timeouts",
         box([], "test-string_fault_pingpong"),
         output=[r"this thread ran on meanwhile \(\d+ sleeps\); A ended with error 0x[bd], B with 0x[bd]"]),
    Case("threads_run_while_one_unmap_withdraws_two_hundred_thousand_mappings",
         box([], "test-unmap_preemption"),
         output=[r"196608 mappings flushed in one call; a thread of higher priority woke ([2-9]|\d\d+) times",
                 "mapping again: done"]),
    Case("mappings_scattered_two_mib_apart_are_refused_at_the_memory_limit",
         box(["-m", "16M", "--mapping-memory", "1M"], "test-scattered_mappings"),
         output=[r"scattered mappings: (1\d\d|2[0-4]\d|25[0-6]) mapped 2 MiB apart \(0 wrong\), then error 0x8",
                 "after unmap, mapping again: done"]),
    Case("a_missing_image_is_bad_input_with_one_line",
         box([], "missing-image"), exits=(2,), output=["l4/missing-image: cannot open"]),
]

SECTION = re.compile(r"^umol4-vm\$ (.*)$", re.M)
EXIT = re.compile(r"^umol4-vm: exit (-?[0-9]+) after", re.M)


def run_vm():
    """Runs every case in one VM; returns {command: (exit status, output)}."""
    if os.environ.get("UMOL4_VM_LOG") and os.path.exists(os.environ["UMOL4_VM_LOG"]):
        os.remove(os.environ["UMOL4_VM_LOG"])  # never a summary of an earlier run
    with tempfile.TemporaryDirectory() as tmp:
        commands = os.path.join(tmp, "commands")
        with open(commands, "w") as f:
            for c in CASES:
                f.write(f"@{c.limit} ={','.join(map(str, c.exits))} {c.command}\n")
        for seed in "123":
            with open(os.path.join(tmp, f"seed{seed}.txt"), "w") as f:
                f.write(seed + "\n")
        p = subprocess.run(["bash", RUN_VM, ARCH, BUILD, KERNEL, commands], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace", timeout=1500)
    log = p.stdout
    if os.environ.get("UMOL4_VM_LOG"):
        with open(os.environ["UMOL4_VM_LOG"], "w") as f:
            f.write(log)
    results = {}
    marks = list(SECTION.finditer(log))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(log)
        text = log[m.end():end]
        status = EXIT.search(text)
        command = re.sub(r"^(@[0-9]+ )?(=[0-9,]+ )?", "", m.group(1))
        results[command] = (int(status.group(1)) if status else None, text)
    return log, results


@unittest.skipUnless(ARCH and BUILD and KERNEL, "UMOL4_VM_ARCH, UMOL4_CROSS_BUILD, UMOL4_VM_KERNEL not set")
class BoxInVm(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log, cls.results = run_vm()

    def check(self, case):
        self.assertIn(case.command, self.results, "the VM never ran it:\n" + self.log[-3000:])
        status, out = self.results[case.command]
        self.assertIn(status, case.exits, out[-3000:])
        for pattern in case.output:
            self.assertRegex(out, pattern)
        for bad in case.absent:
            self.assertNotIn(bad, out)

    def test_the_vm_ran_every_command_and_powered_off(self):
        self.assertIn("umol4-vm: done", self.log, self.log[-3000:])


for _case in CASES:
    setattr(BoxInVm, f"test_{_case.name}", lambda self, c=_case: self.check(c))

if __name__ == "__main__":
    unittest.main()
