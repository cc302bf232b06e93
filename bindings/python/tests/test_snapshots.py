# SPDX-License-Identifier: AGPL-3.0-or-later
"""Snapshots through pypct on a temporary host (no root needed): the list and Proxmox's tree,
a delete of a snapshot without volumes, the blocking check naming a bind mount and the refused
create, the name rule and the missing snapshot as pypct error classes."""
from pathlib import Path

import pytest

import pypct

CONF = (
    "mp0: /srv/data,mp=/data\nostype: debian\nparent: s2\n\n"
    "[s1]\n#first\nostype: debian\nsnaptime: 100\n\n"
    "[s2]\nostype: debian\nparent: s1\nsnaptime: 200\n"
)


def make_host(tmp_path: Path) -> pypct.Host:
    (tmp_path / "etc/pve/lxc").mkdir(parents=True)
    (tmp_path / "etc/pve/lxc/910301.conf").write_text(CONF)
    return pypct.Host(str(tmp_path))


def test_list_and_tree(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    snaps = pypct.list_snapshots(910301, host=host)
    assert [s.name for s in snaps] == ["s1", "s2", "current"]
    assert snaps[0].description == "first\n"
    assert snaps[1].parent == "s1" and snaps[1].snaptime == 200
    assert snaps[2].current and snaps[2].parent == "s2"
    tree = pypct.format_snapshot_tree(snaps).splitlines()
    assert tree[0].startswith("`-> s1 ") and tree[0].endswith(" first")
    assert tree[1].startswith(" `-> s2 ") and tree[1].endswith(" no-description")
    assert tree[2].startswith("  `-> current ") and tree[2].endswith(" You are here!")


def test_delete_relinks_parent(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    report = pypct.snapshot_delete(910301, "s2", host=host)
    assert report.warnings == []
    conf = (tmp_path / "etc/pve/lxc/910301.conf").read_text()
    assert "[s2]" not in conf and "parent: s1\n" in conf and "lock:" not in conf
    with pytest.raises(pypct.NotFoundError, match="snapshot 's2' does not exist"):
        pypct.snapshot_delete(910301, "s2", host=host)


def test_bind_mount_blocks(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    blockers = pypct.snapshot_blockers(910301, host=host)
    assert [(b.key, b.volume, b.reason) for b in blockers] == [
        ("mp0", "/srv/data", "bind mount")
    ]
    conf = tmp_path / "etc/pve/lxc/910301.conf"
    with pytest.raises(pypct.UnsupportedError) as err:
        pypct.snapshot_create(910301, "s3", host=host)
    assert err.value.key == "mp0"
    assert "bind mount" in str(err.value)
    assert conf.read_text() == CONF


def test_names_and_missing(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    pypct.check_snapshot_name("before-upgrade")
    with pytest.raises(pypct.InvalidArgumentError, match="reserved name"):
        pypct.check_snapshot_name("vzdump")
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.snapshot_create(910301, "1x", host=host)
    with pytest.raises(pypct.NotFoundError):
        pypct.snapshot_rollback(910301, "nope", host=host)
