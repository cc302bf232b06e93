# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures and helpers of the libpct suites (test_libpct_*.py)."""
from __future__ import annotations

import os
from pathlib import Path

import fixture
import tree
from checks import QUIRK_PATHS
from pct_host import PctHost

CONF_MEMBERS = ("./etc/vzdump/pct.conf", "./etc/vzdump/pct.fw")
MP = fixture.MOUNT_POINT


def ct_tree(host: PctHost, vmid: int) -> dict:
    """The container's files as it sees them: every volume mounted by `pct mount`."""
    host.pct("mount", vmid).ok()
    try:
        return tree.snapshot(host.mount_path(vmid))
    finally:
        host.pct("unmount", vmid).ok()


def restore(host: PctHost, vmid: int, archive_path: Path, *options: str) -> None:
    """`pct restore` in advanced mode onto subvols (no loop devices needed)."""
    host.pct("restore", vmid, archive_path, "--rootfs", "local:0", "--mp0",
             f"local:0,mp=/{MP},backup=1", *options, timeout=180).ok()


# A restore mounts the target's volumes before it extracts (as PVE's mount_all), so the mount
# point's parent dirs exist too and --skip-old-files leaves their archived metadata unapplied.
RESTORE_QUIRK_PATHS = QUIRK_PATHS + [os.path.dirname(MP).encode()]


def assert_restored(host: PctHost, vmid: int, want: dict) -> None:
    got = tree.drop(ct_tree(host, vmid), [b"etc/vzdump"])
    found = tree.diff(want, got, ignore_metadata=RESTORE_QUIRK_PATHS)
    assert not found, "\n".join(found)


