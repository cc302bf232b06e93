# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct.restore of a vzdump archive made with Proxmox's backup tar command line from the
busybox template; the config peek and the merge (vzdump-format §4)."""
import os
import subprocess
from pathlib import Path

import pytest

import pypct
from conftest import unique_vmid

NET0 = "net0: name=eth0,bridge=vmbr9,hwaddr=BC:24:11:AA:BB:CC,type=veth\n"
CONF = (
    "arch: amd64\nhostname: from-python\nmemory: 300\nostype: debian\n"
    + NET0
    + "rootfs: local:100/subvol-100-disk-0.subvol,size=0T\n"
)


def make_backup(tmp_path: Path, template: str, conf: str = CONF) -> Path:
    """A stop-mode archive as vzdump's tar writes it (pct.conf, pct.fw, then ./)."""
    root, tmp = tmp_path / "root", tmp_path / "tmp"
    (tmp / "etc" / "vzdump").mkdir(parents=True)
    root.mkdir()
    subprocess.run(f"zstd -q -d -c '{template}' | tar xpf - --numeric-owner -C '{root}'",
                   shell=True, check=True)
    (tmp / "etc" / "vzdump" / "pct.conf").write_text(conf)
    (tmp / "etc" / "vzdump" / "pct.fw").write_text("")
    archive = tmp_path / "vzdump-lxc-100-2026_01_02-03_04_05.tar"
    with open(archive, "wb") as out:
        subprocess.run(
            ["tar", "cpf", "-", "--totals", "--one-file-system", "-p", "--sparse",
             "--numeric-owner", "--acls", "--xattrs", "--xattrs-include=user.*",
             "--xattrs-include=security.capability", "--warning=no-file-ignored",
             "--warning=no-xattr-write", "--one-file-system", "--warning=no-file-ignored",
             f"--directory={tmp}", "./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw",
             f"--directory={root}", "--no-anchored", "--anchored", "--exclude=./tmp/?*",
             "--exclude=./var/tmp/?*", "--exclude=./var/run/?*.pid", "./"],
            stdout=out, stderr=subprocess.DEVNULL, check=True)
    return archive


def test_read_and_merge_config(tmp_path: Path, busybox_template: str) -> None:
    archive = make_backup(tmp_path, busybox_template)
    text = pypct.read_backup_config(str(archive))
    assert text == CONF
    archived = pypct.ParsedConfig.parse(text).config
    given = pypct.ParsedConfig.parse("hostname: given\nunprivileged: 1\n").config
    merged = pypct.merge_restored_config(archived, given)
    assert merged.main["hostname"] == "given" and merged.main["memory"] == "300"
    assert "rootfs" not in merged.main and merged.main["unprivileged"] == "1"
    unique = pypct.merge_restored_config(archived, given, unique=True)
    assert unique.main["net0"].startswith("name=eth0,bridge=vmbr9,hwaddr=BC:24:11:")
    assert "AA:BB:CC" not in unique.main["net0"]
    (tmp_path / "junk.tar").write_text("junk")
    with pytest.raises(pypct.StorageError):
        pypct.read_backup_config(str(tmp_path / "junk.tar"))


def test_restore_then_start(ct_host: pypct.Host, tmp_path: Path, busybox_template: str) -> None:
    archive = make_backup(tmp_path, busybox_template, CONF.replace(NET0, ""))
    vmid = unique_vmid(74)
    reports: list[pypct.Progress] = []
    lines: list[str] = []
    with pypct.restore(vmid, str(archive), options={"memory": "256"}, host=ct_host,
                       progress=reports.append, log=lines.append, start=True) as ct:
        assert ct.state == pypct.State.running
        assert ct.exec(["cat", "/etc/hostname"]).exit_code == 0
        config = pypct.ParsedConfig.load(ct_host.config_path(vmid)).config.main
        assert config["hostname"] == "from-python" and config["memory"] == "256"
        assert config["unprivileged"] == "0"
        assert reports and reports[-1].phase == "restore" and reports[-1].done
        assert reports[-1].bytes == archive.stat().st_size
        assert f"extracting archive '{archive}'" in lines
        with pytest.raises(pypct.AlreadyExistsError):
            pypct.restore(vmid, str(archive), host=ct_host)
        ct.stop()
        ct.destroy()
    # From a stream: uncompressed, a rootfs required.
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.restore(vmid, "-", input_fd=0, host=ct_host)
    fd = os.open(archive, os.O_RDONLY)
    try:
        with pypct.restore(vmid, "-", input_fd=fd, options={"rootfs": "local:0"}, host=ct_host) as ct:
            assert pypct.ParsedConfig.load(ct_host.config_path(vmid)).config.main["hostname"] == "from-python"
            ct.destroy()
    finally:
        os.close(fd)
