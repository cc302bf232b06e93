# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct.backup of a real container (vzdump-format §1-§3): the report, callbacks, the
archive's member order and config, and a refusal."""
import copy
import subprocess
from pathlib import Path

import pytest

import pypct
from conftest import unique_vmid
from test_restore import CONF, NET0, make_backup


def test_backup_of_a_restored_container(ct_host: pypct.Host, tmp_path: Path,
                                        busybox_template: str) -> None:
    source = make_backup(tmp_path, busybox_template, CONF.replace(NET0, ""))
    vmid = unique_vmid(71)
    dump = tmp_path / "dump"
    dump.mkdir()
    with pypct.restore(vmid, str(source), host=ct_host) as ct:
        try:
            with pytest.raises(pypct.InvalidArgumentError):
                pypct.backup(vmid, storage="local", dumpdir=str(dump), host=ct_host)
            reports: list[pypct.Progress] = []
            lines: list[str] = []
            report = pypct.backup(vmid, dumpdir=str(dump), compress=pypct.BackupCompression.zstd,
                                  exclude_path=["/etc/hostname"], progress=reports.append,
                                  log=lines.append, host=ct_host)
            assert report.mode == pypct.BackupMode.stop  # a stopped CT
            assert report.archive.startswith(f"{dump}/vzdump-lxc-{vmid}-")
            assert report.archive.endswith(".tar.zst") and report.volid == ""
            assert report.archive_size == Path(report.archive).stat().st_size
            assert Path(report.log_path).read_text().count("INFO: ") == len(lines)
            assert "INFO: backup mode: stop" in lines
            assert reports and reports[-1].phase == "backup" and reports[-1].done
            assert copy.copy(report) == report and "BackupReport(" in repr(report)
            names = subprocess.run(["tar", "tf", report.archive], capture_output=True, text=True,
                                   check=True).stdout.splitlines()
            assert names[:3] == ["./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw", "./"]
            assert "./etc/hostname" not in names and "./etc/passwd" in names
            assert "hostname: from-python\n" in pypct.read_backup_config(report.archive)
        finally:
            ct.destroy()
