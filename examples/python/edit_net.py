#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct: load a container config, move its first network interface to another bridge, and
write the file back losslessly (comments and line order stay). Errors carry file, line, key.

    PYTHONPATH=<build>/python python3 edit_net.py /etc/pve/lxc/101.conf [BRIDGE]
"""
import sys

import pypct


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "101.conf"
    bridge = argv[2] if len(argv) > 2 else "vmbr1"
    try:
        parsed = pypct.ParsedConfig.load(path)
        for warning in parsed.warnings:
            print(f"warning: line {warning.line}: {warning.message}")

        # Typed values are copies: change the copy, then store it back.
        stored = parsed.get("net0")
        if stored is None:
            print(f"error: {path} has no net0", file=sys.stderr)
            return 1
        net = pypct.NetInterface.parse(stored)
        net.bridge = bridge
        parsed.set("net0", net.render())
        print(f"net0: {net}")

        parsed.save()  # lossless: only the net0 line changed
        print(f"saved {path} (was digest {parsed.digest})")
    except pypct.Error as e:
        where = f"{e.context}:{e.line}: " if e.context else ""
        key = f"{e.key}{'.' + e.subkey if e.subkey else ''}: " if e.key else ""
        print(f"error: {e.code.name}: {where}{key}{e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
