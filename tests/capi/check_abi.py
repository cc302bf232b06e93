#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""ABI gate: abidiff of the built libpct.so against the committed baseline
capi/abi/libpct.abi. Fails on an incompatible change (rc & 8) and on additions (rc & 4) that
the ledger capi/libpct.symbols does not list; abidiff's own errors (rc & 3) fail too.

The opaque handles are suppressed (SUPPRESSIONS): callers only hold pointers to them.

usage: check_abi.py LIBRARY BASELINE HEADER_DIR LEDGER SUPPRESSIONS
"""
import re
import subprocess
import sys


def main() -> int:
    library, baseline, headers, ledger_path, suppressions = sys.argv[1:6]
    ledger = set()
    for raw in open(ledger_path, encoding="utf-8"):
        line = raw.split("#", 1)[0].split()
        if line:
            ledger.add(line[0])
    common = ["abidiff", "--headers-dir2", headers, "--drop-private-types",
              "--exported-interfaces-only", "--suppressions", suppressions]
    run = subprocess.run(common + ["--no-added-syms", baseline, library], capture_output=True,
                         text=True)
    full = subprocess.run(common + [baseline, library], capture_output=True, text=True)
    rc = full.returncode
    print(full.stdout, end="")
    print(full.stderr, end="", file=sys.stderr)
    if rc & 3:
        print(f"check_abi: abidiff failed to run (rc={rc})")
        return 1
    if rc & 8:
        print(f"check_abi: INCOMPATIBLE ABI change against {baseline} (rc={rc}); bump "
              "PCT_ABI_VERSION (SOVERSION) deliberately or restore the interface")
        return 1
    if rc & 4:
        added = set(re.findall(r"\{(pct_\w+)(?:@@?\w+)?\}", full.stdout))
        added |= set(re.findall(r"'function [^']*?\b(pct_\w+)\(", full.stdout))
        # Changes that remain after ignoring additions are not additions at all.
        if run.returncode & 4:
            print("check_abi: ABI changes other than additions (see above)")
            return 1
        missing = sorted(added - ledger)
        for name in missing:
            print(f"check_abi: added symbol not in the ledger: {name}")
        if missing:
            return 1
        print(f"check_abi: {len(added)} compatible addition(s), all in the ledger: ok")
        return 0
    print("check_abi: no ABI change: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
