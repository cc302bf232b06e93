# SPDX-License-Identifier: AGPL-3.0-or-later
"""Templates and clones through pypct on a temporary host with a dir storage of subvols:
Proxmox's refusals as the pypct error classes (no root needed), and as root a full clone."""
import os
from pathlib import Path

import pytest

import pypct


def make_host(tmp_path: Path) -> pypct.Host:
    (tmp_path / "etc/pve/lxc").mkdir(parents=True)
    rootfs = tmp_path / "var/lib/vz/images/910301/subvol-910301-disk-0.subvol"
    (rootfs / "etc").mkdir(parents=True)
    (rootfs / "etc/hello").write_text("hello\n")
    (tmp_path / "srv/shared").mkdir(parents=True)
    (tmp_path / "etc/pve/storage.cfg").write_text(
        "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n"
    )
    (tmp_path / "etc/pve/lxc/910301.conf").write_text(
        "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01\nostype: unmanaged\n"
        "rootfs: local:910301/subvol-910301-disk-0.subvol,size=0T\n"
    )
    return pypct.Host(str(tmp_path))


def test_clone_refusals(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    with pytest.raises(pypct.UnsupportedError, match="^Linked clone feature for"):
        pypct.clone(910301, 910302, full=False, host=host)
    with pytest.raises(pypct.InvalidArgumentError) as err:
        pypct.clone(910301, 910302, full=False, storage="local", host=host)
    assert str(err.value) == "parameter 'storage' not allowed for linked clones"
    assert err.value.key == "storage"
    with pytest.raises(pypct.NotFoundError, match="snapshot 'nope' does not exist"):
        pypct.clone(910301, 910302, snapname="nope", host=host)
    with pytest.raises(pypct.AlreadyExistsError, match="CT 910301 already exists"):
        pypct.clone(910301, 910301, host=host)
    assert not (tmp_path / "etc/pve/lxc/910302.conf").exists()
    conf = tmp_path / "etc/pve/lxc/910301.conf"
    conf.write_text(conf.read_text() + "mp0: /srv/shared,mp=/shared\n")
    bind = r"unable to clone mountpoint 'mp0' \(type bind\)"
    with pytest.raises(pypct.UnsupportedError, match=bind):
        pypct.clone(910301, 910302, host=host)
    no_template = "Template feature is not available for '/srv/shared'"
    with pytest.raises(pypct.UnsupportedError, match=no_template):
        pypct.make_template(910301, host=host)
    assert "lock" not in conf.read_text()
    with pytest.raises(pypct.NotFoundError):
        pypct.make_template(910399, host=host)


@pytest.mark.skipif(os.geteuid() != 0, reason="the copy mounts the volumes (root)")
def test_full_clone(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    report = pypct.clone(910301, 910302, hostname="copy", host=host)
    assert report.full
    assert report.volumes == [("rootfs", "local:910302/subvol-910302-disk-0.subvol")]
    assert report.messages[0] == (
        "create full clone of mountpoint rootfs (local:910301/subvol-910301-disk-0.subvol)"
    )
    copied = tmp_path / "var/lib/vz/images/910302/subvol-910302-disk-0.subvol/etc/hello"
    assert copied.read_text() == "hello\n"
    text = (tmp_path / "etc/pve/lxc/910302.conf").read_text()
    assert "hostname: copy\n" in text
    assert "BC:24:11:00:00:01" not in text
    assert "lock" not in text


@pytest.mark.skipif(os.geteuid() != 0, reason="the copy mounts the volumes (root)")
def test_full_clone_progress(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    blob = tmp_path / "var/lib/vz/images/910301/subvol-910301-disk-0.subvol/blob"
    blob.write_bytes(b"x" * 2_000_000)
    seen: list[pypct.Progress] = []
    pypct.clone(910301, 910303, progress=seen.append, host=host)
    assert seen, "no progress reported"
    assert {p.phase for p in seen} == {"copy"}
    assert seen[-1].done
    assert seen[-1].bytes >= 2_000_000
    assert all(not p.done for p in seen[:-1])
    # None (the default) reports nothing and still copies.
    pypct.clone(910301, 910304, progress=None, host=host)
    assert (tmp_path / "var/lib/vz/images/910304/subvol-910304-disk-0.subvol/blob").exists()
