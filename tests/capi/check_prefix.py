#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""ABI gate: every name pct.h puts into the global namespace (functions, types, struct/enum
tags, enumerators, variables, macros) starts with pct_ or PCT_. The names are taken from the
compiler (clang's AST and -dM), minus what <stddef.h> and <stdint.h> declare by themselves.

usage: check_prefix.py CLANG HEADER_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

DECLS = {"FunctionDecl", "TypedefDecl", "RecordDecl", "EnumDecl", "VarDecl", "EnumConstantDecl"}


def names(clang: str, include_dir: str, source: str) -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "probe.c")
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        base = [clang, "-x", "c", "-std=c99", "-I", include_dir]
        ast = subprocess.run(base + ["-fsyntax-only", "-Xclang", "-ast-dump=json", path],
                             check=True, capture_output=True, text=True).stdout
        macros = subprocess.run(base + ["-dM", "-E", path], check=True, capture_output=True,
                                text=True).stdout
    found = set()

    def walk(node: dict) -> None:
        if node.get("kind") in DECLS and node.get("name"):
            found.add(node["name"])
        if node.get("kind") in {"TranslationUnitDecl", "EnumDecl", "LinkageSpecDecl"}:
            for child in node.get("inner", []):
                walk(child)

    walk(json.loads(ast))
    for line in macros.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "#define":
            found.add(parts[1].split("(")[0])
    return found


def main() -> int:
    clang, include_dir = sys.argv[1:3]
    baseline = names(clang, include_dir, "#include <stddef.h>\n#include <stdint.h>\n")
    header = names(clang, include_dir, "#include <pct/pct.h>\n")
    own = sorted(header - baseline)
    bad = [n for n in own if not (n.startswith("pct_") or n.startswith("PCT_"))]
    for n in bad:
        print(f"pct.h declares an unprefixed name: {n}")
    print(f"check_prefix: {len(own)} names declared by pct.h: " + ("FAILED" if bad else "ok"))
    return 1 if bad or not own else 0


if __name__ == "__main__":
    sys.exit(main())
