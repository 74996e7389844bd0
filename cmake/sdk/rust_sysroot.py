"""Builds the Rust sysroot of one arch's L4 program kit: core (from the
toolchain's own rust-src), the compiler_builtins marker crate, the X.2
bindings and the runtime crate, as rlibs in <sysroot>/lib/rustlib/<target>/lib.

Programs then name the runtime with `extern crate umol4_rt;` and build with
`--sysroot <sysroot> --target <target>` (the kit's rustflags)."""
import argparse
import os
import shutil
import subprocess
import sys

# rlibs every crate of the kit is built with: the L4 programs' code model
# (static, non-PIE images) and no unwinding (nothing could catch it).
FLAGS = ["-C", "opt-level=2", "-C", "panic=abort", "-C", "relocation-model=static", "-C", "debuginfo=1"]


def rustc(args, tool, env):
    cmd = [tool] + args
    p = subprocess.run(cmd, env=env)
    if p.returncode:
        sys.exit(f"rust_sysroot: failed: {' '.join(cmd)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rustc", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--sysroot", required=True)
    ap.add_argument("--bindings", required=True, help="the generated crate's lib.rs")
    ap.add_argument("--runtime", required=True, help="the runtime crate's lib.rs")
    ap.add_argument("--builtins", required=True, help="the compiler_builtins marker's lib.rs")
    ap.add_argument("--stamp", required=True)
    a = ap.parse_args()

    src = subprocess.run([a.rustc, "--print", "sysroot"], capture_output=True, text=True, check=True).stdout.strip()
    core = os.path.join(src, "lib", "rustlib", "src", "rust", "library", "core", "src", "lib.rs")
    if not os.path.exists(core):
        sys.exit(f"rust_sysroot: {a.rustc} has no rust-src ({core}); Debian: apt-get install rust-src")
    out = os.path.join(a.sysroot, "lib", "rustlib", a.target, "lib")
    common = ["--target", a.target, "--edition", "2021", "--crate-type", "rlib", "--sysroot", a.sysroot,
              "--out-dir", out] + FLAGS
    # core takes a minute: it is rebuilt only for another compiler, target
    # or flags, or a changed marker crate.
    version = subprocess.run([a.rustc, "-vV"], capture_output=True, text=True, check=True).stdout
    built_by = version + " ".join(common) + "\n" + open(a.builtins).read()
    record = os.path.join(out, "core-built-by")
    if not os.path.exists(record) or open(record).read() != built_by:
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        # core and the marker use unstable features: the toolchain's own
        # sources are built as its bootstrap builds them.
        env = dict(os.environ, RUSTC_BOOTSTRAP="1")
        rustc(["--crate-name", "core", core] + common, a.rustc, env)
        rustc(["--crate-name", "compiler_builtins", a.builtins] + common, a.rustc, env)
        with open(record, "w") as f:
            f.write(built_by)
    env = dict(os.environ)
    env.pop("RUSTC_BOOTSTRAP", None)
    rustc(["--crate-name", "umol4_x2", a.bindings] + common, a.rustc, env)
    rustc(["--crate-name", "umol4_rt", a.runtime, "--extern", "umol4_x2=" + os.path.join(out, "libumol4_x2.rlib")]
          + common, a.rustc, env)
    with open(a.stamp, "w") as f:
        f.write(a.target + "\n")


if __name__ == "__main__":
    main()
