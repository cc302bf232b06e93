# SPDX-License-Identifier: AGPL-3.0-or-later
"""Config files: parse/load/render, sections as mappings, typed settings, lossless edits."""
import hashlib
import time
from pathlib import Path

import pytest

import pypct

CANONICAL = """# My container
# second line
arch: amd64
cores: 2
dev0: /dev/ttyUSB0,mode=0660,gid=20
features: nesting=1,keyctl=1
hostname: ct101
memory: 512
mp0: local:101/vm-101-disk-1.raw,mp=/data,backup=1,size=4G
net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,type=veth
ostype: debian
rootfs: local:101/vm-101-disk-0.raw,size=8G
startup: order=2,up=30
swap: 512
unused0: local:101/vm-101-disk-2.raw
lxc.environment.runtime: FOO=bar
lxc.cgroup2.devices.allow: c 10:200 rwm

[pve:pending]
delete: swap
memory: 1024

[snap1]
arch: amd64
hostname: ct101
memory: 512
snaptime: 1700000000
"""


def test_parse_and_render(sample_text: str) -> None:
    cfg = pypct.ContainerConfig.parse(sample_text)
    assert cfg.main["memory"] == "512"
    assert cfg.main.description == " My container\n second line\n"
    assert cfg.main.lxc == [pypct.LxcEntry(key="lxc.cgroup2.devices.allow", value="c 10:200 rwm")]
    assert cfg.main["env"] == "FOO=bar"
    assert cfg.pending["delete"] == "swap"
    assert list(cfg.snapshots) == ["snap1"]
    assert cfg.render() == CANONICAL
    assert str(cfg) == CANONICAL
    assert pypct.ContainerConfig.parse(cfg.render()) == cfg


def test_parse_accepts_bytes(sample_text: str) -> None:
    assert pypct.ContainerConfig.parse(sample_text.encode()) == pypct.ContainerConfig.parse(sample_text)


def test_load(sample_file: Path) -> None:
    cfg = pypct.ContainerConfig.load(str(sample_file))
    assert cfg.main["hostname"] == "ct101"
    with pytest.raises(pypct.ParseError) as info:
        sample_file.write_text("memory: lots\n")
        pypct.ContainerConfig.load(str(sample_file), strict=True)
    assert "vm 101 - " in str(info.value)
    assert info.value.context == str(sample_file)
    with pytest.raises(pypct.ParseError) as info:
        pypct.ContainerConfig.load(str(sample_file), vmid=555, strict=True)
    assert "vm 555 - " in str(info.value)


def test_section_mapping(sample_text: str) -> None:
    cfg = pypct.ContainerConfig.parse(sample_text)
    main = cfg.main
    assert "memory" in main and "nosuch" not in main
    assert main.get("nosuch") is None
    assert main.get("nosuch", "x") == "x"
    assert list(main)[:3] == ["arch", "cores", "dev0"]
    assert main.keys() == list(main)
    assert ("memory", "512") in main.items()
    assert len(main) == 14  # env included
    with pytest.raises(KeyError):
        main["nosuch"]
    # main is a view: changes apply to cfg.
    cfg.main["onboot"] = "yes"
    assert cfg.main["onboot"] == "1"  # normalized like the file parser
    cfg.main["cores"] = "007"
    assert cfg.main["cores"] == "7"
    del cfg.main["onboot"]
    assert "onboot" not in cfg.main
    with pytest.raises(KeyError):
        del cfg.main["onboot"]
    with pytest.raises(pypct.InvalidArgumentError) as info:
        cfg.main["memory"] = "lots"
    assert info.value.key == "memory"
    assert str(info.value) == "type check ('integer') failed - got 'lots'"
    with pytest.raises(pypct.InvalidArgumentError):
        cfg.main["vmstate"] = "x"
    with pytest.raises(pypct.InvalidArgumentError):
        cfg.main["lxc.cap.drop"] = "x"
    cfg.main["description"] = "new text\n"
    assert cfg.main.description == "new text\n"
    # options is a copy: assign it back.
    options = cfg.main.options
    options["memory"] = "4096"
    assert cfg.main["memory"] == "512"
    cfg.main.options = options
    assert cfg.main["memory"] == "4096"


def test_section_raw_lxc_key_rule() -> None:
    # Raw lxc keys are those of the file reader's syntax (lxc\.[a-z0-9_.-]+, the rule of
    # pct::edit::is_lxc_key): they belong in Section.lxc. Other `lxc.` keys are unknown options.
    section = pypct.Section()
    with pytest.raises(pypct.InvalidArgumentError) as info:
        section["lxc.cap.drop"] = "x"
    assert str(info.value) == "raw lxc keys are entries of Section.lxc, not options"
    for key in ("lxc.", "lxc.Cap", "lxc.a b"):
        with pytest.raises(pypct.InvalidArgumentError) as info:
            section[key] = "x"
        assert str(info.value) == f"unknown setting '{key}'"
        assert info.value.key == key
    assert len(section) == 0


def test_sections_by_name(sample_text: str) -> None:
    cfg = pypct.ContainerConfig.parse(sample_text)
    cfg.section("snap1")["memory"] = "64"
    assert cfg.snapshots["snap1"]["memory"] == "64"
    cfg.section("pve:pending")["hostname"] = "next"
    assert cfg.pending["hostname"] == "next"
    assert cfg.section() == cfg.main
    with pytest.raises(pypct.NotFoundError):
        cfg.section("nosuch")
    # snapshots is a copy.
    snaps = cfg.snapshots
    snaps["snap2"] = pypct.Section(options={"memory": "1"})
    assert "snap2" not in cfg.snapshots
    cfg.snapshots = snaps
    assert "[snap2]\nmemory: 1\n" in cfg.render()


def test_settings(sample_text: str) -> None:
    cfg = pypct.ContainerConfig.parse(sample_text)
    s = cfg.main.settings()
    assert s.arch == pypct.Arch.amd64
    assert s.memory == 512 and s.swap == 512 and s.cores == 2
    assert s.os_type() == pypct.OsType.debian
    assert s.net[0].bridge == "vmbr0"
    assert s.rootfs is not None and s.rootfs.size == 8 * 1024**3
    assert s.mp[0].mp == "/data"
    assert s.unused[0].volume == "local:101/vm-101-disk-2.raw"
    assert s.dev[0].gid == 20
    assert s.features == pypct.Features(nesting=True, keyctl=True)
    assert s.startup == pypct.StartupOrder(order=2, up=30)
    assert s.env == ["FOO=bar"]
    # Back into a section and through the whole cycle.
    section = pypct.Section.from_settings(s)
    assert section.settings() == s
    s.hostname = "renamed"
    s.net = {**s.net, 1: pypct.NetInterface(name="eth1", bridge="vmbr1")}
    section = pypct.Section.from_settings(s)
    assert section["hostname"] == "renamed"
    assert section["net1"] == "name=eth1,bridge=vmbr1"
    bad = pypct.Section(options={"memory": "lots"})
    with pytest.raises(pypct.InvalidArgumentError) as info:
        bad.settings()
    assert info.value.key == "memory"


def test_validate(sample_text: str) -> None:
    assert pypct.ContainerConfig.parse(sample_text).validate() == []
    cfg = pypct.ContainerConfig.parse("arch: amd64\ncores: 9000\nnet0: name=eth0,tag=5000\n")
    problems = cfg.validate()
    assert {(p.key, p.subkey) for p in problems} >= {("cores", ""), ("net0", "tag")}
    assert all(p.code == pypct.Errc.invalid_argument and p.message for p in problems)
    assert pypct.validate_value("memory", "512") == []
    [problem] = pypct.validate_value("ostype", "windows")
    assert problem.key == "ostype"
    assert pypct.validate_vmid(100) == 100
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.validate_vmid(99)
    assert pypct.check_type("onboot", "yes") == "1"
    with pytest.raises(pypct.ParseError) as info:
        pypct.check_type("memory", "x")
    assert info.value.key == "memory"


def test_text_helpers() -> None:
    assert pypct.encode_text("a: 50%") == "a%3A 50%25"
    assert pypct.decode_text("a%3A 50%25") == "a: 50%"
    assert pypct.vmid_from_path("/etc/pve/lxc/123.conf") == 123
    assert pypct.vmid_from_path("x.conf") == 100


def test_parsed_config_warnings_and_digest() -> None:
    text = "arch: amd64\nmemory: abc\nbogus line\n[snap1]\nvmstate: 1\n"
    parsed = pypct.ParsedConfig.parse(text, vmid=205)
    assert parsed.digest == hashlib.sha1(text.encode()).hexdigest()
    assert parsed.vmid == 205 and parsed.strict is False and parsed.file == ""
    codes = [(w.code, w.line, w.key, w.section) for w in parsed.warnings]
    assert codes == [
        (pypct.DiagCode.invalid_value, 2, "memory", ""),
        (pypct.DiagCode.invalid_line, 3, "", ""),
        (pypct.DiagCode.unknown_key, 5, "vmstate", "snap1"),
    ]
    assert parsed.warnings[0].message == (
        "vm 205 - unable to parse value of 'memory' - type check ('integer') failed - got 'abc'")
    assert parsed.config.main["memory"] == "abc"  # kept, as Proxmox does
    with pytest.raises(pypct.ParseError):
        pypct.ParsedConfig.parse(text, strict=True)


def test_lossless_edits(sample_file: Path) -> None:
    parsed = pypct.ParsedConfig.load(str(sample_file))
    assert parsed.vmid == 101 and parsed.file == str(sample_file)
    digest = parsed.digest
    parsed.set("memory", "2048")
    parsed.set("onboot", "yes")
    parsed.set("hostname", "next", section="pve:pending")
    parsed.set("memory", "64", section="snap2")
    parsed.delete("swap")
    assert parsed.get("memory") == "2048"
    assert parsed.get("onboot") == "1"
    assert parsed.get("hostname", "pve:pending") == "next"
    assert parsed.get("memory", "snap2") == "64"
    assert parsed.get("swap") is None
    assert parsed.get("memory", "nosuch") is None
    assert parsed.get("description") == " My container\n second line\n"
    text = parsed.text
    assert text.startswith("# My container\n# second line\narch: amd64\ncores: 2\n")
    assert "memory: 2048\nnet0:" in text
    assert "swap" not in text.split("[pve:pending]")[0]
    assert parsed.digest == digest  # identifies the version on disk
    assert parsed.config.main["memory"] == "2048"
    # config is a copy.
    parsed.config.main["memory"] = "1"
    assert parsed.get("memory") == "2048"
    with pytest.raises(pypct.InvalidArgumentError) as info:
        parsed.set("memory", "lots")
    assert info.value.key == "memory"
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.set("delete", "memory")  # only in [pve:pending]
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.set("lxc.rootfs.path", "/x")
    with pytest.raises(pypct.NotFoundError) as missing:
        parsed.delete("swap")
    assert str(missing.value) == "'swap' is not set in the main section"  # as pct_config_delete
    parsed.set("lxc.cgroup2.devices.allow", "c 1:1 rwm")
    assert parsed.config.main.lxc[0].value == "c 1:1 rwm"
    parsed.set("description", "only this\n")
    assert parsed.get("description") == "only this\n"
    parsed.save()
    assert sample_file.read_text() == parsed.text
    again = pypct.ParsedConfig.load(str(sample_file))
    assert again.config == parsed.config
    canonical = sample_file.with_name("canon.conf")
    parsed.save(str(canonical), lossless=False)
    assert canonical.read_text() == parsed.render() == str(parsed)
    assert parsed.validate() == []


def test_parsed_config_save_needs_a_path() -> None:
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.ParsedConfig.parse("memory: 1\n").save()


def test_save_failure_is_a_storage_error(tmp_path: Path) -> None:
    parsed = pypct.ParsedConfig.parse("memory: 1\n")
    with pytest.raises(pypct.StorageError) as info:
        parsed.save(str(tmp_path / "missing" / "x.conf"))
    assert info.value.sys_errno != 0


def test_parsed_config_strict_edits() -> None:
    parsed = pypct.ParsedConfig.parse("memory: 512\n", strict=True)
    parsed.set("swap", "128")
    assert parsed.strict
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.set("swap", "x")


def test_options_from_a_dict_in_reverse_order_are_sorted() -> None:
    # The dict is sorted once (inserting each key in place was quadratic in reverse order).
    section = pypct.Section()
    keys = [f"k{i:06d}" for i in range(50000)]
    in_order = {key: str(i) for i, key in enumerate(keys)}
    reverse = {key: str(i) for i, key in reversed(list(enumerate(keys)))}
    start = time.process_time()
    section.options = in_order
    middle = time.process_time()
    section.options = reverse
    end = time.process_time()
    # About the same work either way (quadratic, the reversed dict took minutes).
    assert end - middle < 5 * (middle - start) + 0.5
    options = section.options
    assert list(options) == keys
    assert options["k000007"] == "7"
