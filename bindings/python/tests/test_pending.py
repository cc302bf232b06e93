# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pending changes through pypct on a stopped container's config file (no root needed): the
plan writes nothing and agrees with the real run, refusals as pypct error classes, ``pct
pending`` entries and text, value equivalence."""
from pathlib import Path

import pytest

import pypct

BASE = "arch: amd64\nmemory: 512\nostype: debian\nrootfs: /srv/ct\n"


def make_host(tmp_path: Path, text: str = BASE) -> tuple[pypct.Host, Path]:
    (tmp_path / "etc/pve/lxc").mkdir(parents=True)
    conf = tmp_path / "etc/pve/lxc/910301.conf"
    conf.write_text(text)
    return pypct.Host(str(tmp_path)), conf


def test_plan_then_update(tmp_path: Path) -> None:
    host, conf = make_host(tmp_path)
    plan = pypct.plan_config_change(
        910301, {"memory": "1024", "tags": "b;A"}, delete=["onboot"], host=host
    )
    assert conf.read_text() == BASE
    assert [(k.key, k.action, k.effect) for k in plan.keys] == [
        ("onboot", "delete", "unchanged"),
        ("memory", "set", "applied"),
        ("tags", "set", "applied"),
    ]
    assert plan.warnings == ["cannot delete 'onboot' - not set in current configuration!"]
    done = pypct.update_config(
        910301, {"memory": "1024", "tags": "b;A"}, delete=["onboot"], host=host
    )
    assert done == plan
    assert done.errors == []
    assert done.keys[1].current == "512" and done.keys[1].next == "1024"
    assert "memory: 1024\n" in conf.read_text()
    assert "tags: a;b\n" in conf.read_text()


def test_refusals(tmp_path: Path) -> None:
    host, conf = make_host(tmp_path)
    with pytest.raises(pypct.InvalidArgumentError, match="unable to delete required option"):
        pypct.update_config(910301, delete=["rootfs"], host=host)
    with pytest.raises(pypct.InvalidArgumentError, match="no options specified"):
        pypct.update_config(910301, host=host)
    with pytest.raises(pypct.DigestMismatchError):
        pypct.update_config(910301, {"swap": "1"}, digest="0" * 40, host=host)
    with pytest.raises(pypct.NotFoundError):
        pypct.update_config(910302, {"swap": "1"}, host=host)
    assert conf.read_text() == BASE


def test_pending_entries_and_revert(tmp_path: Path) -> None:
    host, conf = make_host(tmp_path, BASE + "\n[pve:pending]\ndelete: !memory\nhostname: h\n")
    entries = pypct.pending_entries(910301, host=host)
    assert [(e.key, e.value, e.pending, e.delete) for e in entries] == [
        ("arch", "amd64", None, 0),
        ("hostname", None, "h", 0),
        ("memory", "512", None, 2),
        ("ostype", "debian", None, 0),
        ("rootfs", "/srv/ct", None, 0),
    ]
    assert pypct.format_pending(entries) == (
        "cur arch: amd64\nnew hostname: h\ndel memory: 512\ncur ostype: debian\n"
        "cur rootfs: /srv/ct\n"
    )
    report = pypct.update_config(910301, revert=["hostname", "memory"], host=host)
    assert [(k.key, k.effect) for k in report.keys] == [
        ("hostname", "applied"),
        ("memory", "applied"),
    ]
    assert conf.read_text() == BASE


def test_equivalent_values() -> None:
    assert pypct.equivalent_values("net0", "name=eth0,hwaddr=bc:24:11:00:00:01",
                                   "name=eth0,hwaddr=BC:24:11:00:00:01")
    assert pypct.equivalent_values("mp0", "local:1/a.raw,mp=/x,size=8G",
                                   "local:1/a.raw,mp=/x,size=8192M")
    assert not pypct.equivalent_values("memory", "512", "513")
