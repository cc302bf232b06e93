# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 12's first acceptance bullet against libpct's restore on real containers: reference
archives (PVE's own tar command lines on the §8.1 trees, every layout and compression) restore
to identical trees, privileged and unprivileged (§8.4.1); duplicates give the first occurrence
and unpack errors fail like PVE with nothing left behind (§8.4.2-3).
"""
from __future__ import annotations

import os

import pytest

import fixture
import pve
import tree
from checks import expected_tree
from conftest import LAYOUTS
from libpct_common import RESTORE_QUIRK_PATHS, assert_restored, ct_tree, restore




@pytest.mark.parametrize("compression", list(pve.COMPRESSORS))
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("unprivileged", [False, True], ids=["priv", "unpriv"])
def test_reference_archive_restores_to_the_same_tree(fixtures, host, unprivileged, layout,
                                                     compression):
    ref = fixtures.reference(unprivileged, layout, compression)
    vmid = host.vmid()
    restore(host, vmid, ref)
    conf = host.config_text(vmid)
    assert ("unprivileged: 1\n" in conf) == unprivileged  # §4.3: from the archive's pct.conf
    assert "lock:" not in conf
    assert_restored(host, vmid, expected_tree(fixtures.snapshots[unprivileged], unprivileged,
                                              layout, unprivileged))


def test_unprivileged_reference_into_privileged_target(fixtures, host):
    vmid = host.vmid()
    restore(host, vmid, fixtures.reference(True, "stop", "zstd"), "--unprivileged", "0")
    assert "unprivileged: 1" not in host.config_text(vmid)
    assert_restored(host, vmid, expected_tree(fixtures.snapshots[True], True, "stop", False))


def test_privileged_reference_into_unprivileged_target(fixtures, host):
    """Device nodes outside /dev cannot be made in the target's user namespace: the restore
    fails like PVE's and leaves nothing (§7 #1, §8.4.3), unless unpack errors are ignored."""
    ref = fixtures.reference(False, "stop", "none")
    vmid = host.vmid()
    failed = host.pct("restore", vmid, ref, "--rootfs", "local:0", "--unprivileged", "1")
    assert failed.returncode != 0
    assert not (host.root / "etc/pve/lxc" / f"{vmid}.conf").exists()
    assert not (host.root / "var/lib/vz/images" / str(vmid)).exists() or \
        not any((host.root / "var/lib/vz/images" / str(vmid)).iterdir())
    restore(host, vmid, ref, "--unprivileged", "1", "--ignore-unpack-errors", "1")
    want = expected_tree(fixtures.snapshots[False], False, "stop", True)
    want = tree.drop(want, [b"srv/null-copy", b"srv/blockdev"])
    assert_restored(host, vmid, want)


def test_first_occurrence_wins_and_high_ids_refused_unprivileged(host, workdir):
    """§8.4.2-3 on a hand-made archive: duplicates give the first occurrence; an id beyond the
    unprivileged target's map fails the restore with nothing left, unless unpack errors are
    ignored (then the file is left to the CT root, as with PVE)."""
    from checks import DUPLICATES, crafted_archive

    path = crafted_archive(workdir / "vzdump-lxc-101-2026_01_02-03_04_05.tar",
                           "arch: amd64\nhostname: dup\nostype: debian\nrootfs: local:101/vm-101-disk-0.raw,size=1G\n",
                           DUPLICATES + [("./high", b"x\n", 70000)])
    vmid = host.vmid()
    host.pct("restore", vmid, path, "--rootfs", "local:0").ok()
    host.pct("mount", vmid).ok()
    try:
        root = host.mount_path(vmid)
        assert (root / "a").read_bytes() == b"first\n"
        assert os.stat(root / "d").st_uid == 1000
        assert os.stat(root / "high").st_uid == 70000
    finally:
        host.pct("unmount", vmid).ok()
    other = host.vmid()
    failed = host.pct("restore", other, path, "--rootfs", "local:0", "--unprivileged", "1")
    assert failed.returncode != 0
    assert not (host.root / "etc/pve/lxc" / f"{other}.conf").exists()
    images = host.root / "var/lib/vz/images" / str(other)
    assert not images.exists() or not any(images.iterdir())
    host.pct("restore", other, path, "--rootfs", "local:0", "--unprivileged", "1",
             "--ignore-unpack-errors", "1").ok()
    host.pct("mount", other).ok()
    try:
        root = host.mount_path(other)
        assert (root / "a").read_bytes() == b"first\n"
        assert os.stat(root / "high").st_uid == fixture.SHIFT
    finally:
        host.pct("unmount", other).ok()


def test_simple_mode_recreates_the_archived_volumes(fixtures, host):
    """§4.4 simple mode: the archive's rootfs/mp0 come back on `local` with their recorded
    sizes (raw ext4 images), the bind mount point is added back to the config only."""
    vmid = host.vmid()
    host.pct("restore", vmid, fixtures.reference(True, "stop", "zstd"), timeout=180).ok()
    conf = host.config_text(vmid)
    assert f"rootfs: local:{vmid}/vm-{vmid}-disk-0.raw,size=1G\n" in conf, conf
    assert f"mp0: local:{vmid}/vm-{vmid}-disk-1.raw,mp=/mnt/data,backup=1,size=1G\n" in conf, conf
    assert "mp1: /srv/bind-source,mp=/share\n" in conf, conf
    assert "unprivileged: 1\n" in conf
    # mkfs made a lost+found at each volume root (owned by host root, as on PVE); the bind
    # mount (its host dir made here) covers the archived /share in the mounted view
    (host.root / "srv/bind-source").mkdir(parents=True)
    new_dirs = [b"lost+found", b"mnt/data/lost+found"]
    got = tree.drop(ct_tree(host, vmid), [b"etc/vzdump", b"share"] + new_dirs)
    want = tree.drop(expected_tree(fixtures.snapshots[True], True, "stop", True), [b"share"])
    assert tree.diff(want, got, ignore_metadata=RESTORE_QUIRK_PATHS) == []
