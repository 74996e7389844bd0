#!/usr/bin/env python3
"""Writes bash completion for umol4 from what `umol4 run --help` says:
its options (with the choices CLI11 lists, and files where an option or a
positional takes a path).  Usage: bash_completion.py UMOL4 OUTPUT"""
import re
import subprocess
import sys

umol4, out = sys.argv[1], sys.argv[2]
help_text = subprocess.run([umol4, "run", "--help"], capture_output=True, text=True, check=True).stdout
options = []       # every spelling, in order
takes_value = {}   # spelling -> "" (any word), "FILE" or "a b c" (choices)
for line in help_text.splitlines():
    m = re.match(r"^  (-\w,)?(--[\w-]+)(?:\s+(\S+))?", line)
    if not m:
        continue
    names = [n for n in (m.group(1) and m.group(1).rstrip(","), m.group(2)) if n]
    kind = m.group(3) or ""  # CLI11's type (TEXT, UINT:..., TEXT:FILE, TEXT:{a,b}); a flag's description is lower case
    value = None
    if re.match(r"^[A-Z]+(?:[:=]|$)", kind):
        choices = re.search(r"\{([^}]*)\}", kind)
        value = " ".join(choices.group(1).split(",")) if choices else ("FILE" if "FILE" in kind else "")
    for n in names:
        options.append(n)
        if value is not None:
            takes_value[n] = value

cases = []
for name, value in takes_value.items():
    if value == "FILE":
        cases.append(f'        {name}) COMPREPLY=($(compgen -f -- "$cur")); return ;;')
    elif value:
        cases.append(f'        {name}) COMPREPLY=($(compgen -W "{value}" -- "$cur")); return ;;')
    else:
        cases.append(f"        {name}) return ;;")
script = f"""# bash completion for umol4 (generated from `umol4 run --help`)
_umol4() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "run --help --version" -- "$cur"))
        return
    fi
    case "$prev" in
{chr(10).join(cases)}
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "{' '.join(options)}" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))  # sigma0, the root task, modules
    fi
}}
complete -o filenames -F _umol4 umol4
"""
with open(out, "w") as f:
    f.write(script)
