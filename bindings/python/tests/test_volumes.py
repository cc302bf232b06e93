# SPDX-License-Identifier: AGPL-3.0-or-later
"""Volume operations through pypct on a temporary host with a dir storage of subvols (no root
needed): rescan adopting an orphan, Proxmox's refusals as the pypct error classes, the df
table formatter."""
from pathlib import Path

import pytest

import pypct


def make_host(tmp_path: Path) -> pypct.Host:
    (tmp_path / "etc/pve/lxc").mkdir(parents=True)
    images = tmp_path / "var/lib/vz/images/910201"
    (images / "subvol-910201-disk-0.subvol").mkdir(parents=True)
    (images / "subvol-910201-disk-1.subvol").mkdir()
    (tmp_path / "etc/pve/storage.cfg").write_text(
        "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n"
    )
    (tmp_path / "etc/pve/lxc/910201.conf").write_text(
        "rootfs: local:910201/subvol-910201-disk-0.subvol,size=0T\n"
    )
    return pypct.Host(str(tmp_path))


def test_rescan_adopts_orphan(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    conf = tmp_path / "etc/pve/lxc/910201.conf"
    before = conf.read_text()
    lines = pypct.rescan(910201, dryrun=True, host=host)
    assert lines[:2] == [
        "NOTE: running in dry-run mode, won't write changes out!",
        "rescan volumes...",
    ]
    assert conf.read_text() == before
    lines = pypct.rescan(host=host)
    assert lines == [
        "rescan volumes...",
        "CT 910201: add unreferenced volume 'local:910201/subvol-910201-disk-1.subvol'"
        " as 'unused0' to config.",
    ]
    assert "unused0: local:910201/subvol-910201-disk-1.subvol\n" in conf.read_text()
    assert pypct.rescan(910201, host=host) == ["rescan volumes..."]


def test_refusals(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    with pytest.raises(pypct.UnsupportedError, match="can't resize this image format"):
        pypct.resize_volume(910201, "rootfs", "+1G", host=host)
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.resize_volume(910201, "rootfs", "1GB", host=host)
    with pytest.raises(pypct.NotFoundError, match="disk 'mp2' does not exist"):
        pypct.resize_volume(910201, "mp2", "+1G", host=host)
    with pytest.raises(pypct.UnsupportedError, match=r"\(format == subvol\)"):
        pypct.fsck(910201, host=host)
    with pytest.raises(pypct.InvalidArgumentError, match="either needs to be set"):
        pypct.move_volume(910201, "rootfs", host=host)
    with pytest.raises(pypct.InvalidArgumentError, match="but not both"):
        pypct.move_volume(910201, "rootfs", "local", target_vmid=910202, host=host)
    with pytest.raises(pypct.InvalidArgumentError, match="Cannot move to/from 'rootfs'"):
        pypct.move_volume(910201, "rootfs", target_vmid=910202, host=host)
    with pytest.raises(pypct.NotFoundError, match="could not find CT 910202"):
        pypct.move_volume(910201, "unused0", target_vmid=910202, host=host)
    with pytest.raises(pypct.InvalidArgumentError, match="only configured volumes"):
        pypct.move_volume(910201, "unused0", "local", host=host)
    with pytest.raises(pypct.NotFoundError):
        pypct.df(910299, host=host)


def test_format_df() -> None:
    row = pypct.DfRow()
    row.key, row.volume, row.path = "rootfs", "local:100/vm-100-disk-0.raw", "/"
    row.total, row.used, row.avail = 2048, 1024, 1024
    assert pypct.format_df([row]) == (
        "MP     Volume                      Size Used Avail Use% Path\n"
        "rootfs local:100/vm-100-disk-0.raw 2.0K 1.0K  1.0K  0.5 /\n"
    )
