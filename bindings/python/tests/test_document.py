# SPDX-License-Identifier: AGPL-3.0-or-later
"""ParsedConfig over the C++ config document: saves under the file's lock, refused with
DigestMismatchError when the file changed since it was read; 16 racing writers lose nothing."""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import pypct


def test_save_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "100.conf"
    path.write_text("arch: amd64\nmemory: 512\n")
    mine = pypct.ParsedConfig.load(str(path))
    theirs = pypct.ParsedConfig.load(str(path))
    theirs.set("memory", "1024")
    theirs.save()
    theirs.set("cores", "2")
    theirs.save()  # its own last write is what it expects
    mine.set("swap", "64")
    with pytest.raises(pypct.DigestMismatchError) as info:
        mine.save()
    assert info.value.code == pypct.Errc.digest_mismatch
    assert info.value.key == "digest"
    assert info.value.context == str(path)
    assert str(info.value) == "detected modified configuration - file changed by other user? Try again."
    assert isinstance(info.value, RuntimeError)
    assert path.read_text() == theirs.text
    # The lock is the sibling file (a host layout would use Proxmox's lock).
    assert (tmp_path / ".100.conf.lock").exists()


def test_caller_digest_is_what_save_expects(tmp_path: Path) -> None:
    path = tmp_path / "101.conf"
    path.write_text("memory: 1\n")
    stale = pypct.ParsedConfig("memory: 2\n", file=str(path), digest="0" * 40)
    with pytest.raises(pypct.DigestMismatchError):
        stale.save()
    assert path.read_text() == "memory: 1\n"


@pytest.mark.parametrize("key", ["arch", "hostname", "tags", "lxc.apparmor.profile"])
def test_set_refuses_a_nul_naming_the_key(key: str) -> None:
    conf = pypct.ParsedConfig.parse("arch: amd64\n")
    with pytest.raises(pypct.InvalidArgumentError) as info:
        conf.set(key, "a\0b")
    assert info.value.code == pypct.Errc.invalid_argument
    assert info.value.key == key
    assert conf.text == "arch: amd64\n"


def _writer(path: str) -> int:
    for _ in range(100):
        while True:
            cfg = pypct.ParsedConfig.load(path)
            cfg.set("swap", str(int(cfg.get("swap") or "0") + 1))
            try:
                cfg.save()
                break
            except pypct.DigestMismatchError:
                continue
    return 0


def _reader(path: str, stop: str) -> int:
    last = 0
    while not os.path.exists(stop):
        cfg = pypct.ParsedConfig.load(path)
        if cfg.warnings:
            return 1
        now = int(cfg.get("swap") or "-1")
        if now < last:
            return 2
        last = now
    return 0


def _fork(body: object, *args: str) -> int:
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            code = body(*args)  # type: ignore[operator]
        finally:
            os._exit(code)
    return pid


def test_sixteen_writers_keep_every_update() -> None:
    # tmpfs when there is one: the lock and the digest are under test, not fsync latency.
    root = tempfile.mkdtemp(prefix="pct-py-race-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        path = os.path.join(root, "100.conf")
        stop = os.path.join(root, "stop")
        Path(path).write_text("arch: amd64\nswap: 0\n")
        reader = _fork(_reader, path, stop)
        writers = [_fork(_writer, path) for _ in range(16)]
        statuses = [os.waitpid(pid, 0)[1] for pid in writers]
        Path(stop).touch()
        reader_status = os.waitpid(reader, 0)[1]
        assert statuses == [0] * 16
        assert reader_status == 0, "the reader saw a torn file or the counter going back"
        assert pypct.ParsedConfig.load(path).get("swap") == "1600"
    finally:
        shutil.rmtree(root, ignore_errors=True)
