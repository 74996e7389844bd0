"""Integration tests of box files: `umol4 run box.toml` boots what the file
describes, as the same options and images on the command line would, and
refuses a file it cannot take with one line that says where.

Environment as for test_umol4."""
import os
import re
import tempfile
import textwrap
import unittest

from test_umol4 import Box, l4


class BootsFromABoxFile(Box):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def box_file(self, text, name="box.toml"):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        return path

    def test_the_box_file_gives_options_images_and_their_arguments(self):
        with open(os.path.join(self.dir.name, "greeting.txt"), "w") as f:
            f.write("hello from a module\n")
        box = self.box_file(f"""\
            # a box of one's own
            name = "filed"
            memory = "16M"
            cpus = 2
            sigma0 = "{l4('sigma0')} verbose"
            root = {{ path = "{l4('test-boot_info')}", args = ["-x", "two"] }}

            [[module]]
            path = "greeting.txt"   # beside the box file
            args = ["size=20"]
            """)
        p = self.run_box("run", box)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"sigma0: 1[0-9]{4} KiB conventional memory")
        lines = [line for line in p.stdout.splitlines() if line.startswith("boot-info:")]
        self.assertRegex(lines[2], r'^boot-info: program "%s -x two" entry' % re.escape(l4("test-boot_info")))
        greeting = os.path.join(self.dir.name, "greeting.txt")
        self.assertIn(f'boot-info: module "{greeting} size=20" 20 bytes', lines)

    def test_the_command_line_adds_options_and_wins_over_the_file(self):
        box = self.box_file(f"""\
            memory = 64
            cpus = 3
            sigma0 = "{l4('sigma0')}"
            root = "{l4('hello')}"
            """)
        small = self.run_box("run", "-m", "8", box)
        large = self.run_box("run", box)
        self.assertEqual((small.returncode, large.returncode), (0, 0), small.stderr + large.stderr)
        kib = [int(re.search(r"sigma0: (\d+) KiB conventional", p.stdout).group(1)) for p in (small, large)]
        self.assertLess(kib[0], 8 * 1024)
        self.assertGreater(kib[1], 32 * 1024)
        self.assertRegex(large.stdout, r"kernel: .*, 3 processor\(s\)")
        quiet = self.run_box("run", box, "-q", "--timeout", "60")
        self.assertEqual((quiet.returncode, quiet.stderr), (0, ""))

    def test_a_flag_counts_and_turns_on_with_true(self):
        box = self.box_file(f"""\
            verbose = 1
            deterministic = true
            sigma0 = "{l4('sigma0')}"
            root = "{l4('hello')}"
            """)
        p = self.run_box("run", box)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("box stopped after", p.stderr)  # info, from verbose = 1

    def test_a_box_file_it_cannot_take_is_refused_with_where(self):
        cases = [
            ('sigma0 = "x"\nroot = "y"\nmemroy = "16M"\n', "box.toml:3:10: unknown key 'memroy'"),
            (f'sigma0 = "{l4("sigma0")}"\n', "no root"),
            ('sigma0 = "x"\nroot = [1, 2]\n', "box.toml:2:8: root: an image is"),
            ('sigma0 = "x"\nroot = { path = "y", args = ["two words"] }\n', "each argument a word"),
            ('sigma0 = "x"\nroot = "y"\ncpus = "many"\n', "--cpus"),
            ('sigma0 = "x"\nroot = "y"\ndeterministic = "yes"\n', "deterministic: true or false"),
            ('sigma0 = "x\nroot = "y"\n', "box.toml:1:"),
            (f'sigma0 = "{l4("sigma0")}"\nroot = "missing-root"\n', "missing-root"),
        ]
        for text, mention in cases:
            with self.subTest(text=text):
                box = self.box_file(text)
                p = self.run_box("run", box)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn(mention, p.stderr)
                self.assertEqual(p.stdout, "")
        self.refused(os.path.join(self.dir.name, "absent.toml"), mention="absent.toml")


if __name__ == "__main__":
    unittest.main()
