# SPDX-License-Identifier: AGPL-3.0-or-later
"""``Container.mount()`` / ``unmount()`` (``pct mount`` / ``pct unmount``) on a throw-away host
layout: a bind-mounted rootfs with a read-only bind mount point, the ``mounted`` lock and
Proxmox's refusals. Root only; whatever a failing case leaves mounted is unmounted."""
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

import pypct


@pytest.fixture
def mount_root() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("not running as root (mounts need root)")
    root = Path(tempfile.mkdtemp(prefix="pct-pymount-", dir="/tmp"))
    try:
        yield root
    finally:
        subprocess.run(["umount", "-R", str(root / "var/lib/lxc/4545/rootfs")],
                       stderr=subprocess.DEVNULL, check=False)
        subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=False)


def test_mount_and_unmount(mount_root: Path) -> None:
    (mount_root / "etc/pve/lxc").mkdir(parents=True)
    (mount_root / "srv/ct-root/etc").mkdir(parents=True)
    (mount_root / "srv/data").mkdir(parents=True)
    (mount_root / "srv/data/hello").write_text("hi\n")
    conf = mount_root / "etc/pve/lxc/4545.conf"
    conf.write_text("arch: amd64\nostype: debian\nrootfs: /srv/ct-root\n"
                    "mp0: /srv/data,mp=/mnt/data,ro=1\n")
    host = pypct.Host(str(mount_root))
    with pypct.Container(4545, host=host) as ct:
        report = ct.mount()
        assert isinstance(report, pypct.MountReport)
        assert report.path == f"{mount_root}/var/lib/lxc/4545/rootfs"
        assert report.warnings == []
        assert "lock: mounted\n" in conf.read_text()
        assert (Path(report.path) / "mnt/data/hello").read_text() == "hi\n"
        with pytest.raises(OSError):
            (Path(report.path) / "mnt/data/new").write_text("x")  # ro bind
        with pytest.raises(pypct.StateError, match=r"^CT is locked \(mounted\)$"):
            ct.mount()
        ct.unmount()
        assert not (Path(report.path) / "mnt/data/hello").exists()
        assert "lock:" not in conf.read_text()
        with pytest.raises(pypct.StateError,
                           match="no lock found trying to remove 'mounted' lock"):
            ct.unmount()

        conf.write_text("arch: amd64\nostype: debian\nrootfs: /srv/ct-root\n"
                        "mp0: /srv/missing,mp=/mnt/missing\n")
        with pytest.raises(pypct.NotFoundError) as missing:
            ct.mount()
        assert missing.value.key == "mp0"
        assert str(missing.value).endswith(f"directory '{mount_root}/srv/missing' does not exist")
        assert "lock: mounted\n" in conf.read_text()  # as Proxmox: the lock stays
        ct.unmount()
