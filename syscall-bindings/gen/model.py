"""Loads the syscall description, validates it, and derives per-arch views."""
from __future__ import annotations

import dataclasses
import json
import pathlib
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


class DescriptionError(Exception):
    pass


@dataclasses.dataclass
class Param:
    name: str
    kind: str               # word | thread_id | clock | utcb
    regs: tuple[str, ...]   # () = not passed in registers on this arch


@dataclasses.dataclass
class ArchCall:
    name: str
    doc: str
    index: int              # position in the interface (Syscall enum value)
    kip_word: int | None    # None: reached by an instruction, not a stub
    ins: list[Param]
    outs: list[Param]
    mrs: bool
    mr_in: list[str]
    mr_out: list[str]
    clobber: list[str]
    slot: int | None = None  # stub slot (order of kip_word)
    # inputs the trap instruction would destroy: the stub parks them in a
    # free register first, so at the trap value 'src' is found in 'dst'
    park: dict[str, str] = dataclasses.field(default_factory=dict)

    def trap_reg(self, reg: str) -> str:
        return self.park.get(reg, reg)

    def in_regs(self) -> list[str]:
        return [r for p in self.ins for r in p.regs]

    def out_regs(self) -> list[str]:
        return [r for p in self.outs for r in p.regs]

    def used_regs(self) -> list[str]:
        seen: list[str] = []
        for r in self.in_regs() + self.out_regs() + self.mr_in + self.mr_out:
            if r not in seen:
                seen.append(r)
        return seen


@dataclasses.dataclass
class Arch:
    raw: dict
    name: str
    word_bits: int
    calls: list[ArchCall]

    @property
    def word_bytes(self) -> int:
        return self.word_bits // 8

    def reg(self, name: str) -> str:
        """A register as assembler text (x86 writes %rax)."""
        return self.raw["user"].get("reg_prefix", "") + name

    @property
    def regset(self) -> list[str]:
        return self.raw["regset"]["names"]

    def call(self, name: str) -> ArchCall:
        return next(c for c in self.calls if c.name == name)

    def stub_calls(self) -> list[ArchCall]:
        return sorted((c for c in self.calls if c.kip_word is not None), key=lambda c: c.slot)


def _load_toml(path: pathlib.Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def _validate_schema(doc: dict, where: str) -> None:
    try:
        import jsonschema
    except ImportError as e:  # pragma: no cover - the build installs it
        raise DescriptionError("python3-jsonschema is required to validate the description") from e
    schema = json.loads((ROOT / "schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        lines = [f"{where}: {'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]]
        raise DescriptionError("\n".join(lines))


def load_interface(path: pathlib.Path | None = None) -> dict:
    path = path or ROOT / "x2.toml"
    doc = _load_toml(path)
    _validate_schema({"interface": doc}, str(path))
    names = [c["name"] for c in doc["call"]]
    if len(set(names)) != len(names):
        raise DescriptionError(f"{path}: duplicate call names")
    words = [c["kip_word"] for c in doc["call"] if "kip_word" in c]
    if len(set(words)) != len(words):
        raise DescriptionError(f"{path}: two calls share a KIP word")
    for c in doc["call"]:
        entry = c.get("entry", "kip")
        if (entry == "kip") != ("kip_word" in c):
            raise DescriptionError(f"{path}: {c['name']}: kip entries need kip_word, instructions must not have one")
    for table in ("error", "ipc_error"):
        for key in ("name", "code"):
            values = [e[key] for e in doc[table]]
            if len(set(values)) != len(values):
                raise DescriptionError(f"{path}: two {table} entries share a {key}")
    check_layouts(doc["layout"], str(path))
    return doc


def check_layouts(layouts: list[dict], where: str) -> None:
    """Fields of a layout fit in 32 bits (the narrowest word) and do not
    overlap; a field of width 0 runs to the word's top."""
    for layout in layouts:
        used = 0
        for f in layout["fields"]:
            top = 32 if f["width"] == 0 else f["lsb"] + f["width"]
            if top > 32:
                raise DescriptionError(f"{where}: layout {layout['name']}: {f['name']} runs past bit 31")
            bits = ((1 << top) - 1) & ~((1 << f["lsb"]) - 1)
            if bits & used:
                raise DescriptionError(f"{where}: layout {layout['name']}: {f['name']} overlaps another field")
            used |= bits


def arch_names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "arch").glob("*.toml"))


def load_arch(name: str, interface: dict, path: pathlib.Path | None = None) -> Arch:
    path = path or ROOT / "arch" / f"{name}.toml"
    return arch_from_dict(_load_toml(path), interface, str(path))


def arch_from_dict(raw: dict, interface: dict, where: str) -> Arch:
    """Validates one arch description (already parsed) against the interface."""
    _validate_schema({"arch": raw}, where)
    regset = raw["regset"]["names"]
    gprs = raw["regset"]["gprs"]

    def check_reg(r: str, what: str) -> None:
        if r not in regset or r not in gprs:
            raise DescriptionError(f"{where}: {what}: '{r}' is not a general register of the regset")

    for r in raw["stub"]["trap_clobbers"] + raw["user"]["call_clobbers"]:
        check_reg(r, "clobber list")

    calls: list[ArchCall] = []
    for index, ic in enumerate(interface["call"]):
        name_ = ic["name"]
        if ic.get("entry") == "instruction":
            ac = {"out": raw["kernel_interface"]["out"]}
        else:
            ac = raw["call"].get(name_)
            if ac is None:
                raise DescriptionError(f"{where}: no register convention for {name_}")
        amap_in, amap_out = ac.get("in", {}), ac.get("out", {})
        for key, names in (("in", amap_in), ("out", amap_out)):
            known = {p["name"] for p in ic.get(key, [])}
            for n in names:
                if n not in known:
                    raise DescriptionError(f"{where}: {name_}.{key}: '{n}' is not a parameter of {name_}")

        def params(key: str, amap: dict) -> list[Param]:
            out: list[Param] = []
            for p in ic.get(key, []):
                regs = amap.get(p["name"], ())
                regs = (regs,) if isinstance(regs, str) else tuple(regs)
                if not regs and p["kind"] != "utcb":
                    raise DescriptionError(f"{where}: {name_}: parameter '{p['name']}' has no register")
                want = 2 if p["kind"] == "clock" and raw["word_bits"] == 32 else 1
                if regs and len(regs) != want:
                    raise DescriptionError(f"{where}: {name_}.{p['name']}: needs {want} register(s)")
                for r in regs:
                    check_reg(r, f"{name_}.{p['name']}")
                out.append(Param(p["name"], p["kind"], regs))
            return out

        ins, outs = params("in", amap_in), params("out", amap_out)
        mr_in, mr_out = list(ac.get("mr_in", [])), list(ac.get("mr_out", []))
        if (mr_in or mr_out) and not ic.get("mrs"):
            raise DescriptionError(f"{where}: {name_} carries no message registers")
        for r in mr_in + mr_out + ac.get("clobber", []):
            check_reg(r, name_)
        in_regs = [r for p in ins for r in p.regs] + mr_in
        if len(set(in_regs)) != len(in_regs):
            raise DescriptionError(f"{where}: {name_}: a register carries two inputs")
        out_regs = [r for p in outs for r in p.regs] + mr_out
        if len(set(out_regs)) != len(out_regs):
            raise DescriptionError(f"{where}: {name_}: a register carries two outputs")
        for r in in_regs + out_regs:
            if r == raw["user"].get("frame_pointer") and "fp_enter" not in raw["user"]:
                raise DescriptionError(f"{where}: {name_}: '{r}' is the frame pointer and the arch has no fp_enter")
            if r == raw["regset"]["sp"]:
                raise DescriptionError(f"{where}: {name_}: the stack pointer cannot carry values")
            if r in raw["user"]["call_clobbers"]:
                raise DescriptionError(f"{where}: {name_}: '{r}' is destroyed by the call into the stub")
        for r in out_regs if "kip_word" in ic else []:
            if r in raw["stub"]["trap_clobbers"]:
                raise DescriptionError(f"{where}: {name_}: output in '{r}', which the trap destroys")
        calls.append(ArchCall(name_, ic["doc"], index, ic.get("kip_word"), ins, outs,
                              bool(ic.get("mrs")), mr_in, mr_out, list(ac.get("clobber", []))))
    for extra in raw["call"]:
        if extra not in {c["name"] for c in interface["call"]}:
            raise DescriptionError(f"{where}: convention for unknown call {extra}")
    _plan_parking(raw, calls, where)
    for slot, c in enumerate(sorted((c for c in calls if c.kip_word is not None), key=lambda c: c.kip_word)):
        c.slot = slot
    _check_trap_encodings(raw, where)
    lx = raw["linux"]
    for r in [lx["number"], lx["result"], lx["batch_cursor"], *lx["args"], *[lx[k] for k in ("no_restart", "thread_pointer") if k in lx], *lx.get("own_mode", {})]:
        if r not in regset:
            raise DescriptionError(f"{where}: linux: '{r}' is not in the regset")
    return Arch(raw, raw["name"], raw["word_bits"], calls)


def _check_trap_encodings(raw: dict, where: str) -> None:
    """Patterns whose bits lie under their mask and within their bytes; the
    op field inside its instruction; the message of an enter either in the
    kdebug argument register or in an immediate of the pattern."""
    kd = raw["kdebug"]
    rec = kd["recognise"]
    pats = [("kernel_interface.recognise", raw["kernel_interface"].get("recognise"))]
    pats += [(f"kdebug.recognise.breakpoints[{i}]", b) for i, b in enumerate(rec["breakpoints"])]
    pats += [("kdebug.recognise.op", rec["op"]), ("kdebug.recognise.enter_message", rec["enter_message"])]
    for what, p in pats:
        if p is None:
            continue
        if p["bits"] & ~p["mask"] or p["mask"] >> (8 * p["bytes"]):
            raise DescriptionError(f"{where}: {what}: bits outside the mask or the mask wider than {p['bytes']} bytes")
    op = rec["op"]
    if op["shift"] + op["width"] > 8 * op["bytes"] or op["base"] >= op["end"]:
        raise DescriptionError(f"{where}: kdebug.recognise.op: the field leaves the instruction or base >= end")
    msg = rec["enter_message"]
    if (kd["enter_arg"] == "immediate") != ("immediate_at" in msg):
        raise DescriptionError(f"{where}: kdebug.recognise.enter_message: an immediate exactly when enter_arg is \"immediate\"")
    if "immediate_at" in msg and "immediate_bytes" not in msg:
        raise DescriptionError(f"{where}: kdebug.recognise.enter_message: immediate_at without immediate_bytes")
    if (rec["op"].get("after_breakpoint") or msg.get("after_breakpoint")) and not rec["breakpoints"]:
        raise DescriptionError(f"{where}: kdebug.recognise: after_breakpoint with no breakpoint instruction")


def _plan_parking(raw: dict, calls: list[ArchCall], where: str) -> None:
    doomed = raw["stub"]["trap_clobbers"]
    excluded = set(doomed) | set(raw["user"]["call_clobbers"]) | {raw["regset"]["sp"]}
    for c in calls:
        if c.kip_word is None:
            continue
        free = [g for g in raw["regset"]["gprs"]
                if g not in excluded and g not in c.used_regs() and g not in c.clobber]
        for r in c.in_regs() + c.mr_in:
            if r in doomed:
                if not free:
                    raise DescriptionError(f"{where}: {c.name}: no free register to park '{r}'")
                c.park[r] = free.pop(0)


def load_all() -> tuple[dict, list[Arch]]:
    interface = load_interface()
    return interface, [load_arch(n, interface) for n in arch_names()]


def max_counts(interface: dict, arches: list[Arch]) -> tuple[int, int, int]:
    """Largest number of inputs, outputs and register-borne MRs of any call."""
    max_in = max(len(c.get("in", [])) for c in interface["call"])
    max_out = max(len(c.get("out", [])) for c in interface["call"])
    max_mr = max(max(len(c.mr_in), len(c.mr_out)) for a in arches for c in a.calls)
    return max_in, max_out, max_mr
