#!/usr/bin/env python3
"""Keeps the line counts in docs/porting.md true: every table row whose first
cell names a per-arch file (`...<arch>...`, globs allowed) gets the lines of
that file for each arch its table's header names ("lines (aarch64 /
riscv64)"), and "About N lines in all" after a table is that table's sum.

  python3 docs/line_counts.py          rewrites porting.md
  python3 docs/line_counts.py --check  fails (exit 1) if it is stale
"""
from __future__ import annotations

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "porting.md"
HEADER = re.compile(r"^\| file \| lines \(([a-z0-9_ /]+)\) \|")
ROW = re.compile(r"^\| `([^`]*<arch>[^`]*)` \| ([^|]*) \|")
TOTAL = re.compile(r"About \d+ lines in all")


def lines_of(pattern: str, arch: str) -> int:
    files = sorted(ROOT.glob(pattern.replace("<arch>", arch)))
    if not files:
        raise SystemExit(f"line_counts: no file matches {pattern} for {arch}")
    return sum(len(f.read_text().splitlines()) for f in files)


def updated(text: str) -> str:
    out: list[str] = []
    arches: list[str] = []
    total = 0
    for line in text.splitlines():
        if m := HEADER.match(line):
            arches = [a.strip() for a in m.group(1).split("/")]
            total = 0
        elif arches and (m := ROW.match(line)):
            counts = [lines_of(m.group(1), a) for a in arches]
            total += counts[-1]
            line = line[: m.start(2)] + " / ".join(map(str, counts)) + line[m.end(2):]
        elif arches and not line.startswith("|") and TOTAL.search(line):
            line = TOTAL.sub(f"About {round(total, -1)} lines in all", line)
        out.append(line)
    return "\n".join(out) + "\n"


def main() -> int:
    text = DOC.read_text()
    new = updated(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            print("docs/porting.md: line counts are stale; run python3 docs/line_counts.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
