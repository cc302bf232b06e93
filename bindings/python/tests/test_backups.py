# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct backup files: names, retention rules, pruning and side files in temporary dirs."""
import os
import time
from pathlib import Path
from typing import Iterator

import pytest

import pypct


@pytest.fixture
def utc() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_names_and_compression(utc: None) -> None:
    assert pypct.backup_basename(100, 1767323045) == "vzdump-lxc-100-2026_01_02-03_04_05"
    assert pypct.backup_extension(pypct.BackupCompression.zstd) == ".tar.zst"
    assert pypct.parse_compression("1") == pypct.BackupCompression.lzo
    with pytest.raises(pypct.InvalidArgumentError, match="enumeration '0, 1, gzip, lzo, zstd'"):
        pypct.parse_compression("xz")
    assert pypct.temp_archive_name("vzdump-lxc-100-x.tar") == "vzdump-lxc-100-x.dat"

    info = pypct.archive_info("/d/vzdump-lxc-100-2026_01_02-03_04_05.tar.zst")
    assert info is not None
    assert (info.vmid, info.ctime, info.compression) == (100, 1767323045, "zst")
    assert info.is_std_name
    assert info.notes_filename == "vzdump-lxc-100-2026_01_02-03_04_05.tar.zst.notes"
    odd = pypct.archive_info("vzdump-lxc-100-copy.tar")
    assert odd is not None and not odd.is_std_name and odd.ctime is None
    assert pypct.archive_info("vzdump-lxc-100-2026_01_02-03_04_05.tar.xz") is None


def test_notes_template() -> None:
    assert (
        pypct.render_notes_template("{{guestname}}\\n{{vmid}}@{{node}}", 101, node="pve")
        == "CT101\n101@pve"
    )
    with pytest.raises(pypct.InvalidArgumentError, match="unexpected escape character 't'"):
        pypct.render_notes_template("\\t", 101)


def test_prune_rules() -> None:
    assert pypct.parse_prune_backups("keep-last=3") == pypct.PruneOptions(keep_last=3)
    assert pypct.parse_prune_backups("keep-last=0") == pypct.PruneOptions(keep_all=True)
    assert pypct.format_prune_backups(pypct.PruneOptions(keep_daily=7, keep_last=2)) == (
        "keep-daily=7,keep-last=2"
    )
    with pytest.raises(pypct.ParseError, match="keep-all cannot be set together"):
        pypct.parse_prune_backups("keep-all=1,keep-last=1")


def test_dump_directory(tmp_path: Path, utc: None) -> None:
    names = [f"vzdump-lxc-100-2026_01_0{d}-01_00_00.tar.zst" for d in (1, 2, 3)]
    for name in names:
        (tmp_path / name).write_text(name)
    (tmp_path / "vzdump-lxc-100-2026_01_02-01_00_00.log").write_text("log")
    first, second, third = (str(tmp_path / n) for n in names)
    pypct.set_backup_notes(second, "two\nlines")
    pypct.set_backup_protected(first, True)

    entries = pypct.list_backups(str(tmp_path), 100)
    assert [e.path for e in entries] == [first, second, third]
    assert [e.is_protected for e in entries] == [True, False, False]
    assert entries[1].notes == "two"
    marks = pypct.prune_marks(entries, pypct.PruneOptions(keep_last=1))
    assert [m for _, m in marks] == [
        pypct.PruneMark.protected,
        pypct.PruneMark.remove,
        pypct.PruneMark.keep,
    ]

    with pytest.raises(pypct.StateError, match="limited to 1 on storage 'local'"):
        pypct.check_protected_limit(str(tmp_path), 100, 1, "local")
    with pytest.raises(pypct.StateError, match="cannot remove protected archive"):
        pypct.remove_backup(first)

    opts = pypct.PruneOptions(keep_last=1)
    assert pypct.prune_backups(str(tmp_path), 100, opts, dry_run=True) == [second]
    assert Path(second).exists()
    assert pypct.prune_backups(str(tmp_path), 100, opts) == [second]
    assert not Path(second).exists()
    assert not Path(second + ".notes").exists()
    assert not (tmp_path / "vzdump-lxc-100-2026_01_02-01_00_00.log").exists()
    assert Path(first).exists() and Path(third).exists()
    with pytest.raises(pypct.NotFoundError):
        pypct.set_backup_notes(second, "gone")


def test_storage_options(tmp_path: Path) -> None:
    (tmp_path / "etc/pve").mkdir(parents=True)
    (tmp_path / "etc/pve/storage.cfg").write_text(
        "dir: store\n\tpath /store\n\tcontent backup\n\tcontent-dirs backup=bk\n"
        "\tprune-backups keep-weekly=2\n\tmax-protected-backups 2\n\n"
        "dir: vols\n\tpath /vols\n\tcontent images\n\n"
    )
    host = pypct.Host(str(tmp_path))
    assert pypct.backup_dir(host, "store") == str(tmp_path / "store/bk")
    with pytest.raises(pypct.InvalidArgumentError, match="wrong content type"):
        pypct.backup_dir(host, "vols")
    assert pypct.storage_prune_options(host, "store") == pypct.PruneOptions(keep_weekly=2)
    assert pypct.storage_prune_options(host, "vols") == pypct.PruneOptions(keep_all=True)
    assert pypct.storage_max_protected_backups(host, "store") == 2
    assert pypct.storage_max_protected_backups(host, "vols") == -1
    with pytest.raises(pypct.NotFoundError):
        pypct.storage_prune_options(host, "nope")
