# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads a vzdump tar (any of the four compressions) member by member with Python's
``tarfile``: order, names, header magic, pax records (mtime/atime/ctime, ``SCHILY.xattr.*``,
``SCHILY.acl.*``, ``GNU.sparse.*``), so that tests can hold an archive against §2.2/§2.3.
Run as a script to print one: ``archive.py FILE``.
"""
from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 512
TYPES = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.LNKTYPE: "hardlink",
         tarfile.SYMTYPE: "symlink", tarfile.CHRTYPE: "chr", tarfile.BLKTYPE: "blk",
         tarfile.DIRTYPE: "dir", tarfile.FIFOTYPE: "fifo"}
DECOMPRESSORS = {".gz": ["gzip", "-dc"], ".lzo": ["lzop", "-dc"], ".zst": ["zstd", "-dcq"]}


@dataclass
class Member:
    name: str  # as tarfile decodes it (surrogateescape for non-UTF-8 bytes)
    kind: str
    mode: int
    uid: int
    gid: int
    uname: str
    gname: str
    size: int
    mtime: float
    linkname: str
    devmajor: int
    devminor: int
    pax: dict[str, str] = field(default_factory=dict)
    sparse: list[tuple[int, int]] | None = None

    def xattrs(self) -> dict[str, str]:
        return {k[len("SCHILY.xattr."):]: v for k, v in self.pax.items()
                if k.startswith("SCHILY.xattr.")}


@dataclass
class Archive:
    members: list[Member]
    raw: bytes  # the uncompressed stream (archives here are small: sparse files are holes)

    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def first(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)

    def header_magics(self) -> set[bytes]:
        """The ustar magic+version (bytes 257..265) of every header block in the stream."""
        tf = tarfile.open(fileobj=io.BytesIO(self.raw), mode="r:")
        out = set()
        for ti in tf:
            out.add(self.raw[ti.offset + 257:ti.offset + 265])
        return out

    def pax_header_names(self) -> list[str]:
        """The names of the pax extended headers (type ``x``): ``<dir>/PaxHeaders/<base>``."""
        names = []
        off = 0
        while off + BLOCK <= len(self.raw):
            hdr = self.raw[off:off + BLOCK]
            if hdr == b"\0" * BLOCK:
                break
            size = int(hdr[124:136].rstrip(b"\0 ") or b"0", 8)
            if hdr[156:157] == b"x":
                names.append(hdr[:100].rstrip(b"\0").decode(errors="surrogateescape"))
            off += BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK
        return names


def decompressed(path: Path) -> bytes:
    tool = DECOMPRESSORS.get(path.suffix)
    if tool is None:
        return path.read_bytes()
    return subprocess.run(tool + [str(path)], stdout=subprocess.PIPE, check=True).stdout


def read(path: Path) -> Archive:
    raw = decompressed(path)
    tf = tarfile.open(fileobj=io.BytesIO(raw), mode="r:", encoding="utf-8",
                      errors="surrogateescape")
    members = []
    for ti in tf:
        members.append(Member(
            name=ti.name if not ti.isdir() or ti.name.endswith("/") else ti.name + "/",
            kind=TYPES.get(ti.type, repr(ti.type)), mode=ti.mode, uid=ti.uid, gid=ti.gid,
            uname=ti.uname, gname=ti.gname, size=ti.size, mtime=ti.mtime, linkname=ti.linkname,
            devmajor=ti.devmajor, devminor=ti.devminor, pax=dict(ti.pax_headers),
            sparse=list(ti.sparse) if ti.sparse is not None else None))
    return Archive(members, raw)


def main(argv: list[str]) -> int:
    a = read(Path(argv[1]))
    for m in a.members:
        keys = sorted(k for k in m.pax if k not in ("mtime", "atime", "ctime"))
        print(f"{m.kind:8} {m.uid}/{m.gid} {m.mode:o} {m.size:>10} {m.name!r} "
              f"{'-> ' + m.linkname if m.linkname else ''} {keys}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
