# SPDX-License-Identifier: AGPL-3.0-or-later
"""Property-string values: parse/render with Proxmox's rules, sizes, round trips."""
import pytest

import pypct


def test_net_parse_render() -> None:
    net = pypct.NetInterface.parse(
        "bridge=vmbr0,name=eth0,ip=10.0.0.2/24,gw=10.0.0.1,firewall=yes,host-managed=1,"
        "mtu=1400,rate=12.50,tag=5,trunks=1;2"
    )
    assert net.name == "eth0"
    assert net.bridge == "vmbr0"
    assert net.firewall is True
    assert net.host_managed is True
    assert net.mtu == 1400
    assert net.rate == "12.50"  # numbers keep their text
    assert net.hwaddr is None
    assert net.render() == (
        "name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,host-managed=1,ip=10.0.0.2/24,"
        "mtu=1400,rate=12.50,tag=5,trunks=1;2"
    )
    assert str(net) == net.render()
    assert pypct.NetInterface.parse(net.render()) == net


def test_net_number_accepts_int_and_float() -> None:
    net = pypct.NetInterface(name="eth0", rate=10)
    assert net.rate == "10"
    setattr(net, "rate", 2.5)  # the stub types the attribute as str; floats convert too
    assert net.rate == "2.5"
    net.rate = None
    assert net.rate is None


def test_net_errors() -> None:
    with pytest.raises(pypct.ParseError) as info:
        pypct.NetInterface.parse("bridge=vmbr0")
    assert info.value.subkey == "name"
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.NetInterface().render()  # name is required
    with pytest.raises(TypeError):
        pypct.NetInterface(colour="red")  # type: ignore[call-arg]


def test_mount_point() -> None:
    mp = pypct.MountPoint.parse(
        "local:101/vm-101-disk-1.raw,mp=/data,size=1536M,backup=0,"
        "idmap=u:0:100000:65536;g:0:100000:65536"
    )
    assert mp.volume == "local:101/vm-101-disk-1.raw"
    assert mp.size == 1536 * 1024 * 1024
    assert mp.backup is False
    assert mp.kind == pypct.VolumeKind.volume
    assert mp.idmap == [
        pypct.IdMapEntry(kind="u", ct=0, host=100000, count=65536),
        pypct.IdMapEntry(kind="g", ct=0, host=100000, count=65536),
    ]
    assert mp.render() == (
        "local:101/vm-101-disk-1.raw,mp=/data,backup=0,"
        "idmap=u:0:100000:65536;g:0:100000:65536,size=1536M"
    )
    # idmap is a copy: editing the list changes nothing until it is assigned back.
    entries = mp.idmap
    entries.pop()
    assert len(mp.idmap) == 2
    mp.idmap = entries
    assert len(mp.idmap) == 1
    mp.volume = "/srv/share"
    assert mp.kind == pypct.VolumeKind.bind
    mp.volume = "/dev/sdb1"
    assert mp.kind == pypct.VolumeKind.device


def test_rootfs() -> None:
    root = pypct.MountPoint.parse_rootfs("local:101/vm-101-disk-0.raw,size=8G,quota=1")
    assert root.mp is None
    assert root.quota is True
    assert root.render_rootfs() == "local:101/vm-101-disk-0.raw,quota=1,size=8G"
    assert str(root) == root.render_rootfs()
    with pytest.raises(pypct.InvalidArgumentError):
        root.render()  # an mpN needs mp
    with pytest.raises(pypct.ParseError):
        pypct.MountPoint.parse_rootfs("local:1,size=huge")


def test_idmap_entry_kind_is_checked() -> None:
    entry = pypct.IdMapEntry(kind="g", ct=1, host=2, count=3)
    assert entry.kind == "g"
    with pytest.raises(ValueError):
        entry.kind = "x"


def test_unused_device_features_startup() -> None:
    assert pypct.UnusedVolume.parse("local:x").volume == "local:x"
    assert pypct.UnusedVolume(volume="local:y").render() == "local:y"
    with pytest.raises(pypct.ParseError):
        pypct.UnusedVolume.parse("nocolon")

    dev = pypct.Device.parse("/dev/ttyUSB0,mode=0660,gid=20,deny-write=1")
    assert (dev.path, dev.mode, dev.gid, dev.deny_write, dev.uid) == (
        "/dev/ttyUSB0", "0660", 20, True, None)
    assert dev.render() == "/dev/ttyUSB0,deny-write=1,gid=20,mode=0660"
    with pytest.raises(pypct.ParseError):
        pypct.Device.parse("/dev/x,mode=12345")

    features = pypct.Features.parse("nesting=1,keyctl=1,mount=nfs;cifs")
    assert features.nesting and features.keyctl and features.fuse is None
    features.fuse = True
    assert features.render() == "fuse=1,keyctl=1,mount=nfs;cifs,nesting=1"
    with pytest.raises(pypct.ParseError) as info:
        pypct.Features.parse("warp=1")
    assert info.value.subkey == "warp"

    startup = pypct.StartupOrder.parse("3,up=10")
    assert (startup.order, startup.up, startup.down) == (3, 10, None)
    assert startup.render() == "order=3,up=10"
    with pytest.raises(pypct.ParseError):
        pypct.StartupOrder.parse("0")


def test_sizes() -> None:
    assert pypct.parse_size("8G") == 8 * 1024**3
    assert pypct.parse_size("1.5KiB") == 1536
    assert pypct.parse_size("4096") == 4096
    assert pypct.format_size(1536 * 1024**2) == "1536M"
    assert pypct.format_size(1000) == "1000"
    with pytest.raises(pypct.ParseError):
        pypct.parse_size("8 G")


@pytest.mark.parametrize(
    "text",
    [
        "name=eth0",
        "name=eth1,bridge=vmbr1,firewall=0,hwaddr=BC:24:11:00:00:01,ip=dhcp,ip6=auto,tag=10",
        "name=veth.9,bridge=vmbr0,gw6=fc00::1,ip6=fc00::2/64,link_down=1,mtu=9000,type=veth",
    ],
)
def test_net_round_trip(text: str) -> None:
    net = pypct.NetInterface.parse(text)
    assert pypct.NetInterface.parse(net.render()) == net
