"""The installed SDK as a user meets it (issue K): `cmake --install` of the
build into a scratch HOME, then every `sh` block of docs/getting-started.md
from its second section on, in order, in one shell, exactly as written; and
what the SDK installs beside the kits (man page, completion, the CMake
package's checks).

Environment: UMOL4_BUILD (the host build directory)."""
import os
import re
import select
import shutil
import subprocess
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DOC = os.path.join(ROOT, "docs", "getting-started.md")
BUILD = os.environ.get("UMOL4_BUILD", "")


def doc_commands():
    """The sh blocks of the page's second section and after, joined."""
    with open(DOC) as f:
        text = f.read()
    start = text.index("## 2.")
    return "\n".join(re.findall(r"^```sh\n(.*?)^```", text[start:], re.M | re.S))


class InstalledSdk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BUILD:
            raise unittest.SkipTest("UMOL4_BUILD not set")
        cls.home = tempfile.mkdtemp(prefix="umol4-sdk-home-")
        cls.sdk = os.path.join(cls.home, "umol4-sdk")
        # The page's install command, with this build's directory.
        subprocess.run(["cmake", "--install", BUILD, "--component", "sdk", "--prefix", cls.sdk], check=True,
                       stdout=subprocess.DEVNULL)
        cls.env = dict(os.environ, HOME=cls.home)
        cls.env.pop("UMOL4_TRAP", None)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    def test_the_getting_started_commands_build_and_run_programs_of_ones_own(self):
        script = "set -euo pipefail\n" + doc_commands()
        p = subprocess.run(["bash", "-c", script], cwd=self.home, env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=900)
        self.assertEqual(p.returncode, 0, p.stdout[-4000:])
        out = p.stdout
        self.assertRegex(out, r"umol4 \d+\.\d+\.\d+")
        # ping in C, C++ and Rust (CMake), each on x86_64 and ia32, Rust
        # for ia32 by cargo, and C on aarch64 and Rust on riscv64 in VMs.
        self.assertEqual(out.count("ping: served 4 page faults in the worker's lazy pages; it wrote \"abcd\""), 9, out)
        self.assertEqual(out.count("worker: 3 + 30 = 33"), 9, out)
        self.assertIn("ping: a root task with a second thread (aarch64", out)
        self.assertEqual(out.count("ping (Rust): a root task with a second thread (riscv64)"), 1, out)
        self.assertIn("ping (C++): a root task with a second thread (x86_64", out)
        self.assertIn("ping: a root task with a second thread (ia32", out)
        self.assertEqual(out.count("ping (Rust): a root task with a second thread (x86_64)"), 1, out)
        self.assertEqual(out.count("ping (Rust): a root task with a second thread (ia32)"), 2, out)
        self.assertEqual(out.count("ping: sigma0 gave us a page of 4096 bytes"), 4, out)
        # Every example built for aarch64 and riscv64 runs in its VM too.
        for example in ("ping", "ping-cxx", "ping-rs"):
            for arch in ("aarch64", "riscv64"):
                with self.subTest(example=example, arch=arch):
                    image = os.path.join(self.home, example, "build", "l4", f"{example}-{arch}")
                    box = self.run_box(arch, image)
                    self.assertEqual(box.returncode, 0, box.stdout + box.stderr)
                    self.assertIn(f"({arch}", box.stdout)
                    self.assertIn("ping: served 4 page faults in the worker's lazy pages", box.stdout)
        # launch, from a box file: hello in a space of its own.
        self.assertRegex(out, r'launch: started ".*/x86_64/hello one two" as thread \d+ in a space of its own')
        self.assertIn("hello from an L4 program (x86_64", out)
        # The pkg-config program.
        self.assertIn("hello from my own x86_64 program", out)
        self.assertIn("hello from my own ia32 program", out)
        self.assertNotIn("internal error", out)

    def test_the_man_page_is_umol4s_own_help(self):
        page = os.path.join(self.sdk, "share", "man", "man1", "umol4.1")
        p = subprocess.run(["man", "-l", page], env=dict(self.env, MANPAGER="cat", MANWIDTH="100"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        for option in ("--memory", "--cpus", "--trap", "--timeout"):
            self.assertIn(option, p.stdout)
        self.assertRegex(p.stdout, r"Exit\s+codes:\s+0\s+the\s+box\s+ran\s+to\s+its\s+end")

    def test_bash_completes_options_and_their_choices(self):
        completion = os.path.join(self.sdk, "share", "bash-completion", "completions", "umol4")
        script = textwrap.dedent(f"""\
            source {completion}
            COMP_WORDS=(umol4 run --tr); COMP_CWORD=2; _umol4; echo "options: ${{COMPREPLY[*]}}"
            COMP_WORDS=(umol4 run --trap ""); COMP_CWORD=3; _umol4; echo "trap: ${{COMPREPLY[*]}}"
            COMP_WORDS=(umol4 r); COMP_CWORD=1; _umol4; echo "command: ${{COMPREPLY[*]}}"
            """)
        p = subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("options: --trap", p.stdout)
        self.assertIn("trap: signal ptrace", p.stdout)
        self.assertIn("command: run", p.stdout)

    def build_program(self, name, arch, source, text):
        """The image of a one-source program built against the SDK."""
        p = self.configure("cmake_minimum_required(VERSION 3.20)\nproject(p NONE)\nfind_package(UMOL4 REQUIRED)\n"
                           f"umol4_add_program({name} ARCH {arch} SOURCES {source})\n", {source: text})
        self.assertEqual(p.returncode, 0, p.stdout)
        build = os.path.join(self.project, "build")
        p = subprocess.run(["cmake", "--build", build], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 0, p.stdout)
        return os.path.join(build, "l4", name)

    def run_box(self, arch, image, input="", stderr=subprocess.PIPE):
        """The installed umol4 on the arch's sigma0 and `image`."""
        sigma0 = os.path.join(self.sdk, "lib", "umol4", arch, "sigma0")
        return subprocess.run([os.path.join(self.sdk, "bin", "umol4"), "run", "--timeout", "600", sigma0, image],
                              env=self.env, input=input, stdout=subprocess.PIPE, stderr=stderr, text=True,
                              timeout=900)

    def run_on_terminal(self, arch, image, prompt, answer):
        """The installed umol4 as run_box, on a pseudo-terminal: `answer`
        is typed once `prompt` has shown.  Returns the exit code and all
        the terminal showed."""
        sigma0 = os.path.join(self.sdk, "lib", "umol4", arch, "sigma0")
        master, slave = os.openpty()
        p = subprocess.Popen([os.path.join(self.sdk, "bin", "umol4"), "run", "--timeout", "600", sigma0, image],
                             stdin=slave, stdout=slave, stderr=slave, env=self.env, start_new_session=True)
        os.close(slave)
        shown, typed = b"", False
        while True:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if p.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the last process on the terminal has ended
                break
            if not chunk:
                break
            shown += chunk
            if not typed and prompt in shown:
                os.write(master, answer)
                typed = True
        os.close(master)
        return p.wait(timeout=900), shown.decode(errors="replace")

    def configure(self, cmakelists, files=None):
        project = self.project = tempfile.mkdtemp(dir=self.home)
        files = dict(files or {}, **{"CMakeLists.txt": cmakelists, "p.c": "int main(void) { return 0; }\n"})
        for name, text in files.items():
            with open(os.path.join(project, name), "w") as f:
                f.write(text)
        return subprocess.run(["cmake", "-S", project, "-B", os.path.join(project, "build"),
                               f"-DCMAKE_PREFIX_PATH={self.sdk}"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    def test_a_rust_panic_is_reported_and_fails_the_box(self):
        crate = textwrap.dedent("""\
            #![no_std]
            #![no_main]
            extern crate umol4_rt as l4;
            fn main() -> i32 {
                let words = [1usize, 2, 3];
                let i = l4::ThreadId::myself().version() + 6; // beyond the array, unknown to the compiler
                l4::println!("reading word {}", i);
                words[i] as i32
            }
            l4::entry!(main);
            """)
        image = self.build_program("oops", "x86_64", "main.rs", crate)
        p = self.run_box("x86_64", image, stderr=subprocess.STDOUT)
        self.assertEqual(p.returncode, 3, p.stdout)  # the kernel debugger was entered
        self.assertIn("reading word 7", p.stdout)
        self.assertRegex(p.stdout, r"panic in thread \d+\.1: .*index out of bounds: the len is 3 but the index is 7")

    def test_rust_calls_give_their_results_and_the_l4_errors(self):
        crate = textwrap.dedent("""\
            #![no_std]
            #![no_main]
            extern crate umol4_rt as l4;
            use l4::{thread, ThreadId, Time};
            fn main() -> i32 {
                let me = ThreadId::myself();
                let regs = thread::read_registers(ThreadId::my_local()).expect("read_registers");
                l4::println!("exregs: {} is {}", ThreadId::my_local(), regs.thread);
                let none = thread::read_registers(ThreadId::global(me.number() + 40, 1));
                l4::println!("exregs on no thread: {:?}", none.err());
                l4::ipc::sleep(Time::period(2000));
                l4::println!("a page: {:?}", l4::sigma0::any_page(12).map(|f| f.size_log2()));
                0
            }
            l4::entry!(main);
            """)
        for arch in ("x86_64", "ia32"):  # (ia32's calls pass every general register)
            p = self.run_box(arch, self.build_program(f"calls-{arch}", arch, "main.rs", crate))
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertRegex(p.stdout, r"exregs: 0x[0-9a-f]+ is \d+\.1\n")
            self.assertIn("exregs on no thread: Some(InvalidThread)", p.stdout)
            self.assertIn("a page: Some(12)", p.stdout)

    def test_another_cpus_box_runs_in_its_vm_with_the_console_both_ways(self):
        program = textwrap.dedent("""\
            #include <l4/l4.h>
            #include <l4io.h>
            int main(void)
            {
                printf("type a word: ");
                char word[16];
                unsigned n = 0;
                for (int c = getc(); c != '\\n' && n < sizeof word - 1; c = getc())
                    word[n++] = (char)c;
                word[n] = 0;
                printf("\\n%s read \\"%s\\"\\n", L4_ARCH_NAME, word);
                L4_KDB_Enter("done");
                return 0;
            }
            """)
        image = self.build_program("echo", "riscv64", "echo.c", program)
        p = self.run_box("riscv64", image, input="umol4\n")
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)  # the kernel debugger, in the VM
        self.assertIn('riscv64 read "umol4"', p.stdout)
        self.assertIn("kernel debugger entered", p.stdout)
        for boot_word in ("OpenSBI", "Linux version", "umol4-vm"):  # none of the VM's own
            self.assertNotIn(boot_word, p.stdout)
        # On a terminal: the word is typed once the prompt shows, Enter
        # ends the line.
        code, out = self.run_on_terminal("riscv64", image, prompt=b"type a word: ", answer=b"tty\r")
        self.assertEqual(code, 3, out)
        self.assertIn('riscv64 read "tty"', out)
        self.assertNotIn("umol4-vm", out)

    def test_a_program_for_an_arch_without_a_kit_is_refused_at_configure_time(self):
        p = self.configure("cmake_minimum_required(VERSION 3.20)\nproject(p C)\nfind_package(UMOL4 REQUIRED)\n"
                           "umol4_add_program(p ARCH mips SOURCES p.c)\n")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("no mips kit installed (installed:", p.stdout)

    def test_the_package_lists_every_arch_built_and_finds_umol4(self):
        p = self.configure("cmake_minimum_required(VERSION 3.20)\nproject(p C)\nfind_package(UMOL4 0.1 REQUIRED)\n"
                           "message(STATUS \"arches: ${UMOL4_ARCHES} | umol4: ${UMOL4_EXECUTABLE}\")\n")
        self.assertEqual(p.returncode, 0, p.stdout)
        arches = re.search(r"arches: (\S*) \|", p.stdout).group(1).split(";")
        self.assertIn("x86_64", arches)
        self.assertIn("ia32", arches)
        self.assertIn(f"umol4: {self.sdk}/bin/umol4", p.stdout)


if __name__ == "__main__":
    unittest.main()
