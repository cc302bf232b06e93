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
from checks import (COMPRESSIONS, QUIRK_PATHS, assert_layout, compare_members, expected_tree,
                    pve_restore_into, restored_tree)
from conftest import LAYOUTS

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
    want = expected_tree(fixtures.snapshots[unprivileged], unprivileged, layout, unprivileged)
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
    want = expected_tree(fixtures.snapshots[False], False, "stop", False)
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


def test_member_comparer(fixtures):
    """Two compressions of one layout are the same archive; the two layouts are not."""
    conf = ("./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw")
    plain = archive.read(fixtures.reference(True, "stop", "none"))
    zst = archive.read(fixtures.reference(True, "stop", "zstd"))
    assert compare_members(plain, zst, skip=conf) == []
    suspend = archive.read(fixtures.reference(True, "suspend", "none"))
    found = compare_members(plain, suspend, skip=conf)
    assert "'./mnt/data/': 2 times in the reference, 1 here" in found
    assert any(line.startswith("'./share/on-rootfs': 1 times") for line in found)
    priv = archive.read(fixtures.reference(False, "stop", "none"))
    found = compare_members(plain, priv, skip=conf)
    assert any(line.startswith("'./srv/owned/hostuid5': 1 times") for line in found)
    assert any(line.startswith("'./srv/null-copy': 0 times") for line in found)


def test_writer_invariant_checker(tmp_path):
    """The snapshot test's checker accepts each instant of the writer and refuses torn copies."""
    import writer

    def state(files: dict[int, bytes], last: int) -> Path:
        w = tmp_path / f"w{len(list(tmp_path.iterdir()))}"
        w.mkdir()
        for n, data in files.items():
            (w / str(n)).write_bytes(data)
        (w / "last").write_text(f"{last}\n")
        (w / ".tmp").write_bytes(b"7\n7")  # an unfinished next file is fine
        return w

    ok = writer.expected_content
    assert writer.check_writer_invariant(state({5: ok(5), 6: ok(6), 7: ok(7)}, 7)) == 7
    assert writer.check_writer_invariant(state({4: ok(4), 5: ok(5), 6: ok(6), 7: ok(7)}, 6)) == 6
    assert writer.check_writer_invariant(state({1: ok(1)}, 1)) == 1
    torn = [
        state({5: ok(5), 6: ok(6), 7: ok(7)[:4096]}, 7),  # renamed before its data landed
        state({5: ok(5), 7: ok(7)}, 7),  # a gap
        state({5: ok(5), 6: ok(6), 7: ok(7)}, 6),  # `last` behind with only three files
        state({3: ok(3), 4: ok(4), 5: ok(5), 6: ok(6), 7: ok(7)}, 7),  # one removal missed
        state({5: ok(5), 6: ok(6), 7: ok(7)}, 9),  # `last` ahead of the files
    ]
    for w in torn:
        with pytest.raises(AssertionError):
            writer.check_writer_invariant(w)


def test_first_occurrence_wins_and_high_ids_fail_unprivileged(workdir):
    """§2.2/§4.5 (--skip-old-files: the first of duplicate members wins) and §7 #1 (an id
    beyond the target's 65536 fails the unprivileged restore, exit 2), with PVE's command."""
    from checks import DUPLICATES, crafted_archive

    path = crafted_archive(workdir / "dup.tar", "arch: amd64\n",
                           DUPLICATES + [("./high", b"x\n", 70000)])
    assert pve_restore_into(path, workdir / "p", False).returncode == 0
    assert (workdir / "p/a").read_bytes() == b"first\n"
    assert os.stat(workdir / "p/d").st_uid == 1000
    assert os.stat(workdir / "p/high").st_uid == 70000
    run = pve_restore_into(path, workdir / "u", True)
    assert run.returncode == 2 and "Cannot change ownership to uid 70000" in run.stderr, run.stderr
    assert (workdir / "u/a").read_bytes() == b"first\n"
    assert os.stat(workdir / "u/high").st_uid == fixture.SHIFT  # left to the CT root
