"""Integration tests of `umol4 run` with another CPU's images, against a
VM kit whose qemu.sh stands in for QEMU (the real VMs run in
tests/sdk/test_getting_started.py): what umol4 shows of the VM's console,
the exit code it passes through, and a VM that never reaches /init, which
is booted again.

Environment as for test_umol4."""
import os
import shutil
import subprocess
import tempfile
import textwrap
import unittest

from test_umol4 import UMOL4, Box, l4, only_for


def aarch64_copy_of(path, directory):
    """An x86_64 image with its ELF machine changed to EM_AARCH64."""
    copy = os.path.join(directory, "aarch64-" + os.path.basename(path))
    shutil.copy(path, copy)
    with open(copy, "r+b") as f:
        f.seek(18)
        f.write((183).to_bytes(2, "little"))
    return copy


class BootsAnotherCpusBoxInItsVm(Box):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="umol4-vm-kit-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        # umol4 finds the kit beside itself, as installed: bin/, lib/umol4/<arch>/vm.
        os.makedirs(os.path.join(self.dir, "bin"))
        self.umol4 = os.path.join(self.dir, "bin", "umol4")
        shutil.copy(UMOL4, self.umol4)
        self.kit = os.path.join(self.dir, "lib", "umol4", "aarch64", "vm")
        os.makedirs(self.kit)
        for name in ("Image", "umol4", "init"):
            with open(os.path.join(self.kit, name), "w") as f:
                f.write("not used by the stand-in\n")

    def stand_in(self, script):
        """qemu.sh: sh code with $1..$4 as QEMU's (arch, kernel, initrd, MiB)."""
        with open(os.path.join(self.kit, "qemu.sh"), "w") as f:
            f.write(textwrap.dedent(script))

    def run_vm_box(self, *options, env=None):
        images = [aarch64_copy_of(l4("sigma0"), self.dir), aarch64_copy_of(l4("hello"), self.dir) + " an-arg"]
        return subprocess.run([self.umol4, "run", *options, *images], capture_output=True, text=True,
                              timeout=600, stdin=subprocess.DEVNULL, env=dict(os.environ, **(env or {})))

    @only_for("x86_64")
    def test_the_console_from_init_on_and_the_exit_code_pass_through(self):
        self.stand_in("""\
            echo "OpenSBI and the kernel's words"
            echo "umol4-vm: start"
            echo "the box says hello"
            printf "no line end"
            printf "\\numol4-vm: exit 3\\n"
            echo "reboot: Power down"
            """)
        p = self.run_vm_box("-m", "64")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(p.stdout, "the box says hello\nno line end")

    @only_for("x86_64")
    def test_the_vm_gets_the_images_and_the_arguments_at_their_paths(self):
        self.stand_in("""\
            echo "umol4-vm: start"
            echo "memory $4 MiB"
            cpio -it < "$3" 2>/dev/null | grep -E '^(init|umol4|vm/argv|vm/input|host/.*hello)$'
            cpio -i --to-stdout vm/argv < "$3" 2>/dev/null | tr '\\0' ' '
            printf "\\numol4-vm: exit 0\\n"
            """)
        p = self.run_vm_box("-m", "1024", "--name", "far")
        self.assertEqual(p.returncode, 0, p.stderr)
        hello = os.path.join(self.dir, "aarch64-hello")
        self.assertIn("memory 1536 MiB", p.stdout)  # the box's memory and room for the kernel
        for member in ("init", "umol4", "vm/argv", "vm/input", "host" + hello):
            self.assertIn(member + "\n", p.stdout)
        self.assertIn(f"/umol4 run --console-input=/vm/input -m 1024 --name far /host{self.dir}/aarch64-sigma0 "
                      f"/host{hello} an-arg", " ".join(p.stdout.split()))

    @only_for("x86_64")
    def test_a_vm_that_reaches_no_init_is_booted_again(self):
        self.stand_in("""\
            boots="$(dirname "$0")/boots"
            echo x >> "$boots"
            if [ "$(wc -l < "$boots")" -lt 2 ]; then exec sleep 600; fi
            echo "umol4-vm: start"
            echo "second boot"
            printf "\\numol4-vm: exit 0\\n"
            """)
        p = self.run_vm_box(env={"UMOL4_VM_START_LIMIT": "2"})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "second boot\n")
        self.assertIn("reached no /init in 2 s (boot 1 of 3): booting it again", p.stderr)

    @only_for("x86_64")
    def test_a_vm_that_never_reaches_init_is_a_host_failure(self):
        self.stand_in("""\
            echo "firmware words"
            exec sleep 600
            """)
        p = self.run_vm_box(env={"UMOL4_VM_START_LIMIT": "1"})
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertIn("the aarch64 VM did not boot (no /init after three boots)", p.stderr)
        self.assertIn("firmware words", p.stderr)


if __name__ == "__main__":
    unittest.main()
