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


@pytest.mark.parametrize("brk", ["\n", "\r", "\0"])
def test_line_break_in_a_model_value_is_refused(brk: str) -> None:
    # A model is not a file: it can hold a line break no reader would give. generate_lxc
    # refuses it as render() does, instead of emitting an extra key.
    host = pypct.HostFacts.proxmox_reference()
    main = pypct.ContainerConfig.parse(CONFIG).main
    options = main.options
    options["hostname"] = "ct101" + brk + "lxc.apparmor.profile = unconfined"
    main.options = options
    cfg = pypct.ContainerConfig(main=main)
    with pytest.raises(pypct.InvalidArgumentError) as err:
        cfg.generate_lxc(host, pypct.Profile.proxmox, vmid=101)
    assert err.value.code == pypct.Errc.invalid_argument
    assert str(err.value).endswith(
        "the value of 'hostname' must not contain a line break (LF, CR or NUL)"
    )

    main = pypct.ContainerConfig.parse(CONFIG).main
    main.lxc = [pypct.LxcEntry(key="lxc.cap.drop", value="x" + brk + "lxc.idmap = u 0 0 1")]
    cfg = pypct.ContainerConfig(main=main)
    with pytest.raises(pypct.InvalidArgumentError, match="'lxc.cap.drop' must not contain"):
        cfg.generate_lxc(host, pypct.Profile.native, vmid=101)


def test_raw_key_outside_lxc_syntax_is_refused() -> None:
    main = pypct.ContainerConfig.parse(CONFIG).main
    main.lxc = [pypct.LxcEntry(key="lxc.apparmor.profile = unconfined #", value="x")]
    cfg = pypct.ContainerConfig(main=main)
    with pytest.raises(pypct.InvalidArgumentError, match="invalid raw lxc key"):
        cfg.generate_lxc(pypct.HostFacts.proxmox_reference(), pypct.Profile.proxmox)


def test_pinned_include_files() -> None:
    host = pypct.HostFacts.proxmox_reference()
    assert host.lxc_config_files is not None and "debian.common.conf" in host.lxc_config_files
    cfg = pypct.ContainerConfig.parse(CONFIG)
    out = cfg.generate_lxc(host, pypct.Profile.proxmox, vmid=101)
    assert "lxc.include = /usr/share/lxc/config/debian.common.conf\n" in out.config
    host.lxc_config_files = ["common.conf"]
    out = cfg.generate_lxc(host, pypct.Profile.proxmox, vmid=101)
    assert "lxc.include = /usr/share/lxc/config/common.conf\n" in out.config
    assert pypct.HostFacts(lxc_config_files=None).lxc_config_files is None
