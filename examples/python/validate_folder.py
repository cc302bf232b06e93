#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct: validate every ``*.conf`` of a folder (e.g. /etc/pve/lxc) and report parser warnings
and schema problems per file, with line numbers. Exit status 1 when any file has a problem.

    PYTHONPATH=<build>/python python3 validate_folder.py /etc/pve/lxc
"""
import sys
from pathlib import Path

import pypct


def check(path: Path) -> list[str]:
    """Every problem of one file as 'FILE:LINE: text' lines."""
    try:
        parsed = pypct.ParsedConfig.load(str(path))
    except pypct.Error as e:
        return [f"{path}: {e.code.name}: {e}"]
    problems = [f"{path}:{w.line}: {w.message}" for w in parsed.warnings]
    for p in parsed.validate():
        key = p.key + (f".{p.subkey}" if p.subkey else "")
        problems.append(f"{path}: {key}: {p.message}")
    return problems


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "/etc/pve/lxc")
    files = sorted(folder.glob("*.conf"))
    bad = 0
    for path in files:
        problems = check(path)
        bad += bool(problems)
        print(f"{path.name}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for line in problems:
            print(f"  {line}")
    print(f"{len(files)} file(s), {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
