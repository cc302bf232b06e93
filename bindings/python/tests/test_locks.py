# SPDX-License-Identifier: AGPL-3.0-or-later
"""Locks through pypct on a temporary host (no root needed): ``unlock`` removing any lock and
refusing when there is none, the lock table, and an operation refused by a lock naming it."""
from pathlib import Path

import pytest

import pypct


def make_host(tmp_path: Path, lock: str) -> pypct.Host:
    (tmp_path / "etc/pve/lxc").mkdir(parents=True)
    (tmp_path / "etc/pve/storage.cfg").write_text(
        "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n"
    )
    (tmp_path / "etc/pve/lxc/910401.conf").write_text(
        f"arch: amd64\nlock: {lock}\nrootfs: local:910401/vm-910401-disk-0.raw,size=1G\n"
    )
    return pypct.Host(str(tmp_path))


def test_unlock(tmp_path: Path) -> None:
    host = make_host(tmp_path, "rollback")
    with pytest.raises(pypct.StateError, match=r"^CT is locked \(rollback\)$"):
        pypct.resize_volume(910401, "rootfs", "+1G", host=host)
    assert pypct.unlock(910401, host=host) == "rollback"
    conf = (tmp_path / "etc/pve/lxc/910401.conf").read_text()
    assert "lock" not in conf
    with pytest.raises(pypct.StateError, match="^no lock found trying to remove any lock$"):
        pypct.unlock(910401, host=host)
    with pytest.raises(pypct.NotFoundError):
        pypct.unlock(910402, host=host)


def test_lock_table() -> None:
    assert pypct.lock_allows("start", "mounted")
    assert pypct.lock_allows("stop", "mounted")
    assert not pypct.lock_allows("shutdown", "mounted")
    assert not pypct.lock_allows("set", "backup")
    assert pypct.lock_allows("set", "")
    assert pypct.lock_allows("exec", "snapshot")
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.lock_allows("migrate", "backup")
    rules = {name: (checked, passes) for name, checked, passes, _ in pypct.lock_rules()}
    assert rules["destroy"] == (True, "create")
    assert rules["fsck"] == (False, "")
    assert all(source for _, _, _, source in pypct.lock_rules())
