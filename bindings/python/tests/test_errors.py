# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exception classes: one per Errc, the right builtin mixed in, details as attributes."""
import errno
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
    with pytest.raises(pypct.StorageError) as info:
        pypct.ContainerConfig.load(str(tmp_path))  # a directory
    assert isinstance(info.value, OSError)
    assert info.value.errno == errno.EISDIR
    assert info.value.sys_errno == errno.EISDIR
    assert info.value.filename == str(tmp_path)


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
