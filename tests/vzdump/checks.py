# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks shared by the suites: the §2.2/§2.3 layout of an archive, PVE's restore into a
fresh target, the tree a restore must give, and archive-to-archive member comparison."""
from __future__ import annotations

import os
from pathlib import Path

import archive
import fixture
import pve
import tree
from conftest import excluded_paths

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


def expected_tree(source: dict, unprivileged_source: bool, layout: str, unprivileged_target: bool):
    """What PVE's backup of the tree ``source`` (a snapshot) then a restore must give."""
    excluded = excluded_paths(unprivileged=unprivileged_source, layout=layout)
    if unprivileged_source:  # `--exclude=lost+found` is unanchored: any depth (§2.7)
        excluded += [k for k in source if k.rsplit(b"/", 1)[-1] == b"lost+found"]
    return tree.expected_after_restore(
        source,
        source_shift=fixture.SHIFT if unprivileged_source else 0,
        target_shift=fixture.SHIFT if unprivileged_target else 0,
        excluded=excluded)


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
    assert not unprivileged or not any(n.rstrip("/").endswith("/lost+found") for n in names)
    # §2.7 excludes, applied anchored at the CT root only; §2.3: sockets skipped
    for rel in fixture.STD_EXCLUDED:
        assert f"./{rel}" not in names
    assert {"./tmp/", "./var/tmp/", "./var/run/acpid", f"./{fixture.MOUNT_POINT}/tmp/not-excluded"} <= set(names)
    assert "./srv/socket" not in names
    assert ("./srv/lost+found/" in names) != unprivileged
    assert ("./srv/lost+found/inner/kept-only-privileged" in names) != unprivileged
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




def _acl_lines(text: str | None) -> list[str] | None:
    return None if text is None else sorted(line for line in text.split("\n") if line)


def member_facts(m: archive.Member) -> dict:
    """What §8.3.2 compares per member (hard-link targets apart: they name whichever path of
    the group came first in readdir order)."""
    return {
        "kind": m.kind, "mode": m.mode, "uid": m.uid, "gid": m.gid, "size": m.size,
        "mtime": int(m.mtime), "symlink": m.linkname if m.kind == "symlink" else None,
        "dev": (m.devmajor, m.devminor) if m.kind in ("chr", "blk") else None,
        "xattrs": m.xattrs(),
        "acl": (_acl_lines(m.pax.get("SCHILY.acl.access")),
                _acl_lines(m.pax.get("SCHILY.acl.default"))),
        "sparse": (m.pax.get("GNU.sparse.major"), m.pax.get("GNU.sparse.minor"),
                   m.pax.get("GNU.sparse.realsize"),
                   [tuple(s) for s in m.sparse] if m.sparse is not None else None),
        "pax_keys": sorted(k for k in m.pax if k != "path"),
    }


def compare_members(ref: archive.Archive, got: archive.Archive, skip: tuple[str, ...] = ()) -> list[str]:
    """Differences between two archives of the same tree: the name multiset and, per name, the
    facts of its first occurrence. Hard links are compared as groups of names."""
    out = []
    rnames = [n for n in ref.names() if n not in skip]
    gnames = [n for n in got.names() if n not in skip]
    for n in sorted(set(rnames) | set(gnames)):
        if rnames.count(n) != gnames.count(n):
            out.append(f"{n!r}: {rnames.count(n)} times in the reference, {gnames.count(n)} here")
    def first(a: archive.Archive) -> dict[str, archive.Member]:
        seen: dict[str, archive.Member] = {}
        for m in a.members:
            seen.setdefault(m.name, m)
        return seen
    rf, gf = first(ref), first(got)
    for n in sorted(set(rf) & set(gf) - set(skip)):
        r, g = member_facts(rf[n]), member_facts(gf[n])
        if r["kind"] == "hardlink" or g["kind"] == "hardlink":
            for d in (r, g):  # a link member has no size/data of its own
                d["kind"], d["size"], d["sparse"] = "file", 0, None
        for k in r:
            if r[k] != g[k]:
                out.append(f"{n!r}: {k} reference {r[k]!r}, libpct {g[k]!r}")
    def groups(a: archive.Archive) -> set[frozenset[str]]:
        by_target: dict[str, set[str]] = {}
        for m in a.members:
            if m.kind == "hardlink" and not m.name.startswith("./etc/vzdump/"):
                by_target.setdefault(m.linkname, {m.linkname}).add(m.name)
        return {frozenset(v) for v in by_target.values()}
    if groups(ref) != groups(got):
        out.append(f"hard-link groups: reference {groups(ref)}, libpct {groups(got)}")
    return out


def crafted_archive(path: Path, conf: str, members: list[tuple[str, bytes | None, int]]) -> Path:
    """A hand-made pax archive in vzdump's shape (pct.conf, empty pct.fw, ``./``, then
    ``members``: name, data (None: a dir), uid=gid), for the cases PVE's tar never writes."""
    import io
    import tarfile

    def add(tf: tarfile.TarFile, name: str, data: bytes | None, uid: int, mode: int) -> None:
        ti = tarfile.TarInfo(name)
        ti.uid = ti.gid = uid
        ti.mtime = 1_700_000_000
        ti.mode = mode
        if data is None:
            ti.type = tarfile.DIRTYPE
            tf.addfile(ti)
        else:
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))

    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        add(tf, "./etc/vzdump/pct.conf", conf.encode(), 0, 0o644)
        add(tf, "./etc/vzdump/pct.fw", b"", 0, 0o644)
        add(tf, "./", None, 0, 0o755)
        for name, data, uid in members:
            add(tf, name, data, uid, 0o755 if data is None else 0o644)
    return path


DUPLICATES = [("./a", b"first\n", 0), ("./a", b"second\n", 0), ("./d/", None, 1000),
              ("./d/", None, 0), ("./d/f", b"in d\n", 0)]
