# SPDX-License-Identifier: AGPL-3.0-or-later
"""The value-type protocol of every class: keywords, eval-able repr, ==, copies, no hash."""
import copy
from typing import Any

import pytest

import pypct

VALUES: list[Any] = [
    pypct.NetInterface(name="eth0", bridge="vmbr0", firewall=True, mtu=1500, rate="2.5"),
    pypct.MountPoint(volume="local:1", mp="/x", size=8 * 1024**3,
                     idmap=[pypct.IdMapEntry(kind="g", ct=0, host=1000, count=1)]),
    pypct.IdMapEntry(kind="g", ct=1, host=2, count=3),
    pypct.UnusedVolume(volume="local:2"),
    pypct.Device(path="/dev/null", uid=0, deny_write=False),
    pypct.Features(nesting=True, mount="nfs"),
    pypct.StartupOrder(order=1, down=5),
    pypct.LxcEntry(key="lxc.cap.drop", value="sys_time"),
    pypct.Section(options={"memory": "512"}, description="hi\n",
                  lxc=[pypct.LxcEntry(key="lxc.cap.drop", value="x")]),
    pypct.ContainerConfig(main=pypct.Section(options={"arch": "amd64"}),
                          snapshots={"s1": pypct.Section(options={"memory": "1"})}),
    pypct.ContainerSettings(arch=pypct.Arch.arm64, memory=512, cpulimit="1.5",
                            lock=pypct.Lock.snapshot_delete,
                            net={0: pypct.NetInterface(name="eth0")}, env=["A=1"]),
    pypct.Diagnostic(code=pypct.DiagCode.unknown_key, message="m", line=3, key="k"),
    pypct.Problem(code=pypct.Errc.parse, message="m", line=1),
    pypct.HostFacts.proxmox_reference(),
    pypct.ExtraFile(path="/a", content="b"),
    pypct.LxcConfig(config="lxc.arch = amd64\n", warnings=["w"]),
    pypct.ParsedConfig("memory: 512\nbogus\n", vmid=101),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_repr_is_eval_able(value: Any) -> None:
    again = eval(repr(value), vars(pypct))
    assert again == value
    assert type(again) is type(value)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_copies_are_equal_and_independent(value: Any) -> None:
    shallow = copy.copy(value)
    deep = copy.deepcopy(value)
    assert shallow == value and deep == value
    assert shallow is not value and deep is not value


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_unhashable_and_not_equal_to_other_types(value: Any) -> None:
    with pytest.raises(TypeError):
        hash(value)
    assert value != object()
    assert (value == 1) is False


def test_copy_is_independent() -> None:
    net = pypct.NetInterface(name="eth0")
    other = copy.copy(net)
    other.name = "eth1"
    assert net.name == "eth0"


def test_default_constructed_values() -> None:
    assert repr(pypct.NetInterface()) == "NetInterface()"
    assert pypct.MountPoint().idmap == []
    assert pypct.ContainerSettings().net == {}
    assert pypct.Section().empty()


def test_enum_reprs() -> None:
    assert repr(pypct.Arch.amd64) == "Arch.amd64"
    assert repr(pypct.Lock.snapshot_delete) == "Lock.snapshot_delete"
    assert repr(pypct.VolumeKind.bind) == "VolumeKind.bind"
    assert repr(pypct.Profile.proxmox) == "Profile.proxmox"
    assert pypct.OsType.debian.name == "debian"
