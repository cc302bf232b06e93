# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exception classes: one per Errc, the right builtin mixed in, details as attributes."""
import errno
import os
from pathlib import Path

import pytest

import pypct


@pytest.mark.parametrize(
    ("cls", "code", "builtin"),
    [
        (pypct.ParseError, pypct.Errc.parse, ValueError),
        (pypct.InvalidArgumentError, pypct.Errc.invalid_argument, ValueError),
        (pypct.NotFoundError, pypct.Errc.not_found, LookupError),
        (pypct.AlreadyExistsError, pypct.Errc.already_exists, Exception),
        (pypct.StorageError, pypct.Errc.io, OSError),
        (pypct.LxcError, pypct.Errc.lxc, RuntimeError),
        (pypct.StateError, pypct.Errc.bad_state, RuntimeError),
        (pypct.UnsupportedError, pypct.Errc.unsupported, Exception),
        (pypct.InternalError, pypct.Errc.internal, Exception),
        (pypct.DigestMismatchError, pypct.Errc.digest_mismatch, RuntimeError),
        (pypct.NoQuorumError, pypct.Errc.no_quorum, RuntimeError),
    ],
)
def test_hierarchy(cls: type[pypct.Error], code: pypct.Errc, builtin: type[Exception]) -> None:
    assert issubclass(cls, pypct.Error)
    assert issubclass(cls, builtin)
    assert cls.code == code


def test_errc_numbers_are_the_c_abi() -> None:
    assert int(pypct.Errc.invalid_argument) == 1
    assert int(pypct.Errc.parse) == 2
    assert int(pypct.Errc.not_found) == 3
    assert int(pypct.Errc.already_exists) == 4
    assert int(pypct.Errc.io) == 5
    assert int(pypct.Errc.lxc) == 6
    assert int(pypct.Errc.bad_state) == 7
    assert int(pypct.Errc.unsupported) == 8
    assert int(pypct.Errc.internal) == 99
    assert int(pypct.Errc.digest_mismatch) == 9
    assert int(pypct.Errc.no_quorum) == 10
    assert repr(pypct.Errc.parse) == "Errc.parse"


def test_parse_error_details() -> None:
    with pytest.raises(pypct.ParseError) as info:
        pypct.NetInterface.parse("name=eth0,firewall=maybe")
    assert info.value.code == pypct.Errc.parse
    assert info.value.subkey == "firewall"
    assert isinstance(info.value, ValueError)


def test_strict_parse_error_has_line_and_key() -> None:
    with pytest.raises(pypct.ParseError) as info:
        pypct.ContainerConfig.parse("arch: amd64\nmemory: abc\n", vmid=205, strict=True)
    e = info.value
    assert str(e) == "vm 205 - unable to parse value of 'memory' - type check ('integer') failed - got 'abc'"
    assert (e.line, e.key, e.subkey) == (2, "memory", "")
    assert e.column > 0


def test_not_found_is_a_lookup_error_with_errno(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "105.conf"
    with pytest.raises(LookupError) as info:
        pypct.ContainerConfig.load(str(missing))
    assert isinstance(info.value, pypct.NotFoundError)
    assert info.value.sys_errno == errno.ENOENT
    assert info.value.context == str(missing)


def test_storage_error_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    below_a_file = str(tmp_path / "file" / "101.conf")
    with pytest.raises(pypct.StorageError) as info:
        pypct.ContainerConfig.load(below_a_file)
    assert isinstance(info.value, OSError)
    assert info.value.errno == errno.ENOTDIR
    assert info.value.sys_errno == errno.ENOTDIR
    assert info.value.filename == below_a_file


def test_invalid_argument_from_render() -> None:
    with pytest.raises(pypct.InvalidArgumentError) as info:
        pypct.NetInterface(name="eth0", mtu=70000).render()
    assert info.value.subkey == "mtu"


def test_error_defaults_when_raised_from_python() -> None:
    e = pypct.Error("x")
    assert (e.line, e.key, e.subkey, e.context) == (0, "", "", "")


def test_problem_is_a_value() -> None:
    problem = pypct.Problem(code=pypct.Errc.invalid_argument, message="bad", key="memory")
    assert eval(repr(problem), vars(pypct)) == problem
    assert str(problem) == "memory: bad (invalid_argument)"


def test_load_refuses_devices_fifos_and_files_above_the_cap(tmp_path: Path) -> None:
    with pytest.raises(pypct.InvalidArgumentError) as zero:
        pypct.ContainerConfig.load("/dev/zero")
    assert str(zero.value.context) == "/dev/zero"
    assert "not a regular file (a character device)" in str(zero.value)
    fifo = tmp_path / "101.conf"
    os.mkfifo(fifo)
    with pytest.raises(pypct.InvalidArgumentError, match=r"not a regular file \(a FIFO\)"):
        pypct.ParsedConfig.load(str(fifo))
    big = tmp_path / "102.conf"
    big.write_text("memory: 512\n")
    os.truncate(big, (64 << 20) + 1)
    with pytest.raises(pypct.InvalidArgumentError, match="too large"):
        pypct.ContainerConfig.load(str(big))


def test_invalid_utf8_is_a_parse_error_with_offset_line_and_key(tmp_path: Path) -> None:
    # Before: a bare UnicodeDecodeError at the first access of the value.
    path = tmp_path / "101.conf"
    path.write_bytes(b"memory: 512\nhostname: ab\xffc\n")
    for load in (pypct.ContainerConfig.load, pypct.ParsedConfig.load):
        with pytest.raises(pypct.ParseError) as info:
            load(str(path))
        e = info.value
        assert str(e).startswith("invalid UTF-8 at byte offset 24 (line 2)")
        assert (e.line, e.column, e.key, e.context) == (2, 13, "hostname", str(path))
    with pytest.raises(pypct.ParseError, match="invalid UTF-8 at byte offset 0"):
        pypct.ContainerConfig.parse(b"\xc3(: x\n")
    # UTF-8 stays fine.
    path.write_bytes("hostname: ab\nmemory: 512\n#caf\u00e9\n".encode())
    assert pypct.ContainerConfig.load(str(path)).main.description == "caf\u00e9\n"


def test_nul_bytes_are_refused_as_the_cli_refuses_them(tmp_path: Path) -> None:
    # Before: accepted here, refused by the CLI.
    for parse in (pypct.ContainerConfig.parse, pypct.ParsedConfig.parse):
        for strict in (False, True):
            with pytest.raises(pypct.ParseError) as info:
                parse("memory: 512\nhostname: a\0b\n", strict=strict)
            e = info.value
            assert str(e).startswith("binary data: NUL byte at byte offset 23 (line 2)")
            assert (e.line, e.column, e.key) == (2, 12, "hostname")
    path = tmp_path / "101.conf"
    path.write_bytes(b"memory: 512\n\0")
    with pytest.raises(pypct.ParseError, match="NUL byte at byte offset 12"):
        pypct.ContainerConfig.load(str(path))
