"""Renders an arch's register convention as a Markdown table (docs/abi/
carries these tables; a test checks they match the description)."""
from __future__ import annotations

from model import Arch


def _regs(params) -> list[str]:
    return [f"{p.name} {'/'.join(p.regs)}" for p in params if p.regs]


def convention_table(arch: Arch) -> str:
    rows = ["| call | inputs | outputs |", "|---|---|---|"]
    for c in arch.calls:
        ins, outs = _regs(c.ins), _regs(c.outs)
        if c.mr_in:
            ins.append(f"MR0-{len(c.mr_in) - 1} {' '.join(c.mr_in)}")
        if c.mr_out:
            outs.append(f"MR0-{len(c.mr_out) - 1} {' '.join(c.mr_out)}")
        rows.append(f"| {c.name} | {', '.join(ins) or '-'} | {', '.join(outs) or '-'} |")
    return "\n".join(rows) + "\n"
