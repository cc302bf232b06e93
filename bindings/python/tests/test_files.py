# SPDX-License-Identifier: AGPL-3.0-or-later
"""Container.push / Container.pull (pct push / pct pull) on a running unprivileged busybox CT:
a round trip with sizes 0 and 1 and a sparse 70 MiB file, owners by name from the CT mapped to
host ids, a symlink at the destination refused, a stopped CT refused with Proxmox's text."""
import os
from pathlib import Path

import pytest

import pypct
from conftest import unique_vmid


def test_push_and_pull(ct_host: pypct.Host, busybox_template: str, tmp_path: Path) -> None:
    vmid = unique_vmid(73)
    src, back = tmp_path / "src", tmp_path / "back"
    src.write_bytes(b"x")
    options = {"hostname": "py-files", "memory": "96", "ostype": "debian", "unprivileged": "1"}
    with pypct.Container.create(vmid, busybox_template, options, host=ct_host) as ct:
        with pytest.raises(pypct.StateError) as info:
            ct.push(str(src), "/tmp/x")
        assert str(info.value) == "can only push files to a running CT"
        with pytest.raises(pypct.StateError) as info:
            ct.pull("/etc/hostname", str(back))
        assert str(info.value) == "can only pull files from a running CT"
        ct.start()
        try:
            big = b"head" + b"\0" * (70 << 20) + b"tail"
            for data in (b"", b"1", big):
                src.write_bytes(data)
                ct.push(str(src), "/root/f")
                assert ct.exec(["stat", "-c", "%s %u:%g %a", "/root/f"]).stdout == f"{len(data)} 0:0 644\n".encode()
                back.unlink(missing_ok=True)
                ct.pull("/root/f", str(back))
                assert back.read_bytes() == data

            ct.exec(["sh", "-c", "echo 'bob:x:1002:1003::/:/bin/sh' >> /etc/passwd; echo 'bobs:x:1003:' >> /etc/group"])
            ct.push(str(src), "/tmp/owned", user="bob", group="bobs", perms=0o640)
            assert ct.exec(["stat", "-c", "%u:%g %a", "/tmp/owned"]).stdout == b"1002:1003 640\n"
            st = os.stat(f"/proc/{ct.init_pid}/root/tmp/owned")
            assert (st.st_uid, st.st_gid) == (101002, 101003)
            with pytest.raises(pypct.NotFoundError, match="unknown group 'nogroup-here'"):
                ct.push(str(src), "/tmp/o2", group="nogroup-here")

            ct.exec(["ln", "-s", str(src), "/tmp/link"])
            with pytest.raises(pypct.InvalidArgumentError, match="is a symlink"):
                ct.push(str(src), "/tmp/link")
            with pytest.raises(pypct.NotFoundError):  # the link's target does not exist inside
                ct.pull("/tmp/link", str(tmp_path / "never"))
            assert not (tmp_path / "never").exists()
        finally:
            ct.stop()
            ct.destroy()
