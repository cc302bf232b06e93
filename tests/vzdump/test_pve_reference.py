# SPDX-License-Identifier: AGPL-3.0-or-later
"""The suite's own tools proved with GNU tar on both sides (§8.2, §8.3.1-2): every reference
archive (privileged/unprivileged x stop/suspend layout x none/gzip/lzo/zstd) has the layout and
pax fields the spec records, and PVE's restore command line turns it back into the fixture
tree modulo the documented §4.5 quirks. The comparer itself must see every kind of damage."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import archive
import fixture
import pve
import tree
from conftest import LAYOUTS, excluded_paths

COMPRESSIONS = list(pve.COMPRESSORS)
# §4.5: the root and /etc are never restored (--skip-old-files, implicit creation by the
# leading pct.conf); a mount point root keeps the fresh volume's (here: tar creates it at its
# first occurrence and fills it later, so its mtime is the extraction's).
QUIRK_PATHS = [b".", b"etc", fixture.MOUNT_POINT.encode()]


def restored_tree(path: Path) -> dict:
    """The restored tree without what vzdump adds (``etc/vzdump`` with pct.conf/pct.fw)."""
    return tree.drop(tree.snapshot(path), [b"etc/vzdump"])


def pve_restore_into(archive_path: Path, dest: Path, unprivileged_target: bool) -> pve.Run:
    dest.mkdir()
    os.chmod(dest, 0o755)
    if unprivileged_target:
        os.chown(dest, fixture.SHIFT, fixture.SHIFT)
    return pve.pve_restore(archive_path, dest,
                           idmap=pve.DEFAULT_MAP if unprivileged_target else None)


def expected_tree(fixtures, unprivileged_source: bool, layout: str, unprivileged_target: bool):
    return tree.expected_after_restore(
        fixtures.snapshots[unprivileged_source],
        source_shift=fixture.SHIFT if unprivileged_source else 0,
        target_shift=fixture.SHIFT if unprivileged_target else 0,
        excluded=excluded_paths(unprivileged=unprivileged_source, layout=layout))


def assert_layout(a: archive.Archive, *, unprivileged: bool, layout: str) -> None:
    names = a.names()
    # §2.2: pct.conf, pct.fw, then the rootfs; every name starts with ./
    assert names[:3] == ["./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw", "./"], names[:5]
    assert all(n.startswith("./") for n in names)
    conf_owner = 65534 if unprivileged else 0  # host-root-owned file seen from the userns
    for m in a.members[:2]:
        assert (m.uid, m.gid, m.mode, m.kind) == (conf_owner, conf_owner, 0o644, "file")
    assert a.members[1].size == 0  # no firewall file: an empty pct.fw
    mp = f"./{fixture.MOUNT_POINT}/"
    if layout == "stop":
        # the backed-up mount point dir twice: from the rootfs walk and as its own source
        assert names.count(mp) == 2
        assert "./etc/vzdump/" not in names and names.count("./etc/vzdump/pct.conf") == 1
        assert f"./{fixture.BIND_MOUNT_POINT}/on-rootfs" in names
    else:
        # the config files twice, ./etc/vzdump/ a real member; excluded mount points absent
        assert names.count("./etc/vzdump/pct.conf") == 2 and "./etc/vzdump/" in names
        assert names.count(mp) == 1
        assert not any(n.startswith(f"./{fixture.BIND_MOUNT_POINT}") for n in names)
    assert f"./{fixture.MOUNT_POINT}/hidden-under-mount" not in names
    # §2.7 excludes, applied anchored at the CT root only; §2.3: sockets skipped
    for rel in fixture.STD_EXCLUDED:
        assert f"./{rel}" not in names
    assert {"./tmp/", "./var/tmp/", "./var/run/acpid", f"./{fixture.MOUNT_POINT}/tmp/not-excluded"} <= set(names)
    assert "./srv/socket" not in names
    assert ("./srv/lost+found/" in names) != unprivileged
    # §2.3: pax (ustar\0 00) for every header, a pax header per member, ids only
    assert a.header_magics() == {b"ustar\x0000"}
    assert len(a.pax_header_names()) >= len(names)
    assert "./etc/vzdump/PaxHeaders/pct.conf" in a.pax_header_names()
    assert all(m.uname == "" and m.gname == "" for m in a.members)
    assert all({"mtime", "atime", "ctime"} <= m.pax.keys() for m in a.members)
    # kept and dropped xattrs, ACL text with numeric qualifiers, v2 caps, GNU sparse 1.0
    xkeys = {k for m in a.members for k in m.xattrs()}
    assert xkeys == {"user.x", "user.y", "user.mp", "security.capability"}
    assert a.first("./srv/xattr-user").xattrs() == {"user.x": "kept value"}
    acl = a.first("./srv/acl/file").pax["SCHILY.acl.access"]
    assert "user:1234:rwx" in acl.split("\n") and "group:2345:r-x" in acl.split("\n")
    assert "user:1234:rwx" in a.first("./srv/acl/defdir/").pax["SCHILY.acl.default"].split("\n")
    cap = a.first("./usr/bin/ping").xattrs()["security.capability"].encode("utf-8", "surrogateescape")
    assert tree.decode_cap(cap) == tree.Cap(2, True, 1 << fixture.CAP_NET_RAW, 0, None)
    sparse = a.first("./srv/sparse.img")
    assert sparse.pax["GNU.sparse.major"] == "1" and sparse.pax["GNU.sparse.minor"] == "0"
    assert sparse.pax["GNU.sparse.realsize"] == str(fixture.SPARSE_SIZE)
    assert sparse.sparse is not None and fixture.SPARSE_EXTENT in [tuple(s) for s in sparse.sparse]
    # ids: container-relative; an unmapped host owner becomes the overflow id
    assert a.first("./srv/owned/u1000").uid == 1000
    assert a.first("./srv/owned/nobody").uid == 65534
    if unprivileged:
        assert a.first("./srv/owned/hostuid5").uid == 65534
    assert all(m.uid < 65536 and m.gid < 65536 for m in a.members)
    # hard links point at the first name; odd names and long paths survive
    links = [m for m in a.members if m.kind == "hardlink" and not m.name.startswith("./etc/vzdump")]
    assert len(links) == 2 and len({m.linkname for m in links}) == 1
    assert {"./srv/names/with space", "./srv/names/new\nline", f"./{fixture.LONG_PATH}"} <= set(names)
    assert os.fsdecode(b"./srv/names/\xff\xfe-latin1") in names
    dev = a.first("./dev/null")
    assert (dev.kind, dev.devmajor, dev.devminor) == ("chr", 1, 3)
    assert a.first("./srv/fifo").kind == "fifo"


@pytest.mark.parametrize("compression", COMPRESSIONS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("unprivileged", [False, True], ids=["priv", "unpriv"])
def test_reference_archive_layout_and_pve_restore(fixtures, workdir, unprivileged, layout,
                                                  compression):
    ref = fixtures.reference(unprivileged, layout, compression)
    assert ref.name == f"vzdump-lxc-101-2026_01_02-03_04_05{pve.COMPRESSORS[compression][1]}"
    assert_layout(archive.read(ref), unprivileged=unprivileged, layout=layout)
    # §4.2's config peek finds the first pct.conf by listing a file (magic sniffing)
    listing = subprocess.run(["tar", "tf", str(ref)], stdout=subprocess.PIPE, check=True).stdout
    assert listing.split(b"\n")[0] == b"./etc/vzdump/pct.conf"
    # §4.5 into the same kind of target
    dest = workdir / "restored"
    run = pve_restore_into(ref, dest, unprivileged)
    assert run.returncode == 0, run.stderr
    got = restored_tree(dest)
    want = expected_tree(fixtures, unprivileged, layout, unprivileged)
    assert tree.diff(want, got, ignore_metadata=QUIRK_PATHS) == []
    # the quirks themselves: pct.conf and the empty pct.fw stay in the restored tree
    assert (dest / "etc/vzdump/pct.fw").stat().st_size == 0
    assert (dest / "etc/vzdump/pct.conf").read_text().startswith("arch: amd64\n")


def test_privileged_archive_into_unprivileged_target_fails_like_pve(fixtures, workdir):
    """§7 #1 / §8.4.3: device nodes outside /dev cannot be made in a user namespace: tar exit
    2; everything else lands shifted."""
    run = pve_restore_into(fixtures.reference(False, "stop", "none"), workdir / "r", True)
    assert run.returncode == 2
    assert "Cannot mknod: Operation not permitted" in run.stderr
    assert os.stat(workdir / "r/srv/owned/u1000").st_uid == fixture.SHIFT + 1000


def test_comparer_sees_each_kind_of_damage(fixtures, workdir):
    """Tools that cannot fail prove nothing: each damage below must show in the diff."""
    ref = fixtures.reference(False, "stop", "none")
    dest = workdir / "restored"
    assert pve_restore_into(ref, dest, False).returncode == 0
    want = expected_tree(fixtures, False, "stop", False)
    assert tree.diff(want, restored_tree(dest), ignore_metadata=QUIRK_PATHS) == []

    def damage(rel: str, how) -> list[str]:
        how(os.fsencode(dest) + b"/" + rel.encode())
        found = tree.diff(want, restored_tree(dest), ignore_metadata=QUIRK_PATHS)
        return found

    t = fixture.BASE_MTIME_NS
    cases = [
        ("srv/xattr-user", lambda p: os.setxattr(p, "user.x", b"other"), "xattrs"),
        ("srv/xattr-dropped", lambda p: os.setxattr(p, "trusted.z", b"1"), "xattrs"),
        ("srv/acl/file", lambda p: subprocess.run(["setfacl", "-m", "u:1235:r", p], check=True), "acl_access"),
        ("srv/acl/defdir", lambda p: subprocess.run(["setfacl", "-k", p], check=True), "acl_default"),
        ("usr/bin/ping", lambda p: os.setxattr(p, "security.capability", fixture.capability_xattr(1, None)), "cap"),
        ("srv/sparse.img", lambda p: subprocess.run(["fallocate", "-l", str(fixture.SPARSE_SIZE), p], check=True), "sparse"),
        ("bin/sh-hard", lambda p: (os.unlink(p), open(p, "wb").write(b"\x7fELF fake busybox\n" * 64)), "links"),
        ("srv/owned/u1000", lambda p: os.chown(p, 1001, 1000), "uid"),
        ("srv/owned/nobody", lambda p: os.chown(p, 65534, 0), "gid"),
        ("bin/su", lambda p: os.chmod(p, 0o755), "mode"),
        ("etc/hostname", lambda p: os.utime(p, ns=(t, t + 1)), "mtime_ns"),
        ("bin/sh", lambda p: os.utime(p, ns=(t, t), follow_symlinks=False), "mtime_ns"),
        ("srv/fifo", lambda p: (os.unlink(p), os.mknod(p, 0o640 | 0o020000, os.makedev(1, 3))), "kind"),
        ("srv/null-copy", lambda p: (os.unlink(p), os.mknod(p, 0o600 | 0o020000, os.makedev(1, 5))), "rdev"),
        ("etc/passwd", lambda p: open(p, "ab").write(b"x"), "digest"),
        ("srv/names/with space", os.unlink, "missing"),
        ("srv/new-file", lambda p: open(p, "wb").close(), "extra"),
    ]
    seen = []
    for rel, how, field in cases:
        found = damage(rel, how)
        assert any(field in line for line in found), (rel, field, found)
        seen.append(rel)
        # restore the clean state for the next case
        subprocess.run(["rm", "-rf", str(dest)], check=True)
        assert pve_restore_into(ref, dest, False).returncode == 0
    assert len(seen) == len(cases)
