# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tree snapshots and their comparison: what a restore must reproduce of a container's files.

A snapshot maps each relative path (bytes) to an ``Entry``: type, mode (with setuid bits),
owner, size, mtime (ns), device numbers, link target, content digest (regular files),
xattrs (raw; ``security.capability`` decoded), POSIX ACLs (access and default, decoded from
the ``system.posix_acl_*`` values), sparseness (``st_blocks`` far below the size) and the
hard-link group (the sorted paths sharing the inode). Atime and ctime are not compared.

``expected_after_restore`` turns a fixture's snapshot into what vzdump + PVE's restore must
give (excludes, dropped xattrs, skipped sockets and ``dev/*``, id translation through the
source and target maps); ``diff`` lists the differences as readable lines.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
import struct
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

OVERFLOW_ID = 65534
MAP_LEN = 65536
ACL_UNDEFINED_ID = 0xFFFFFFFF
_ACL_TAGS = {0x01: "user::", 0x02: "user:", 0x04: "group::", 0x08: "group:", 0x10: "mask::",
             0x20: "other::"}


@dataclass(frozen=True)
class Cap:
    version: int
    effective: bool
    permitted: int
    inheritable: int
    rootid: int | None


@dataclass(frozen=True)
class Entry:
    kind: str  # file dir symlink fifo chr blk sock
    mode: int
    uid: int
    gid: int
    size: int = 0
    mtime_ns: int = 0
    rdev: tuple[int, int] | None = None
    target: bytes | None = None
    digest: str | None = None
    xattrs: tuple[tuple[str, bytes], ...] = ()
    cap: Cap | None = None
    acl_access: tuple[tuple[str, int | None, str], ...] | None = None
    acl_default: tuple[tuple[str, int | None, str], ...] | None = None
    sparse: bool = False
    links: tuple[bytes, ...] = ()


def decode_cap(value: bytes) -> Cap:
    magic = struct.unpack_from("<I", value)[0]
    version = magic >> 24
    lo_p, lo_i, hi_p, hi_i = struct.unpack_from("<IIII", value, 4)
    rootid = struct.unpack_from("<I", value, 20)[0] if version == 3 else None
    return Cap(version, bool(magic & 1), lo_p | hi_p << 32, lo_i | hi_i << 32, rootid)


def decode_acl(value: bytes) -> tuple[tuple[str, int | None, str], ...]:
    """The kernel's posix_acl xattr (version 2, 8-byte entries) as sorted (tag, id, perms)."""
    out = []
    for off in range(4, len(value), 8):
        tag, perm, ident = struct.unpack_from("<HHI", value, off)
        perms = "".join(c if perm & bit else "-" for c, bit in (("r", 4), ("w", 2), ("x", 1)))
        named = tag in (0x02, 0x08)
        out.append((_ACL_TAGS.get(tag, hex(tag)), ident if named else None, perms))
    return tuple(sorted(out, key=lambda e: (e[0], -1 if e[1] is None else e[1])))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISREG, "file"), (stat.S_ISDIR, "dir"), (stat.S_ISLNK, "symlink"),
                       (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "chr"), (stat.S_ISBLK, "blk"),
                       (stat.S_ISSOCK, "sock")):
        if test(mode):
            return name
    return "?"


def _digest(path: bytes) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def snapshot(root: Path | str, *, skip: Iterable[bytes] = ()) -> dict[bytes, Entry]:
    """Every entry under ``root`` (crossing mounts), keyed by its relative path; ``b"."`` is
    the root itself. Paths in ``skip`` (and what lies below) are left out."""
    base = os.fsencode(root)
    skipped = set(skip)
    out: dict[bytes, Entry] = {}
    inodes: dict[tuple[int, int], list[bytes]] = {}

    def visit(rel: bytes) -> None:
        if rel in skipped:
            return
        path = base if rel == b"." else base + b"/" + rel
        st = os.lstat(path)
        kind = _kind(st.st_mode)
        xattrs: dict[str, bytes] = {}
        if kind != "symlink":
            for name in os.listxattr(path, follow_symlinks=False):
                xattrs[name] = os.getxattr(path, name, follow_symlinks=False)
        acl_a = xattrs.pop("system.posix_acl_access", None)
        acl_d = xattrs.pop("system.posix_acl_default", None)
        cap = xattrs.pop("security.capability", None)
        e = Entry(
            kind=kind, mode=stat.S_IMODE(st.st_mode), uid=st.st_uid, gid=st.st_gid,
            size=st.st_size if kind == "file" else 0,
            mtime_ns=st.st_mtime_ns,
            rdev=(os.major(st.st_rdev), os.minor(st.st_rdev)) if kind in ("chr", "blk") else None,
            target=os.readlink(path) if kind == "symlink" else None,
            digest=_digest(path) if kind == "file" else None,
            xattrs=tuple(sorted(xattrs.items())),
            cap=decode_cap(cap) if cap else None,
            acl_access=decode_acl(acl_a) if acl_a else None,
            acl_default=decode_acl(acl_d) if acl_d else None,
            sparse=kind == "file" and st.st_size >= 1 << 20 and st.st_blocks * 512 < st.st_size // 8,
        )
        out[rel] = e
        if kind == "file" and st.st_nlink > 1:
            inodes.setdefault((st.st_dev, st.st_ino), []).append(rel)
        if kind == "dir":
            for name in sorted(os.listdir(path)):
                visit(name if rel == b"." else rel + b"/" + name)

    visit(b".")
    for group in inodes.values():
        links = tuple(sorted(group))
        for rel in group:
            out[rel] = replace(out[rel], links=links)
    return out


def _is_under(rel: bytes, top: bytes) -> bool:
    return rel == top or rel.startswith(top + b"/")


def drop(tree: dict[bytes, Entry], paths: Iterable[bytes]) -> dict[bytes, Entry]:
    """The tree without ``paths`` and everything below them; hard-link groups follow."""
    tops = list(paths)
    kept = {k: v for k, v in tree.items() if not any(_is_under(k, t) for t in tops)}
    for k, v in kept.items():
        if v.links:
            links = tuple(p for p in v.links if p in kept)
            kept[k] = replace(v, links=links if len(links) > 1 else ())
    return kept


IdMap = Callable[[int], int]


def identity(i: int) -> int:
    return i


def into_userns(shift: int) -> IdMap:
    """Host id -> id seen in a user namespace mapping 0..65535 to shift..: the overflow id
    when unmapped (what tar stores, §2.9)."""
    return lambda i: i - shift if shift <= i < shift + MAP_LEN else OVERFLOW_ID


def out_of_userns(shift: int) -> IdMap:
    return lambda i: i + shift


def remap(tree: dict[bytes, Entry], ids: IdMap, cap_rootid: int | None) -> dict[bytes, Entry]:
    """Owners and ACL qualifiers through ``ids``; capabilities become v2 (``cap_rootid`` None)
    or v3 with that root id (how the kernel writes them from a privileged / mapped writer)."""

    def acl(a: tuple | None) -> tuple | None:
        if a is None:
            return None
        moved = [(t, None if i is None else ids(i), p) for t, i, p in a]
        return tuple(sorted(moved, key=lambda e: (e[0], -1 if e[1] is None else e[1])))

    out = {}
    for k, e in tree.items():
        cap = e.cap
        if cap is not None:
            cap = replace(cap, version=2 if cap_rootid is None else 3, rootid=cap_rootid)
        out[k] = replace(e, uid=ids(e.uid), gid=ids(e.gid), acl_access=acl(e.acl_access),
                         acl_default=acl(e.acl_default), cap=cap)
    return out


def keep_vzdump_xattrs(tree: dict[bytes, Entry]) -> dict[bytes, Entry]:
    """Only ``user.*`` survive (and ``security.capability``, kept apart in ``cap``), §2.8."""
    return {k: replace(e, xattrs=tuple((n, v) for n, v in e.xattrs if n.startswith("user.")))
            for k, e in tree.items()}


def diff(expected: dict[bytes, Entry], actual: dict[bytes, Entry],
         ignore_metadata: Iterable[bytes] = ()) -> list[str]:
    """Readable differences; ``ignore_metadata`` paths must exist but may differ."""
    lines = []
    loose = set(ignore_metadata)
    for k in sorted(expected.keys() - actual.keys()):
        lines.append(f"missing: {k!r} ({expected[k].kind})")
    for k in sorted(actual.keys() - expected.keys()):
        lines.append(f"extra: {k!r} ({actual[k].kind})")
    for k in sorted(expected.keys() & actual.keys()):
        if k in loose:
            continue
        e, a = expected[k], actual[k]
        for f in dataclasses.fields(Entry):
            ev, av = getattr(e, f.name), getattr(a, f.name)
            if ev != av:
                lines.append(f"{k!r}: {f.name} expected {ev!r}, got {av!r}")
    return lines


def expected_after_restore(fixture_tree: dict[bytes, Entry], *, source_shift: int,
                           target_shift: int, excluded: Iterable[bytes]) -> dict[bytes, Entry]:
    """What PVE's backup (§2) then restore (§4.5) of a fixture must give on disk: excluded
    paths, sockets and ``dev/*`` gone; only user.* xattrs and the capability kept; ids into the
    source CT's view (overflow for unmapped) then out through the target map; the capability
    re-written by the target's writer (v2 privileged, v3 with the target's root id mapped)."""
    tree = drop(fixture_tree, list(excluded))
    tree = drop(tree, [k for k, e in tree.items() if e.kind == "sock"])
    tree = drop(tree, [k for k in tree if k.startswith(b"dev/")])
    tree = keep_vzdump_xattrs(tree)
    to_ct = into_userns(source_shift) if source_shift else identity
    tree = remap(tree, to_ct, None)
    if target_shift:
        tree = remap(tree, out_of_userns(target_shift), target_shift)
    return tree


def describe(tree: dict[bytes, Entry]) -> str:
    return "\n".join(f"{k!r}: {v}" for k, v in sorted(tree.items()))


def main() -> None:  # pragma: no cover - a debugging aid
    import sys
    print(describe(snapshot(Path(sys.argv[1]))))


if __name__ == "__main__":
    main()
