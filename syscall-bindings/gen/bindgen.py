#!/usr/bin/env python3
"""UMOL4 syscall-binding generator: reads x2.toml and arch/*.toml, writes the
user C header, the KIP stubs, the core's decoders/encoders, the round-trip
tests and the Rust crate."""
from __future__ import annotations

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import emit_c  # noqa: E402
import emit_core  # noqa: E402
import emit_rust  # noqa: E402
import emit_stub  # noqa: E402
import emit_test  # noqa: E402
from model import DescriptionError, load_all  # noqa: E402


def write(path: pathlib.Path, text: str) -> None:
    """Writes only on change, so builds depending on the file stay quiet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True, type=pathlib.Path, help="output directory")
    ap.add_argument("--user-arch", help="arch whose user headers, stubs and tests to emit")
    ap.add_argument("--core-arch", action="append", default=[],
                    help="arch whose core decoder to emit (repeatable)")
    ap.add_argument("--rust", action="store_true", help="emit the Rust crate")
    args = ap.parse_args()
    try:
        interface, arches = load_all()
    except DescriptionError as e:
        print(f"bindgen: {e}", file=sys.stderr)
        return 1
    by_name = {a.name: a for a in arches}
    for name in args.core_arch + ([args.user_arch] if args.user_arch else []):
        if name not in by_name:
            print(f"bindgen: unknown arch '{name}' (have: {', '.join(by_name)})", file=sys.stderr)
            return 1
    out = args.out
    write(out / "include/umol4/gen/syscall_frame.hpp", emit_core.emit_frame(interface, arches))
    for name in set(args.core_arch + ([args.user_arch] if args.user_arch else [])):
        write(out / f"include/umol4/gen/arch/{name}/syscall_abi.hpp", emit_core.emit_arch(interface, by_name[name]))
    for name in args.core_arch:
        write(out / f"stubs/{name}/kip_stubs.S", emit_stub.emit_stubs(by_name[name]))
    if args.user_arch:
        a = by_name[args.user_arch]
        write(out / "include/l4/gen/abi.h", emit_c.emit_header(interface, a))
        write(out / "src/l4_entries.c", emit_c.emit_entries_source(a))
        write(out / f"stubs/{a.name}/kip_stubs.S", emit_stub.emit_stubs(a))
        write(out / f"stubs/{a.name}/kip_stubs_test.S", emit_stub.emit_stubs(a, test=True))
        write(out / f"tests/roundtrip_{a.name}.cpp", emit_test.emit_test(interface, a))
    if args.rust:
        for rel, text in emit_rust.emit_crate(interface, arches).items():
            write(out / "rust" / rel, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
