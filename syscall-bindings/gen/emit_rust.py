"""Emits the Rust crate: the interface's constants, every arch's register
conventions as data, and system-call wrappers for the arches that have a
[rust] section (inline asm over a block of register values)."""
from __future__ import annotations

from asmtext import fill, rust_inline
from emit_stub import emit_stubs
from model import ROOT, Arch, ArchCall

RUST_TARGET_ARCH = {"x86_64": "x86_64", "ia32": "x86", "aarch64": "aarch64", "riscv64": "riscv64"}


def _const(name: str) -> str:
    return name.upper()


def _snake(name: str) -> str:
    out = ""
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out += "_"
        out += ch.lower()
    return out


def _str_list(items) -> str:
    return "&[" + ", ".join(f'"{x}"' for x in items) + "]"


def _interface(interface: dict) -> list[str]:
    calls = interface["call"]
    o = [f'pub const INTERFACE_VERSION: &str = "{interface["version"]}";', ""]
    o.append("/// The X.2 system calls.")
    o.append("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]")
    o.append("#[repr(u8)]")
    o.append("pub enum Syscall {")
    for i, c in enumerate(calls):
        o.append(f"    /// {c['doc']}")
        o.append(f"    {c['name']} = {i},")
    o.append("}\n")
    o.append("impl Syscall {")
    o.append(f"    pub const ALL: [Syscall; {len(calls)}] = [" + ", ".join(f"Syscall::{c['name']}" for c in calls) + "];")
    o.append("    pub const fn name(self) -> &'static str {")
    o.append("        match self {")
    for c in calls:
        o.append(f'            Syscall::{c["name"]} => "{c["name"]}",')
    o.append("        }")
    o.append("    }")
    o.append("    /// KIP word holding the call's entry; None for KernelInterface.")
    o.append("    pub const fn kip_word(self) -> Option<usize> {")
    o.append("        match self {")
    for c in calls:
        v = f"Some({c['kip_word']})" if "kip_word" in c else "None"
        o.append(f"            Syscall::{c['name']} => {v},")
    o.append("        }")
    o.append("    }")
    o.append("}\n")
    o.append("/// KIP fields: word index (byte offset = index * word size).")
    o.append("pub mod kip {")
    for k, v in interface["kip"].items():
        o.append(f"    pub const {_const(k)}: usize = {v};")
    o.append("}\n")
    o.append("/// Thread control registers: word index relative to MR0.")
    o.append("pub mod tcr {")
    for k, v in interface["utcb"].items():
        o.append(f"    pub const {_const(k)}: isize = {v};")
    o.append("}\n")
    o.append("/// ErrorCode after a failed ThreadControl, SpaceControl, Schedule, ...")
    o.append("pub mod error {")
    for e in interface["error"]:
        o.append(f"    /// {e['text']}")
        o.append(f"    pub const {_const(e['name'])}: usize = {e['code']};")
    o.append("}\n")
    o.append("/// IPC error codes: bits 1..3 of ErrorCode after a failed Ipc.")
    o.append("pub mod ipc_error {")
    for e in interface["ipc_error"]:
        o.append(f"    /// {e['text']}")
        o.append(f"    pub const {_const(e['name'])}: usize = {e['code']};")
    o.append("}\n")
    o.append("/// Bit layouts of the words calls and messages carry (x2.toml [[layout]]):")
    o.append("/// per field its shift, its mask in place, a getter and a setter.")
    o.append("pub mod layout {")
    for lay in interface["layout"]:
        o.append(f"    /// {lay['doc']}")
        o.append(f"    pub mod {lay['name']} {{")
        for f in lay["fields"]:
            n = f["name"]
            mask = f"!0usize << {f['lsb']}" if f["width"] == 0 else f"{(1 << f['width']) - 1:#x}usize << {f['lsb']}"
            o.append(f"        pub const {_const(n)}_SHIFT: u32 = {f['lsb']};")
            o.append(f"        pub const {_const(n)}_MASK: usize = {mask};")
            o.append(f"        pub const fn {n}(raw: usize) -> usize {{ (raw & {_const(n)}_MASK) >> {_const(n)}_SHIFT }}")
            o.append(f"        pub const fn set_{n}(raw: usize, v: usize) -> usize {{ (raw & !{_const(n)}_MASK) | ((v << {_const(n)}_SHIFT) & {_const(n)}_MASK) }}")
        o.append("    }")
    o.append("}\n")
    o.append("/// Kernel-debugger request codes.")
    o.append("pub mod kdebug {")
    for op in interface["kdebug"]:
        o.append(f"    pub const {_const(_snake(op['name']))}: u8 = 0x{op['op']:02x};")
    o.append("}\n")
    o.append("/// Where the values of one call travel on one arch.")
    o.append("#[derive(Debug)]")
    o.append("pub struct Convention {")
    o.append("    pub call: Syscall,")
    o.append("    /// (parameter, registers); no register: not passed on this arch")
    o.append("    pub inputs: &'static [(&'static str, &'static [&'static str])],")
    o.append("    pub outputs: &'static [(&'static str, &'static [&'static str])],")
    o.append("    pub mr_in: &'static [&'static str],")
    o.append("    pub mr_out: &'static [&'static str],")
    o.append("    /// inputs the stub moves out of registers the trap destroys: (from, to)")
    o.append("    pub parked: &'static [(&'static str, &'static str)],")
    o.append("}\n")
    return o


def _arch_module(arch: Arch) -> list[str]:
    raw = arch.raw
    o = [f"pub mod {arch.name} {{", "    use super::super::{Convention, Syscall};",
         f'    pub const NAME: &str = "{arch.name}";',
         f"    pub const WORD_BITS: u32 = {arch.word_bits};",
         f"    pub const UTCB_SIZE: usize = {raw['utcb_size']};",
         f"    pub const MR0_OFFSET: usize = {raw['mr0_offset']};",
         f"    pub const STUB_SLOT_BYTES: usize = {raw['stub']['slot_bytes']};",
         f"    pub const KIP_ENTRIES_RELATIVE: bool = {str(raw['kip_entries'] == 'kip_relative').lower()};",
         "    /// NT_PRSTATUS register set in ptrace order.",
         f"    pub const REGSET: &[&str] = {_str_list(arch.regset)};",
         "    /// Stub slot i holds the stub of STUB_SLOTS[i].",
         "    pub const STUB_SLOTS: &[Syscall] = &[" + ", ".join(f"Syscall::{c.name}" for c in arch.stub_calls()) + "];",
         "    pub const CONVENTIONS: &[Convention] = &["]
    for c in arch.calls:
        ins = ", ".join(f'("{p.name}", {_str_list(p.regs)})' for p in c.ins)
        outs = ", ".join(f'("{p.name}", {_str_list(p.regs)})' for p in c.outs)
        parked = ", ".join(f'("{a}", "{b}")' for a, b in c.park.items())
        o.append(f"        Convention {{ call: Syscall::{c.name}, inputs: &[{ins}], outputs: &[{outs}], "
                 f"mr_in: {_str_list(c.mr_in)}, mr_out: {_str_list(c.mr_out)}, parked: &[{parked}] }},")
    o.append("    ];")
    o.append("    pub fn convention(call: Syscall) -> &'static Convention {")
    o.append("        &CONVENTIONS[call as usize]")
    o.append("    }")
    o.append("}\n")
    return o


def _block_layout(call: ArchCall) -> list[str]:
    """Registers of a call in block order; slot 0 of the block is the entry."""
    return call.used_regs()


def _wrapper(arch: Arch, call: ArchCall) -> list[str]:
    rs = arch.raw["rust"]
    user = arch.raw["user"]
    wb = arch.word_bytes
    regs = _block_layout(call)
    # Where every general register carries a value (ia32's Ipc), the base
    # register is loaded last, the entry is called through the stack and the
    # block pointer comes back from it (the [rust] keep_* templates).
    kept = rs["base"] in regs
    if kept and "keep_base" not in rs:
        raise ValueError(f"{arch.name}: Rust base register {rs['base']} carries a value of {call.name}")
    slot = {r: i + 1 for i, r in enumerate(regs)}
    fn = _snake(call.name)
    args = [f"{p.name}: usize" for p in call.ins]
    nmr = max(len(call.mr_in), len(call.mr_out))
    if call.mrs:
        args.append("mr: &mut [usize]")
    out_fields = [(p.name, "u64" if p.kind == "clock" else "usize") for p in call.outs]
    ret = f" -> {call.name}Out" if out_fields else ""
    o = []
    if out_fields:
        o.append(f"    /// Results of {call.name}.")
        o.append("    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]")
        o.append(f"    pub struct {call.name}Out {{")
        for n, t in out_fields:
            o.append(f"        pub {n}: {t},")
        o.append("    }")
    o.append(f"    /// {call.doc}")
    o.append("    ///")
    o.append("    /// # Safety")
    o.append("    /// Traps into the kernel; the entries must have been set by `init_entries`.")
    o.append(f"    pub unsafe fn {fn}({', '.join(args)}){ret} {{")
    if call.mrs and nmr:
        o.append(f"        assert!(mr.len() >= {nmr});")
    o.append(f"        let mut block = [0usize; {len(regs) + 1}];")
    o.append(f"        block[0] = ENTRIES[{call.slot}];")
    for p in call.ins:
        if p.regs:
            o.append(f"        block[{slot[p.regs[0]]}] = {p.name};")
        else:
            o.append(f"        let _ = {p.name};")
    for i, r in enumerate(call.mr_in):
        o.append(f"        block[{slot[r]}] = mr[{i}];")
    base = arch.reg(rs["base"])
    lines: list[str] = []
    for r in rs["reserved"]:
        lines += rust_inline([rs["save"]], reg=arch.reg(r))
    lines += rust_inline([rs["set_base"]], ptr="{blk}", base=base)
    order = [r for r in regs if r != rs["base"]] + ([rs["base"]] if kept else [])
    if kept:
        lines += rust_inline(rs["keep_base"], base=base)
    for r in order:
        lines += rust_inline([user["load"]], off=slot[r] * wb, base=base, reg=arch.reg(r))
    lines += rust_inline(rs["call_kept"] if kept else rs["call"], base=base)
    for r in order:
        template = rs["store_kept"] if r == rs["base"] else user["store"]
        lines += rust_inline([template], off=slot[r] * wb, base=base, reg=arch.reg(r))
    for r in reversed(rs["reserved"]):
        lines += rust_inline([rs["restore"]], reg=arch.reg(r))
    clob = []
    for r in regs + arch.raw["stub"]["trap_clobbers"] + user["call_clobbers"] + call.clobber:
        if r not in rs["reserved"] and r not in clob:
            clob.append(r)
    o.append("        core::arch::asm!(")
    for line in lines:
        o.append(f'            "{line.strip()}",')
    o.append("            blk = in(reg) block.as_mut_ptr(),")
    for r in clob:
        o.append(f'            lateout("{r}") _,')
    if rs["options"]:
        o.append(f"            options({rs['options']}),")
    o.append("        );")
    for i, r in enumerate(call.mr_out):
        o.append(f"        mr[{i}] = block[{slot[r]}];")
    if out_fields:
        o.append(f"        {call.name}Out {{")
        for p in call.outs:
            if p.kind == "clock" and len(p.regs) == 2:
                o.append(f"            {p.name}: (block[{slot[p.regs[0]]}] as u64) | ((block[{slot[p.regs[1]]}] as u64) << 32),")
            elif p.kind == "clock":
                o.append(f"            {p.name}: block[{slot[p.regs[0]]}] as u64,")
            else:
                o.append(f"            {p.name}: block[{slot[p.regs[0]]}],")
        o.append("        }")
    o.append("    }\n")
    return o


def _sys_module(arch: Arch) -> list[str]:
    target = RUST_TARGET_ARCH[arch.name]
    rel = arch.raw["kip_entries"] == "kip_relative"
    stubs = arch.stub_calls()
    o = [f'/// System calls of this target ({arch.name}), through the KIP stubs.',
         f'#[cfg(target_arch = "{target}")]',
         "pub mod sys {",
         f"    use super::arch::{arch.name}::STUB_SLOTS;",
         "    /// The facts of this target's arch.",
         f"    pub use super::arch::{arch.name} as arch;",
         "    /// Stub addresses by slot, from the KIP.",
         f"    pub static mut ENTRIES: [usize; {len(stubs)}] = [0; {len(stubs)}];",
         "",
         "    /// Reads the syscall entries of the KIP at `kip`.",
         "    ///",
         "    /// # Safety",
         "    /// `kip` must point at a kernel interface page.",
         "    pub unsafe fn init_entries(kip: *const usize) {",
         "        for (slot, call) in STUB_SLOTS.iter().enumerate() {",
         "            let word = call.kip_word().unwrap_or(0);",
         "            let value = *kip.add(word);",
         f"            ENTRIES[slot] = {'kip as usize + value' if rel else 'value'};",
         "        }",
         "    }",
         ""]
    o += _utcb_pointer(arch)
    for c in stubs:
        o += _wrapper(arch, c)
    o.append("}\n")
    return o


def _utcb_pointer(arch: Arch) -> list[str]:
    """utcb(): this thread's UTCB, read as the arch's [user] utcb_pointer says."""
    options = ", ".join(x for x in (arch.raw["rust"]["options"], "readonly", "nostack", "preserves_flags") if x)
    o = ["    /// This thread's UTCB: the address of MR0, with the thread control",
         "    /// registers at negative word indices (`tcr`).",
         "    #[inline(always)]",
         "    pub fn utcb() -> *mut usize {",
         "        let u: usize;",
         "        // SAFETY: reads this thread's own thread register (on x86, the word",
         "        // its segment starts with); nothing is written.",
         "        unsafe {",
         "            core::arch::asm!("]
    for line in rust_inline([arch.raw["user"]["utcb_pointer"]], out="{u}"):
        o.append(f'                "{line.strip()}",')
    o += ["                u = out(reg) u,",
          f"                options({options}),",
          "            );",
          "        }",
          "        u as *mut usize",
          "    }",
          ""]
    return o


def _test_module(arches: list[Arch]) -> list[str]:
    """Host test: the x86_64 wrappers against an in-process kernel that reads
    and writes registers by the convention tables."""
    capture = (ROOT.parent / "tests" / "bindings" / "capture" / "x86_64.S").as_posix()
    return [
        '#[cfg(all(test, target_arch = "x86_64"))]',
        "mod tests;",
    ], {
        "src/tests.rs": _TEST_RS.replace("@CAPTURE@", capture),
    }


_TEST_RS = r'''//! Round trip on the host: every x86_64 wrapper through a test stub into an
//! in-process kernel that finds each value in the register the convention
//! table names and answers the same way.
use super::arch::x86_64::{convention, REGSET, STUB_SLOTS};
use super::sys;
use super::Syscall;

core::arch::global_asm!(include_str!("@CAPTURE@"), options(att_syntax));
// The generated test-variant KIP stubs: the same slots and parking as the
// real ones, with the trap replaced by a call of umol4_test_trap.
core::arch::global_asm!(include_str!("test_stubs.S"), options(att_syntax));

extern "C" {
    static umol4_kip_stubs_x86_64_test: u8;
}

// The trampoline and EXPECT are shared: one test at a time.
static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[no_mangle]
static mut umol4_test_regs: [u64; @NREGS@] = [0; @NREGS@];

struct Expect {
    call: Syscall,
    inputs: Vec<u64>,
    mr_in: Vec<u64>,
    outputs: Vec<u64>,
    mr_out: Vec<u64>,
    seen_inputs: Vec<u64>,
    seen_mr: Vec<u64>,
}

static mut EXPECT: Option<Expect> = None;

fn reg_index(name: &str) -> usize {
    REGSET.iter().position(|r| *r == name).expect("register in regset")
}

#[no_mangle]
extern "C" fn umol4_test_kernel(regs: *mut [u64; @NREGS@]) {
    unsafe {
        let regs = &mut *regs;
        let e = (*core::ptr::addr_of_mut!(EXPECT)).as_mut().unwrap();
        let conv = convention(e.call);
        let parked = |r: &'static str| -> &'static str {
            conv.parked.iter().find(|(a, _)| *a == r).map(|(_, b)| *b).unwrap_or(r)
        };
        for (_, regs_of) in conv.inputs {
            if let Some(r) = regs_of.first() {
                e.seen_inputs.push(regs[reg_index(parked(r))]);
            }
        }
        for r in conv.mr_in {
            e.seen_mr.push(regs[reg_index(parked(r))]);
        }
        for (i, (_, regs_of)) in conv.outputs.iter().enumerate() {
            regs[reg_index(regs_of[0])] = e.outputs[i];
        }
        for (i, r) in conv.mr_out.iter().enumerate() {
            regs[reg_index(r)] = e.mr_out[i];
        }
    }
}

fn setup(call: Syscall, seed: u64) {
    let conv = convention(call);
    let mut x = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x | 1
    };
    let e = Expect {
        call,
        inputs: conv.inputs.iter().map(|_| next()).collect(),
        mr_in: (0..64).map(|_| next()).collect(),
        outputs: conv.outputs.iter().map(|_| next()).collect(),
        mr_out: conv.mr_out.iter().map(|_| next()).collect(),
        seen_inputs: Vec::new(),
        seen_mr: Vec::new(),
    };
    unsafe {
        *core::ptr::addr_of_mut!(EXPECT) = Some(e);
        let base = core::ptr::addr_of!(umol4_kip_stubs_x86_64_test) as usize;
        for slot in 0..STUB_SLOTS.len() {
            sys::ENTRIES[slot] = base + slot * super::arch::x86_64::STUB_SLOT_BYTES;
        }
    }
}

fn expect() -> &'static Expect {
    unsafe { (*core::ptr::addr_of!(EXPECT)).as_ref().unwrap() }
}

fn check_inputs(call: Syscall) {
    let conv = convention(call);
    let e = expect();
    let passed: Vec<u64> = conv
        .inputs
        .iter()
        .zip(&e.inputs)
        .filter(|((_, regs), _)| !regs.is_empty())
        .map(|(_, v)| *v)
        .collect();
    assert_eq!(e.seen_inputs, passed, "{} inputs", call.name());
    assert_eq!(e.seen_mr, e.mr_in[..conv.mr_in.len()].to_vec(), "{} MRs in", call.name());
}

@TESTS@
'''


def _rust_tests(arch: Arch) -> str:
    out = []
    for c in arch.stub_calls():
        fn = _snake(c.name)
        args = [f"e.inputs[{i}] as usize" for i in range(len(c.ins))]
        out.append("#[test]")
        out.append(f"fn {fn}_values_reach_the_kernel_and_results_the_caller() {{")
        out.append("    let _serial = LOCK.lock().unwrap_or_else(|e| e.into_inner());")
        out.append(f"    setup(Syscall::{c.name}, {c.index + 1});")
        out.append("    let e = expect();")
        if c.mrs:
            out.append("    let mut mr: Vec<usize> = e.mr_in.iter().map(|v| *v as usize).collect();")
            args.append("&mut mr")
        call = f"unsafe {{ sys::{fn}({', '.join(args)}) }}"
        if c.outs:
            out.append(f"    let r = {call};")
        else:
            out.append(f"    {call};")
        out.append(f"    check_inputs(Syscall::{c.name});")
        for i, p in enumerate(c.outs):
            out.append(f"    assert_eq!(r.{p.name} as u64, e.outputs[{i}], \"{p.name}\");")
        if c.mrs:
            out.append("    for (i, v) in mr.iter().enumerate() {")
            out.append(f"        let want = e.mr_out.get(i).copied().unwrap_or(e.mr_in[i]);")
            out.append("        assert_eq!(*v as u64, want, \"MR{} out\", i);")
            out.append("    }")
        out.append("}\n")
    return "\n".join(out)


def emit_crate(interface: dict, arches: list[Arch]) -> dict[str, str]:
    lib = ["//! L4 X.2 bindings for UMOL4, generated from syscall-bindings/x2.toml and",
           "//! arch/*.toml (do not edit).  No dependencies; `no_std` outside tests.",
           "#![cfg_attr(not(test), no_std)]",
           "#![allow(clippy::missing_safety_doc)]", ""]
    lib += _interface(interface)
    lib.append("/// Register conventions of every arch, as data.")
    lib.append("pub mod arch {")
    for a in arches:
        lib += ["    " + l if l else l for l in _arch_module(a)]
    lib.append("}\n")
    for a in arches:
        if "rust" in a.raw:
            lib += _sys_module(a)
    test_decl, files = _test_module(arches)
    lib += test_decl
    x86 = next(a for a in arches if a.name == "x86_64")
    files["src/tests.rs"] = (files["src/tests.rs"].replace("@TESTS@", _rust_tests(x86))
                             .replace("@NREGS@", str(len(x86.regset))))
    files["src/test_stubs.S"] = emit_stubs(x86, test=True)
    files["src/lib.rs"] = "\n".join(lib) + "\n"
    files["Cargo.toml"] = ('[package]\nname = "umol4-x2"\nversion = "0.1.0"\nedition = "2021"\n'
                           'description = "L4 X.2 system-call bindings generated by UMOL4"\n'
                           'license = "MIT"\n\n[dependencies]\n\n[lib]\npath = "src/lib.rs"\n')
    return files
