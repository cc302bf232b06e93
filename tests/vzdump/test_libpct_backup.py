# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 12's second and third acceptance bullets against `pct backup` on real containers:

2. libpct's archives have the member order and pax fields of §2.2/§2.3 (compared member by
   member with the reference archive PVE's command line makes of the same tree) and PVE's §4.5
   restore command line gives the same tree back (§8.3);
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
from libpct_common import CONF_MEMBERS, MP, assert_restored, restore
from pct_host import PCT, PctHost, find_archive
from writer import WRITER, check_writer_invariant

# --- 2. libpct's archives -> PVE -------------------------------------------------------------


def fixture_ct(host: PctHost, unprivileged: bool, device_outside_dev: bool | None = None,
               reference_dir: Path | None = None) -> tuple[int, dict, str]:
    """A stopped CT whose rootfs (subvol) and mp0 (raw ext4 volume, backup=1, at /mnt/data)
    hold the §8.1 tree; returns its id, the tree's snapshot and its config text. With
    ``reference_dir``, PVE's stop-mode archive of it is made there (``reference.tar``), in the
    same mount session."""
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
        if reference_dir is not None:  # what PVE's stop-mode backup writes (§2.1)
            _, run = pve.make_reference(
                snapdir=root, workdir=reference_dir / "ref-tmp", out_dir=reference_dir,
                basename="reference", pct_conf=host.config_text(vmid), layout="stop",
                compression="none", mount_points=[MP],
                idmap=pve.DEFAULT_MAP if unprivileged else None)
            assert run.returncode == 0, run.stderr
    finally:
        host.pct("unmount", vmid).ok()
    return vmid, snap, host.config_text(vmid)


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
    vmid, source, conf = fixture_ct(host, unprivileged, reference_dir=workdir)
    ref = archive.read(workdir / "reference.tar")
    path, log = backup(host, vmid, workdir / "dump", "--mode", "stop", "--compress",
                       "0" if compression == "none" else compression)
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
    assert host.pct("status", vmid).ok().stdout.strip() == "status: running"
    names = archive.read(path).names()
    assert names[:3] == ["./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw", "./"], names[:5]
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
    assert 20 <= at_backup < after  # the writer ran on through the backup


def boot(host: PctHost, vmid: int) -> None:
    host.pct("start", vmid).ok()
    deadline = time.monotonic() + 20
    while host.pct("exec", vmid, "--", "test", "-e", "/run/rcS.done").returncode != 0:
        assert time.monotonic() < deadline, "CT did not boot"
        time.sleep(0.1)


def test_suspend_backup_of_running_ct_has_the_suspend_layout(host, workdir):
    """§2.2 suspend layout from libpct (rsync copy, then tar of `.`): pct.conf twice, a real
    ./etc/vzdump/ member, the mount point inline once; PVE's restore gives the CT's files."""
    vmid = host.vmid()
    host.create(vmid, "--rootfs", "local:0", "--mp0", f"local:0,mp=/{MP},backup=1",
                "--unprivileged", "1")
    images = host.root / "var/lib/vz/images" / str(vmid)
    rootfs, mp = images / f"subvol-{vmid}-disk-0.subvol", images / f"subvol-{vmid}-disk-1.subvol"
    (mp / "on-volume").write_text("kept\n")
    os.chown(mp / "on-volume", fixture.SHIFT + 1000, fixture.SHIFT + 1000)
    boot(host, vmid)
    path, log = backup(host, vmid, workdir / "dump", "--mode", "suspend")
    assert "backup mode: suspend" in log, log
    assert host.pct("status", vmid).ok().stdout.strip() == "status: running"
    a = archive.read(path)
    names = a.names()
    assert names[:3] == ["./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw", "./"], names[:5]
    assert names.count("./etc/vzdump/pct.conf") == 2 and "./etc/vzdump/" in names
    assert names.count(f"./{MP}/") == 1 and f"./{MP}/on-volume" in names
    assert a.header_magics() == {b"ustar\x0000"}
    assert a.first(f"./{MP}/on-volume").uid == 1000
    dest = workdir / "restored"
    run = pve_restore_into(path, dest, True)
    assert run.returncode == 0, run.stderr
    # the files a running busybox does not touch, as they are on the volumes
    stable = [b"bin", b"sbin", b"usr", b"etc"]
    source = {k: v for k, v in tree.snapshot(rootfs).items()
              if k.split(b"/")[0] in stable and not k.startswith(b"etc/vzdump")}
    source.update({b"mnt/data" + (b"" if k == b"." else b"/" + k): v
                   for k, v in tree.snapshot(mp).items()})
    got = {k: v for k, v in restored_tree(dest).items() if k in source}
    want = expected_tree(source, True, "suspend", True)
    found = tree.diff(want, got, ignore_metadata=QUIRK_PATHS)
    assert not found, "\n".join(found)


def test_stop_backup_while_a_volume_is_still_mounted_in_another_namespace(host, workdir):
    """Any process that copied the host's mounts (unshare -m) while the CT was mounted keeps
    its volumes' file systems mounted read-write after `pct unmount`; PVE's stop-mode backup
    mounts them again with the same options and goes on."""
    vmid = host.vmid()
    host.create(vmid, "--rootfs", "local:0", "--mp0", f"local:1,mp=/{MP},backup=1",
                "--unprivileged", "1")
    host.pct("mount", vmid).ok()
    holder = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sleep", "60"])
    try:
        time.sleep(0.3)
        host.pct("unmount", vmid).ok()
        backup(host, vmid, workdir / "dump", "--mode", "stop")
    finally:
        holder.kill()
        holder.wait()
