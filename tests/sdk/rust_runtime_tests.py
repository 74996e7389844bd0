"""Host unit tests of the Rust runtime crate (runtime/rust): its value types
and message helpers against the X.2 layouts, compiled with `rustc --test`
by the SDK's rustc over this build's generated bindings.

Usage: rust_runtime_tests.py RUSTC GENERATED_LIB_RS RUNTIME_LIB_RS"""
import subprocess
import sys
import tempfile


def main():
    rustc, bindings, runtime = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="umol4-rt-test-") as tmp:
        common = ["--edition", "2021", "--out-dir", tmp]
        subprocess.run([rustc, "--crate-type", "rlib", "--crate-name", "umol4_x2", bindings] + common, check=True)
        subprocess.run([rustc, "--test", "--crate-name", "umol4_rt", runtime,
                        "--extern", f"umol4_x2={tmp}/libumol4_x2.rlib"] + common, check=True)
        sys.exit(subprocess.run([f"{tmp}/umol4_rt"]).returncode)


if __name__ == "__main__":
    main()
