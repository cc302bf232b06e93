# SPDX-License-Identifier: AGPL-3.0-or-later
"""The §8.1 fixture tree of vzdump-format.md: a small container rootfs with every kind of file
metadata a vzdump archive carries (and some it must drop), built as root in a given directory.

Privileged variant: ids as written. Unprivileged variant (``shift=100000``): every owner, ACL
qualifier and capability root id is the container's id + shift, as on disk under the map
``0 -> 100000, 65536``; one file stays at host uid 5 (unmapped: archived as 65534).

A tmpfs is mounted at ``mnt/data`` (the ``backup=1`` mount point); ``Fixture.close()`` (or the
context manager) unmounts it. Run as a script to build one for a look:
``fixture.py DIR [--unprivileged]``.
"""
from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SHIFT = 100000
MIB = 1024 * 1024
SPARSE_SIZE = 100 * MIB
SPARSE_EXTENT = (50 * MIB, 4096)
# Deterministic times: whole seconds plus nanoseconds (pax keeps them).
BASE_MTIME_NS = 1_700_000_000_123_456_789
CAP_NET_RAW = 13
MOUNT_POINT = "mnt/data"
BIND_MOUNT_POINT = "share"
# Paths the default excludes drop (§2.7), relative to the rootfs.
STD_EXCLUDED = ["tmp/a", "var/tmp/b", "var/run/x.pid", "var/run/sub/y.pid"]
ODD_NAMES = [b"srv/names/with space", b"srv/names/new\nline", b"srv/names/\xff\xfe-latin1"]
LONG_PATH = "srv/" + "d" * 60 + "/" + "e" * 60 + "/long-file"


def capability_xattr(cap_bits: int, rootid: int | None) -> bytes:
    """A ``security.capability`` value: v2 (rootid None) or v3 with a root id, effective set."""
    if rootid is None:
        return struct.pack("<IIIII", 0x02000001, cap_bits, 0, 0, 0)
    return struct.pack("<IIIIII", 0x03000001, cap_bits, 0, 0, 0, rootid)


@dataclass
class Fixture:
    root: Path
    shift: int
    mounts: list[Path] = field(default_factory=list)

    @property
    def unprivileged(self) -> bool:
        return self.shift != 0

    def close(self) -> None:
        for m in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(m)], check=False)
        self.mounts.clear()

    def __enter__(self) -> "Fixture":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Builder:
    def __init__(self, root: Path, shift: int):
        self.root = root
        self.shift = shift
        self.counter = 0

    def p(self, rel: str | bytes) -> bytes:
        rel_b = rel.encode() if isinstance(rel, str) else rel
        return os.fsencode(self.root) + b"/" + rel_b

    def own(self, rel: str | bytes, uid: int = 0, gid: int | None = None, raw: bool = False) -> None:
        gid = uid if gid is None else gid
        if not raw:
            uid, gid = uid + self.shift, gid + self.shift
        os.lchown(self.p(rel), uid, gid)

    def dir(self, rel: str, mode: int = 0o755, uid: int = 0) -> None:
        os.makedirs(self.p(rel), exist_ok=True)
        self.own(rel, uid)
        os.chmod(self.p(rel), mode)  # after chown, which clears set-id bits

    def file(self, rel: str | bytes, data: bytes | None = None, mode: int = 0o644, uid: int = 0,
             gid: int | None = None) -> None:
        self.counter += 1
        if data is None:
            data = f"content {self.counter} of {rel!r}\n".encode()
        with open(self.p(rel), "wb") as f:
            f.write(data)
        self.own(rel, uid, gid)
        os.chmod(self.p(rel), mode)  # after chown, which clears set-id bits

    def acl(self, args: list[str], rel: str) -> None:
        subprocess.run(["setfacl", *args, os.fsdecode(self.p(rel))], check=True)


def build(root: Path, *, unprivileged: bool = False, device_outside_dev: bool | None = None,
          mount: bool = True) -> Fixture:
    """``mount``: a tmpfs is mounted at ``mnt/data`` (else the caller mounted a volume there)."""
    """Builds the tree in ``root`` (must exist and be empty). ``device_outside_dev`` defaults to
    True for the privileged variant only (an unprivileged CT cannot hold one: mknod fails in a
    user namespace, and PVE's restore then exits 2)."""
    shift = SHIFT if unprivileged else 0
    if device_outside_dev is None:
        device_outside_dev = not unprivileged
    b = _Builder(root, shift)
    fx = Fixture(root, shift)
    os.chmod(root, 0o755)
    b.own("", 0)
    for d in ["bin", "sbin", "etc", "dev", "usr", "usr/bin", "srv", "srv/acl", "srv/names",
              "srv/owned", "tmp", "var", "var/tmp", "var/run", "var/run/sub", "mnt",
              MOUNT_POINT, BIND_MOUNT_POINT, "srv/lost+found", "srv/lost+found/inner"]:
        b.dir(d)
    os.chmod(b.p("tmp"), 0o1777)
    os.chmod(b.p("var/tmp"), 0o1777)
    b.dir("root", 0o700)
    b.file("root/.profile", mode=0o600)
    # bin/: a hard link group of three and a symlink; a setuid binary
    b.file("bin/busybox", b"\x7fELF fake busybox\n" * 64, 0o755)
    os.link(b.p("bin/busybox"), b.p("bin/sh-hard"))
    os.link(b.p("bin/busybox"), b.p("sbin/init-hard"))
    os.symlink("busybox", b.p("bin/sh"))
    b.own("bin/sh")
    os.symlink("/bin/busybox", b.p("sbin/init"))
    b.own("sbin/init")
    b.file("bin/su", mode=0o4755)
    b.file("etc/hostname", b"fixture\n")
    b.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    # ACLs: a named user and group on a file; a default ACL on a dir (+ a file that inherits it)
    b.file("srv/acl/file")
    b.acl(["-m", f"u:{1234 + shift}:rwx,g:{2345 + shift}:r-x"], "srv/acl/file")
    b.dir("srv/acl/defdir", 0o750)
    b.acl(["-d", "-m", f"u:{1234 + shift}:rwx,g::r-x"], "srv/acl/defdir")
    b.file("srv/acl/defdir/inherits")
    # xattrs: one kept, two dropped
    b.file("srv/xattr-user")
    os.setxattr(b.p("srv/xattr-user"), "user.x", b"kept value")
    b.file("srv/xattr-dropped")
    os.setxattr(b.p("srv/xattr-dropped"), "user.y", b"y")
    os.setxattr(b.p("srv/xattr-dropped"), "trusted.x", b"must go")
    os.setxattr(b.p("srv/xattr-dropped"), "security.selinux", b"system_u:object_r:etc_t:s0")
    # a file capability: cap_net_raw+ep (v2 on a privileged disk, v3 with the CT root as root id)
    b.file("usr/bin/ping", b"\x7fELF fake ping\n", 0o755)
    os.setxattr(b.p("usr/bin/ping"), "security.capability",
                capability_xattr(1 << CAP_NET_RAW, shift if shift else None))
    # one 100 MiB sparse file with a single 4 KiB extent
    with open(b.p("srv/sparse.img"), "wb") as f:
        f.truncate(SPARSE_SIZE)
        f.seek(SPARSE_EXTENT[0])
        f.write(bytes(range(256)) * (SPARSE_EXTENT[1] // 256))
    b.own("srv/sparse.img")
    # a FIFO, a socket (tar skips it), device nodes
    os.mkfifo(b.p("srv/fifo"), 0o640)
    b.own("srv/fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(b.p("srv/socket"))
    sock.close()
    b.own("srv/socket")
    os.mknod(b.p("dev/null"), 0o666 | 0o020000, os.makedev(1, 3))
    b.own("dev/null")
    if device_outside_dev:
        os.mknod(b.p("srv/null-copy"), 0o600 | 0o020000, os.makedev(1, 3))
        os.mknod(b.p("srv/blockdev"), 0o600 | 0o060000, os.makedev(7, 200))
    # what the default excludes drop, and what they keep
    for rel in STD_EXCLUDED:
        b.file(rel)
    b.file("var/run/acpid")
    b.file("srv/lost+found/inner/kept-only-privileged")
    # owners
    b.file("srv/owned/u1000", uid=1000)
    b.file("srv/owned/nobody", uid=65534)
    b.file("srv/owned/u1000-g65534", uid=1000, gid=65534)
    if unprivileged:
        b.file("srv/owned/hostuid5")
        b.own("srv/owned/hostuid5", 5, 5, raw=True)
    b.dir("srv/private", 0o700, uid=1000)
    b.dir("srv/setgid-dir", 0o2775, uid=1000)
    b.file("srv/private/secret", mode=0o600, uid=1000)
    # odd names and a path beyond ustar's 100 bytes
    for name in ODD_NAMES:
        b.file(name)
    os.makedirs(b.p(os.path.dirname(LONG_PATH)))
    b.file(LONG_PATH)
    b.own(os.path.dirname(LONG_PATH))
    b.own(os.path.dirname(os.path.dirname(LONG_PATH)))
    # the bind mount point's dir holds files on the rootfs itself (archived with the rootfs)
    b.file(f"{BIND_MOUNT_POINT}/on-rootfs")
    # the backup=1 mount point: a tmpfs over a file that must not be archived (``mount``), or
    # a volume the caller already mounted there
    if mount:
        b.file(f"{MOUNT_POINT}/hidden-under-mount")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755,size=16m", "vzconf-fixture",
                        os.fsdecode(b.p(MOUNT_POINT))], check=True)
        fx.mounts.append(Path(os.fsdecode(b.p(MOUNT_POINT))))
    b.own(MOUNT_POINT)
    os.chmod(b.p(MOUNT_POINT), 0o751)
    b.dir(f"{MOUNT_POINT}/sub")
    b.file(f"{MOUNT_POINT}/sub/deep")
    b.dir(f"{MOUNT_POINT}/tmp")
    b.file(f"{MOUNT_POINT}/tmp/not-excluded")  # /tmp/?* is anchored at the CT root
    b.file(f"{MOUNT_POINT}/xattr")
    os.setxattr(b.p(f"{MOUNT_POINT}/xattr"), "user.mp", b"on the volume")
    b.file(f"{MOUNT_POINT}/u1000", uid=1000)
    _set_times(root)
    return fx


def _set_times(root: Path) -> None:
    """Every entry (deepest first, so parents keep theirs) gets its own deterministic mtime."""
    entries: list[bytes] = []
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        entries.extend(os.path.join(dirpath, n) for n in dirnames + filenames)
    entries.sort(key=lambda e: (-e.count(b"/"), e))
    for i, e in enumerate(entries + [os.fsencode(root)]):
        t = BASE_MTIME_NS + i * 1_000_003_001
        os.utime(e, ns=(t, t), follow_symlinks=False)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: fixture.py DIR [--unprivileged]", file=sys.stderr)
        return 2
    root = Path(argv[1])
    root.mkdir(parents=True, exist_ok=True)
    fx = build(root, unprivileged="--unprivileged" in argv)
    print(f"built {root}; tmpfs mounted at {fx.mounts} (umount it when done)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
