"""The SDK as a Debian package (issue K): cpack makes it from the build,
dpkg installs it (into a scratch root with its own package database, so
the test leaves the machine as it was), and its umol4 runs the default box
(sigma0 + hello) of x86_64 and of ia32 from where the package put them.

Environment: UMOL4_BUILD (the host build directory)."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

BUILD = os.environ.get("UMOL4_BUILD", "")


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BUILD:
            raise unittest.SkipTest("UMOL4_BUILD not set")
        cls.tmp = tempfile.mkdtemp(prefix="umol4-deb-")
        subprocess.run(["cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", cls.tmp], check=True,
                       stdout=subprocess.DEVNULL)
        debs = glob.glob(os.path.join(cls.tmp, "*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "--field", self.deb, name], check=True, stdout=subprocess.PIPE,
                              text=True).stdout.strip()

    def test_the_package_says_what_it_is_and_needs(self):
        self.assertEqual(self.field("Package"), "umol4")
        self.assertEqual(self.field("Architecture"), "amd64")
        for library in ("libspdlog1.10", "libfmt9", "libstdc++6"):
            self.assertIn(library, self.field("Depends"))
        # The Rust kit works with the rustc that built it alone.
        self.assertRegex(self.field("Recommends"), r"rustc \(= [^)]+\)")

    def test_dpkg_installs_it_and_its_umol4_runs_the_default_box(self):
        root = os.path.join(self.tmp, "root")
        admin = os.path.join(root, "var", "lib", "dpkg")
        for d in ("info", "updates", "triggers"):
            os.makedirs(os.path.join(admin, d), exist_ok=True)
        for f in ("status", "available"):
            open(os.path.join(admin, f), "w").close()
        # The scratch database knows none of the host's packages: the
        # dependencies (installed on this machine) are not checked there.
        p = subprocess.run(["dpkg", "--root", root, "--log=/dev/null", "--force-depends", "-i", self.deb],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 0, p.stdout)
        status = subprocess.run(["dpkg", "--root", root, "-s", "umol4"], stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("Status: install ok installed", status)
        umol4 = os.path.join(root, "usr", "bin", "umol4")
        for arch in ("x86_64", "ia32", "aarch64"):  # aarch64: in its VM, from the package's VM kit
            kit = os.path.join(root, "usr", "lib", "umol4", arch)
            box = subprocess.run([umol4, "run", os.path.join(kit, "sigma0"), os.path.join(kit, "hello")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
            self.assertEqual(box.returncode, 0, box.stderr)
            self.assertIn(f"hello from an L4 program ({arch}", box.stdout)
            self.assertIn("l4rt: main returned 0", box.stdout)
        for path in ("usr/share/man/man1/umol4.1", "usr/lib/cmake/UMOL4/UMOL4Config.cmake",
                     "usr/share/pkgconfig/umol4-ia32.pc", "usr/share/umol4/examples/c/ping.c",
                     "usr/share/umol4/examples/rust/src/main.rs", "usr/lib/umol4/riscv64/vm/Image"):
            self.assertTrue(os.path.exists(os.path.join(root, path)), path)


if __name__ == "__main__":
    unittest.main()
