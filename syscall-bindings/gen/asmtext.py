"""Helpers to turn the arch files' assembler snippets into source text."""
from __future__ import annotations


def fill(template: str, **values: object) -> str:
    """Substitutes {name} fields; other braces are left alone."""
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", str(value))
    return out


def c_inline(lines: list[str], **values: object) -> list[str]:
    """Lines for a GCC extended-asm template: '%' doubled, operands kept."""
    result = []
    for line in lines:
        for part in line.split("\n"):
            escaped = part.replace("%", "%%")
            result.append(fill(escaped, **values))
    return result


def c_string(lines: list[str]) -> str:
    return "".join(f'"{l.strip()}\\n\\t"' for l in lines) or '""'


def rust_inline(lines: list[str], **values: object) -> list[str]:
    """Lines for a Rust asm! template: braces doubled except our operands."""
    result = []
    for line in lines:
        for part in line.split("\n"):
            escaped = part.replace("{", "{{").replace("}", "}}")
            for key, value in values.items():
                escaped = escaped.replace("{{" + key + "}}", str(value))
            result.append(escaped)
    return result
