# SPDX-License-Identifier: AGPL-3.0-or-later
"""ParsedConfig's pending ``delete`` list: read, add, force, remove, with the text byte-exact."""
import pytest

import pypct

HEAD = "arch: amd64\nmemory: 512\n\n"
SNAP = "\n[snap1]\narch: amd64\n"


def test_list_add_force_remove() -> None:
    pending = "[pve:pending]\nmemory: 1024\n"
    parsed = pypct.ParsedConfig(HEAD + pending + "delete: swap;!cores  mp0\n" + SNAP)
    assert parsed.pending_deletes() == ["swap", "!cores", "mp0"]
    parsed.pending_delete_add("mp1")
    assert parsed.text == HEAD + pending + "delete: !cores,mp0,mp1,swap\n" + SNAP
    assert parsed.pending_deletes() == ["!cores", "mp0", "mp1", "swap"]
    parsed.pending_delete_add("swap", force=True)
    parsed.pending_delete_add("cores")  # the flag is replaced
    assert parsed.text == HEAD + pending + "delete: cores,mp0,mp1,!swap\n" + SNAP
    assert parsed.get("delete", "pve:pending") == "cores,mp0,mp1,!swap"
    parsed.pending_delete_remove("swap")  # without its '!'
    parsed.pending_delete_remove("mp0")
    assert parsed.text == HEAD + pending + "delete: cores,mp1\n" + SNAP


def test_line_goes_when_the_list_empties() -> None:
    parsed = pypct.ParsedConfig(HEAD + "[pve:pending]\ndelete: !swap\nmemory: 1024\n")
    parsed.pending_delete_remove("swap")
    assert parsed.text == HEAD + "[pve:pending]\nmemory: 1024\n"
    assert parsed.pending_deletes() == []
    assert parsed.get("delete", "pve:pending") is None


def test_add_creates_the_pending_section() -> None:
    parsed = pypct.ParsedConfig(HEAD.rstrip("\n") + "\n" + SNAP)
    parsed.pending_delete_add("swap", True)
    assert parsed.text == "arch: amd64\nmemory: 512\n\n[pve:pending]\ndelete: !swap\n" + SNAP
    crlf = pypct.ParsedConfig("arch: amd64\r\nmemory: 512\r\n")
    crlf.pending_delete_add("swap")
    assert crlf.text == "arch: amd64\r\nmemory: 512\r\n\r\n[pve:pending]\r\ndelete: swap\r\n"
    assert crlf.pending_deletes() == ["swap"]


def test_errors() -> None:
    text = HEAD + "[pve:pending]\ndelete: swap\n"
    parsed = pypct.ParsedConfig(text)
    with pytest.raises(pypct.NotFoundError) as missing:
        parsed.pending_delete_remove("cores")
    assert str(missing.value) == "'cores' is not pending deletion"
    assert missing.value.key == "delete"
    with pytest.raises(pypct.InvalidArgumentError) as bad:
        parsed.pending_delete_add("bad key")
    assert str(bad.value) == "invalid key 'bad key'"
    assert bad.value.key == "delete"
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.pending_delete_add("!swap")  # the flag is the argument, not part of the key
    assert parsed.text == text  # failed edits change nothing
    assert pypct.ParsedConfig(HEAD).pending_deletes() == []


def test_set_checks_the_delete_list_and_snapstate_as_the_c_abi_does() -> None:
    parsed = pypct.ParsedConfig(HEAD + "[pve:pending]\nmemory: 1024\n")
    before = parsed.text
    with pytest.raises(pypct.InvalidArgumentError) as bad:
        parsed.set("delete", "swap,Bad Key", section="pve:pending")
    assert str(bad.value) == "invalid key 'Bad' in delete list"
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.set("delete", " ; ", section="pve:pending")  # empty list
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.set("snapstate", "done", section="pve:pending")
    with pytest.raises(pypct.InvalidArgumentError):
        parsed.set("memory", "512\nswap: 0")  # a line break would add a line
    assert parsed.text == before  # nothing was written
    parsed.set("delete", "swap;!cores", section="pve:pending")
    assert parsed.pending_deletes() == ["swap", "!cores"]
