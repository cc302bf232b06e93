# SPDX-License-Identifier: AGPL-3.0-or-later
"""LXC config generation through pypct."""
import pytest

import pypct

CONFIG = """arch: amd64
hostname: ct101
memory: 512
ostype: debian
rootfs: local:101/vm-101-disk-0.raw,size=8G
net0: name=eth0,bridge=vmbr0,ip=dhcp
"""


def test_proxmox_profile_with_reference_facts() -> None:
    cfg = pypct.ContainerConfig.parse(CONFIG)
    host = pypct.HostFacts.proxmox_reference()
    assert host.lxc_version == "6.0" and host.cgroup == pypct.CgroupMode.v2
    out = cfg.generate_lxc(host, pypct.Profile.proxmox, vmid=101)
    assert "lxc.arch = amd64\n" in out.config
    assert "lxc.uts.name = ct101\n" in out.config
    assert "lxc.net.0.hwaddr = BC:24:11:00:00:01\n" in out.config
    assert str(out) == out.config
    assert all(isinstance(f, pypct.ExtraFile) for f in out.files)


def test_host_facts_change_the_output() -> None:
    cfg = pypct.ContainerConfig.parse(CONFIG)
    host = pypct.HostFacts.proxmox_reference()
    host.mac_prefix = "02:00:00"
    out = cfg.generate_lxc(host, pypct.Profile.proxmox, vmid=101)
    assert "lxc.net.0.hwaddr = 02:00:00:00:00:01\n" in out.config


def test_missing_arch_is_proxmox_error() -> None:
    cfg = pypct.ContainerConfig.parse("hostname: x\nostype: debian\n")
    with pytest.raises(pypct.Error) as info:
        cfg.generate_lxc(pypct.HostFacts.proxmox_reference(), pypct.Profile.proxmox)
    assert "missing 'arch'" in str(info.value)


def test_native_profile_on_this_host() -> None:
    host = pypct.HostFacts.detect()
    assert host.lxc_version
    cfg = pypct.ContainerConfig.parse(CONFIG.replace("bridge=vmbr0", "bridge=pctnone0"))
    try:
        out = cfg.generate_lxc(host, vmid=101)
    except pypct.NotFoundError as e:  # the host has no such bridge: Proxmox refuses too
        assert e.key == "net0"
    else:
        assert "lxc.arch" in out.config
