#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""ABI gate: the exported symbols of libpct.so, the functions pct.h declares and the ledger
capi/libpct.symbols (`name  introduced-in`) must be the same set, all prefixed `pct_`.

usage: check_symbols.py LIBRARY HEADER LEDGER
"""
import re
import subprocess
import sys


def exported(library: str) -> set[str]:
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[1] == "A":  # "A PCT_0" is the version node itself
            continue
        names.add(parts[2].split("@")[0])
    return names


def declared(header: str) -> set[str]:
    text = open(header, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return set(re.findall(r"^PCT_API\b[^;(]*?\b(\w+)\s*\(", text, flags=re.M))


def ledger(path: str) -> tuple[dict[str, str], list[str]]:
    entries: dict[str, str] = {}
    problems = []
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not re.fullmatch(r"\d+\.\d+\.\d+", parts[1]):
            problems.append(f"{path}:{n}: expected 'name  MAJOR.MINOR.PATCH', got {raw.strip()!r}")
            continue
        if parts[0] in entries:
            problems.append(f"{path}:{n}: {parts[0]} listed twice")
        entries[parts[0]] = parts[1]
    return entries, problems


def main() -> int:
    library, header, ledger_path = sys.argv[1:4]
    exp, dec = exported(library), declared(header)
    led, problems = ledger(ledger_path)
    for name in sorted(exp - set(led)):
        problems.append(f"exported but not in the ledger: {name} (add '{name}  <version>')")
    for name in sorted(set(led) - exp):
        problems.append(f"in the ledger but not exported: {name} (removed? that breaks the ABI)")
    for name in sorted(dec - exp):
        problems.append(f"declared in pct.h but not exported: {name}")
    for name in sorted(exp - dec):
        problems.append(f"exported but not declared in pct.h: {name}")
    for name in sorted(exp):
        if not name.startswith("pct_"):
            problems.append(f"exported symbol without the pct_ prefix: {name}")
    for p in problems:
        print(p)
    print(f"check_symbols: {len(exp)} exported, {len(dec)} declared, {len(led)} in the ledger: "
          + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
