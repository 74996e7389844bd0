"""The binding generator: one change in the description reaches every output,
and broken descriptions are refused with a clear message."""
import copy
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "syscall-bindings" / "gen"))

import emit_c  # noqa: E402
import emit_core  # noqa: E402
import emit_rust  # noqa: E402
import emit_stub  # noqa: E402
import emit_test  # noqa: E402
import model  # noqa: E402


def outputs(interface, arch, arches):
    """Every generated text that depends on one arch's description."""
    return {
        "c_header": emit_c.emit_header(interface, arch),
        "core_decoder": emit_core.emit_arch(interface, arch),
        "stubs": emit_stub.emit_stubs(arch),
        "roundtrip_test": emit_test.emit_test(interface, arch),
        "rust": "".join(emit_rust.emit_crate(interface, arches).values()),
    }


class OneDescriptionDrivesAllOutputs(unittest.TestCase):
    def setUp(self):
        self.interface, self.arches = model.load_all()
        self.raw = {a.name: a.raw for a in self.arches}

    def rebuild(self, name, mutate):
        raw = copy.deepcopy(self.raw[name])
        mutate(raw)
        arch = model.arch_from_dict(raw, self.interface, f"<mutated {name}>")
        arches = [arch if a.name == name else a for a in self.arches]
        return arch, arches

    def test_swapping_two_ipc_registers_changes_every_output_together(self):
        for name in ("x86_64", "aarch64"):
            before_arch = next(a for a in self.arches if a.name == name)
            before = outputs(self.interface, before_arch, self.arches)
            ipc = self.raw[name]["call"]["Ipc"]["in"]
            a, b = ipc["to"], ipc["from_specifier"]

            def swap(raw):
                raw["call"]["Ipc"]["in"]["to"], raw["call"]["Ipc"]["in"]["from_specifier"] = b, a

            arch, arches = self.rebuild(name, swap)
            after = outputs(self.interface, arch, arches)
            for kind in ("c_header", "core_decoder", "rust"):
                self.assertNotEqual(before[kind], after[kind], f"{name}: {kind} ignored the change")
            self.assertIn(f'__asm__("{b}") = to;', after["c_header"])
            self.assertIn(f"f.in[0] = r.{b};", after["core_decoder"])
            self.assertIn(f"f.in[1] = r.{a};", after["core_decoder"])

    def test_an_input_in_a_trap_clobbered_register_is_parked_by_the_stub(self):
        arch = next(a for a in self.arches if a.name == "x86_64")
        mc = arch.call("MemoryControl")
        self.assertEqual(set(mc.park), {"rcx", "r11"})
        stubs = emit_stub.emit_stubs(arch)
        decoder = emit_core.emit_arch(self.interface, arch)
        for src, dst in mc.park.items():
            self.assertIn(f"movq %{src}, %{dst}", stubs)
            self.assertIn(f"= r.{dst};", decoder)

    def test_stub_slots_follow_kip_order(self):
        for arch in self.arches:
            words = [c.kip_word for c in arch.stub_calls()]
            self.assertEqual(words, sorted(words))
            self.assertEqual([c.slot for c in arch.stub_calls()], list(range(len(words))))


class BitLayoutsComeFromTheDescription(unittest.TestCase):
    def setUp(self):
        self.interface, self.arches = model.load_all()

    def emitted(self, interface):
        x86_64 = next(a for a in self.arches if a.name == "x86_64")
        return {
            "core": emit_core.emit_frame(interface, self.arches),
            "c": emit_c.emit_header(interface, x86_64),
            "rust": "".join(emit_rust.emit_crate(interface, self.arches).values()),
        }

    def test_moving_a_field_moves_it_in_the_core_c_and_rust(self):
        interface = copy.deepcopy(self.interface)
        tag = next(lay for lay in interface["layout"] if lay["name"] == "msg_tag")
        label = next(f for f in tag["fields"] if f["name"] == "label")
        before = self.emitted(interface)
        self.assertIn("static constexpr unsigned label_shift = 16;", before["core"])
        self.assertIn("#define L4_LAYOUT_MSG_TAG_LABEL_SHIFT 16", before["c"])
        self.assertIn("pub const LABEL_SHIFT: u32 = 16;", before["rust"])
        label["lsb"] = 17
        after = self.emitted(interface)
        self.assertIn("static constexpr unsigned label_shift = 17;", after["core"])
        self.assertIn("#define L4_LAYOUT_MSG_TAG_LABEL_SHIFT 17", after["c"])
        self.assertIn("pub const LABEL_SHIFT: u32 = 17;", after["rust"])

    def test_overlapping_fields_are_refused(self):
        layouts = copy.deepcopy(self.interface["layout"])
        fpage = next(lay for lay in layouts if lay["name"] == "fpage")
        fpage["fields"].append({"name": "stray", "lsb": 5, "width": 2})
        with self.assertRaises(model.DescriptionError) as ctx:
            model.check_layouts(layouts, "<broken>")
        self.assertIn("fpage: stray overlaps another field", str(ctx.exception))

    def test_a_field_past_the_narrowest_word_is_refused(self):
        layouts = [{"name": "wide", "doc": "", "fields": [{"name": "f", "lsb": 30, "width": 4}]}]
        with self.assertRaises(model.DescriptionError) as ctx:
            model.check_layouts(layouts, "<broken>")
        self.assertIn("runs past bit 31", str(ctx.exception))


class BrokenDescriptionsAreRefused(unittest.TestCase):
    def setUp(self):
        self.interface, arches = model.load_all()
        self.raw = {a.name: a.raw for a in arches}

    def refused(self, name, mutate, message):
        raw = copy.deepcopy(self.raw[name])
        mutate(raw)
        with self.assertRaises(model.DescriptionError) as ctx:
            model.arch_from_dict(raw, self.interface, "<broken>")
        self.assertIn(message, str(ctx.exception))

    def test_two_inputs_in_one_register(self):
        def m(raw):
            raw["call"]["Ipc"]["in"]["timeouts"] = raw["call"]["Ipc"]["in"]["to"]
        self.refused("x86_64", m, "carries two inputs")

    def test_unknown_register(self):
        def m(raw):
            raw["call"]["ThreadSwitch"]["in"]["dest"] = "xmm0"
        self.refused("x86_64", m, "not a general register")

    def test_output_in_a_register_the_trap_destroys(self):
        def m(raw):
            raw["call"]["SystemClock"]["out"]["clock"] = "rcx"
        self.refused("x86_64", m, "which the trap destroys")

    def test_aarch64_x7_cannot_carry_values(self):
        def m(raw):
            raw["call"]["Ipc"]["out"]["from"] = "x7"
        self.refused("aarch64", m, "which the trap destroys")

    def test_missing_call(self):
        def m(raw):
            del raw["call"]["Schedule"]
        self.refused("riscv64", m, "no register convention for Schedule")

    def test_unknown_parameter(self):
        def m(raw):
            raw["call"]["Ipc"]["in"]["bogus"] = "x9"
        self.refused("aarch64", m, "'bogus' is not a parameter")

    def test_schema_violation(self):
        def m(raw):
            raw["stub"]["slot_bytes"] = 12
        self.refused("ia32", m, "slot_bytes")

    def test_frame_pointer_without_a_way_to_pass_it(self):
        def m(raw):
            raw["call"]["ThreadSwitch"]["in"]["dest"] = "rbp"
        self.refused("x86_64", m, "frame pointer")


    def test_a_trap_pattern_with_bits_outside_its_mask(self):
        def m(raw):
            raw["kernel_interface"]["recognise"]["mask"] = 0xff00
        self.refused("aarch64", m, "bits outside the mask")

    def test_a_kdebug_op_field_outside_its_instruction(self):
        def m(raw):
            raw["kdebug"]["recognise"]["op"]["shift"] = 20
        self.refused("x86_64", m, "the field leaves the instruction")

    def test_an_enter_message_immediate_only_where_enter_arg_says_so(self):
        def m(raw):
            raw["kdebug"]["recognise"]["enter_message"]["immediate_at"] = 4
            raw["kdebug"]["recognise"]["enter_message"]["immediate_bytes"] = 4
        self.refused("riscv64", m, "an immediate exactly when")


class TrapEncodingsComeFromTheDescription(unittest.TestCase):
    def setUp(self):
        self.interface, arches = model.load_all()
        self.raw = {a.name: a.raw for a in arches}

    def outputs_with(self, name, mutate):
        raw = copy.deepcopy(self.raw[name])
        mutate(raw)
        arch = model.arch_from_dict(raw, self.interface, "<moved>")
        return emit_core.emit_arch(self.interface, arch), emit_c.emit_header(self.interface, arch)

    def test_moving_the_kdebug_ops_moves_the_c_sequence_and_the_core_recogniser(self):
        def m(raw):
            raw["kdebug"]["recognise"]["op"]["base"] = 0x4a00
        core, c = self.outputs_with("aarch64", m)
        self.assertIn(".op_base = 0x4a00", core)
        self.assertIn("brk #(0x4a00 + 0x00)", c)

    def test_exception_numbers_are_the_descriptions(self):
        def m(raw):
            raw["exception"]["numbers"]["breakpoint"] = 0x3d
        core, _ = self.outputs_with("aarch64", m)
        self.assertIn("case Exception::breakpoint: return 0x3d;", core)


class DocumentationMatchesTheDescription(unittest.TestCase):
    def test_abi_tables_in_docs_are_the_generated_ones(self):
        import emit_doc
        doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "abi" / "aarch64-riscv64.md").read_text()
        _, arches = model.load_all()
        for arch in arches:
            if arch.name in ("aarch64", "riscv64"):
                self.assertIn(emit_doc.convention_table(arch), doc,
                              f"docs/abi/aarch64-riscv64.md: {arch.name} table differs from arch/{arch.name}.toml")


if __name__ == "__main__":
    unittest.main()
