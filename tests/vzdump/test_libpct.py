# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 12's acceptance, held against `pct backup` / `pct restore` on real containers:

1. reference archives (PVE's own tar command lines on the §8.1 trees) restore with libpct to
   identical trees, privileged and unprivileged (§8.4.1-2);
2. libpct's archives have the member order and pax fields of §2.2/§2.3 (compared member by
   member with the reference archive of the same tree) and PVE's §4.5 restore command line
   gives the same tree back (§8.3);
3. round trips privileged <-> unprivileged; a snapshot-mode backup of a running container on
   btrfs while a writer runs inside gives a consistent tree.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

import archive
import fixture
import pve
import tree
from checks import (QUIRK_PATHS, assert_layout, compare_members, expected_tree,
                    pve_restore_into, restored_tree)
from conftest import LAYOUTS
from pct_host import PCT, PctHost, find_archive, unavailable
from writer import WRITER, check_writer_invariant

CONF_MEMBERS = ("./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw")
MP = fixture.MOUNT_POINT


@pytest.fixture
def host(root_tools: None) -> Iterator[PctHost]:
    why = unavailable()
    if why:
        pytest.skip(why)
    h = PctHost()
    try:
        yield h
    finally:
        h.close()


def ct_tree(host: PctHost, vmid: int) -> dict:
    """The container's files as it sees them: every volume mounted by `pct mount`."""
    host.pct("mount", vmid).ok()
    try:
        return tree.snapshot(host.mount_path(vmid))
    finally:
        host.pct("unmount", vmid).ok()


def restore(host: PctHost, vmid: int, archive_path: Path, *options: str) -> None:
    """`pct restore` in advanced mode onto subvols (no loop devices needed)."""
    host.pct("restore", vmid, archive_path, "--rootfs", "local:0", "--mp0",
             f"local:0,mp=/{MP}", *options, timeout=180).ok()


def assert_restored(host: PctHost, vmid: int, want: dict) -> None:
    got = tree.drop(ct_tree(host, vmid), [b"etc/vzdump"])
    assert tree.diff(want, got, ignore_metadata=QUIRK_PATHS) == []


# --- 1. PVE's archives -> libpct -------------------------------------------------------------


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
    assert "unprivileged" not in host.config_text(vmid)
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


# --- 2. libpct's archives -> PVE -------------------------------------------------------------


def fixture_ct(host: PctHost, unprivileged: bool, device_outside_dev: bool | None = None) -> tuple[int, dict, str]:
    """A stopped CT whose rootfs (subvol) and mp0 (raw ext4 volume, backup=1, at /mnt/data)
    hold the §8.1 tree; returns its id, the tree's snapshot and its config text."""
    vmid = host.vmid()
    host.create(vmid, "--rootfs", "local:0", "--mp0", f"local:1,mp=/{MP},backup=1",
                "--unprivileged", "1" if unprivileged else "0")
    host.pct("mount", vmid).ok()
    try:
        root = host.mount_path(vmid)
        mp = root / MP
        subprocess.run(["find", str(root), "-xdev", "-mindepth", "1", "-depth", "!", "-path",
                        f"{root}/mnt", "!", "-path", str(mp), "-delete"], check=True)
        subprocess.run(["find", str(mp), "-mindepth", "1", "-maxdepth", "1", "!", "-name",
                        "lost+found", "-exec", "rm", "-rf", "{}", "+"], check=True)
        fixture.build(root, unprivileged=unprivileged, mount=False,
                      device_outside_dev=device_outside_dev)
        snap = tree.snapshot(root)
    finally:
        host.pct("unmount", vmid).ok()
    return vmid, snap, host.config_text(vmid)


def reference_of_ct(host: PctHost, vmid: int, unprivileged: bool, conf: str, work: Path) -> Path:
    """What PVE's stop-mode backup of this CT writes (§2.1 on the mounted volumes)."""
    host.pct("mount", vmid).ok()
    try:
        ref, run = pve.make_reference(
            snapdir=host.mount_path(vmid), workdir=work / "ref-tmp", out_dir=work,
            basename="reference", pct_conf=conf, layout="stop", compression="none",
            mount_points=[MP], idmap=pve.DEFAULT_MAP if unprivileged else None)
    finally:
        host.pct("unmount", vmid).ok()
    assert run.returncode == 0, run.stderr
    return ref


def backup(host: PctHost, vmid: int, dump: Path, *options: str) -> tuple[Path, str]:
    dump.mkdir(exist_ok=True)
    ran = host.pct("backup", vmid, "--dumpdir", dump, *options, timeout=180).ok()
    path = find_archive(dump, vmid)
    assert not list(dump.glob("*.dat")) and not list(dump.glob("*.tmp"))
    log = dump / (re.sub(r"\.tar(\.\w+)?$", "", path.name) + ".log")
    assert log.is_file(), sorted(p.name for p in dump.iterdir())
    return path, ran.stdout + log.read_text()


@pytest.mark.parametrize("unprivileged,compression",
                         [(False, "none"), (False, "lzo"), (True, "zstd"), (True, "gzip")],
                         ids=["priv-none", "priv-lzo", "unpriv-zstd", "unpriv-gzip"])
def test_backup_has_pve_layout_and_restores_with_pve_command(host, workdir, unprivileged,
                                                             compression):
    vmid, source, conf = fixture_ct(host, unprivileged)
    ref = archive.read(reference_of_ct(host, vmid, unprivileged, conf, workdir))
    path, log = backup(host, vmid, workdir / "dump", "--mode", "stop", "--compress", compression)
    assert path.name.endswith(pve.COMPRESSORS[compression][1])
    got = archive.read(path)
    # §2.2/§2.3 on their own, then member by member against PVE's archive of the same tree
    assert_layout(got, unprivileged=unprivileged, layout="stop")
    assert compare_members(ref, got, skip=CONF_MEMBERS) == []
    # §2.4: pct.conf is the config as stored (no lock; nothing to drop here)
    conf_now = host.config_text(vmid)
    assert conf_now == conf
    # §4.2: PVE's config peek prints the first occurrence
    peek = subprocess.run(["tar", "-xpOf", str(path), "./etc/vzdump/pct.conf", "--occurrence"],
                          stdout=subprocess.PIPE, check=True).stdout
    assert peek.decode() == conf
    # §4.5: PVE's restore command line into a fresh target of the same kind
    dest = workdir / "restored"
    run = pve_restore_into(path, dest, unprivileged)
    assert run.returncode == 0, run.stderr
    want = expected_tree(source, unprivileged, "stop", unprivileged)
    assert tree.diff(want, restored_tree(dest), ignore_metadata=QUIRK_PATHS) == []


# --- 3. round trips and a consistent snapshot ------------------------------------------------


@pytest.mark.parametrize("first_unprivileged", [False, True], ids=["priv-unpriv-priv",
                                                                   "unpriv-priv-unpriv"])
def test_round_trip_between_privileged_and_unprivileged(host, workdir, first_unprivileged):
    a = first_unprivileged
    vmid, source, _ = fixture_ct(host, a, device_outside_dev=False)
    first, _ = backup(host, vmid, workdir / "d1", "--mode", "stop", "--compress", "zstd")
    other = host.vmid()
    restore(host, other, first, "--unprivileged", "0" if a else "1")
    hop1 = expected_tree(source, a, "stop", not a)
    assert_restored(host, other, hop1)
    second, _ = backup(host, other, workdir / "d2", "--mode", "stop")
    back = host.vmid()
    restore(host, back, second, "--unprivileged", "1" if a else "0")
    hop2 = expected_tree(hop1, not a, "stop", a)
    assert_restored(host, back, hop2)


@pytest.fixture
def btrfs_host(host: PctHost) -> Iterator[PctHost]:
    """The host with a `bt` btrfs storage on a loop file (unmounted by the host's cleanup)."""
    if subprocess.run(["which", "mkfs.btrfs"], stdout=subprocess.DEVNULL).returncode != 0:
        pytest.skip("no mkfs.btrfs")
    image = host.root / "bt.img"
    mnt = host.root / "mnt/bt"
    mnt.mkdir(parents=True)
    with open(image, "wb") as f:
        f.truncate(512 << 20)
    subprocess.run(["mkfs.btrfs", "-q", str(image)], check=True)
    subprocess.run(["mount", "-o", "loop", str(image), str(mnt)], check=True)
    (host.root / "etc/pve").mkdir(parents=True, exist_ok=True)
    (host.root / "etc/pve/storage.cfg").write_text(
        "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl,backup\n\n"
        "btrfs: bt\n\tpath /mnt/bt\n\tcontent rootdir,images\n")
    yield host  # host.close() destroys the CTs, then unmounts everything under its root


def test_snapshot_backup_of_running_ct_with_writer_is_consistent(btrfs_host, workdir):
    host = btrfs_host
    vmid = host.vmid()
    host.create(vmid, "--rootfs", "bt:0", "--unprivileged", "1")
    host.pct("start", vmid).ok()
    deadline = time.monotonic() + 20
    while host.pct("exec", vmid, "--", "test", "-e", "/run/rcS.done").returncode != 0:
        assert time.monotonic() < deadline, "CT did not boot"
        time.sleep(0.1)
    writer = subprocess.Popen([PCT, "--root", str(host.root), "exec", str(vmid), "--", "sh", "-c", WRITER],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def progress() -> int:
            r = host.pct("exec", vmid, "--", "cat", "/w/last")
            return int(r.stdout) if r.returncode == 0 and r.stdout.strip().isdigit() else 0
        deadline = time.monotonic() + 20
        while progress() < 20:
            assert time.monotonic() < deadline and writer.poll() is None, "writer did not start"
            time.sleep(0.1)
        path, log = backup(host, vmid, workdir / "dump", "--mode", "snapshot", "--compress", "zstd")
        after = progress()
        assert writer.poll() is None, "the writer died during the backup"
    finally:
        host.pct("exec", vmid, "--", "touch", "/w/stop")
        try:
            writer.wait(timeout=20)
        except subprocess.TimeoutExpired:
            writer.kill()
    assert "backup mode: snapshot" in log, log
    assert "lock:" not in host.config_text(vmid) and "[vzdump]" not in host.config_text(vmid)
    assert not [p for p in (host.root / "mnt/bt").rglob("*vzdump*")]
    # the archive's tree, through libpct's restore
    other = host.vmid()
    host.pct("restore", other, path, "--rootfs", "local:0", timeout=180).ok()
    host.pct("mount", other).ok()
    try:
        at_backup = check_writer_invariant(host.mount_path(other) / "w")
    finally:
        host.pct("unmount", other).ok()
    assert 20 <= at_backup <= after


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
