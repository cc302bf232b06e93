# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared fixtures of the vzdump conformance suite (spec vzdump-format.md §8).

Everything runs as root in temp dirs under /tmp that are removed afterwards, also on failure:
the fixture trees' tmpfs mounts are unmounted, containers made through ``pct`` destroyed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture  # noqa: E402
import pve  # noqa: E402
from pct_host import PctHost, unavailable  # noqa: E402

NEEDED_TOOLS = ["tar", "rsync", "gzip", "lzop", "zstd", "lxc-usernsexec", "setfacl"]
BASENAME = "vzdump-lxc-101-2026_01_02-03_04_05"
LAYOUTS = ["stop", "suspend"]


def pct_conf(unprivileged: bool) -> str:
    """A pct.conf as vzdump writes it (§2.4: sorted keys, no lock/snapshots/pending), with the
    fixture's volumes: rootfs, the backup=1 volume at /mnt/data and the bind mount /share."""
    return (
        "arch: amd64\n"
        "hostname: vzconf\n"
        "memory: 512\n"
        "mp0: local:101/vm-101-disk-1.raw,mp=/mnt/data,backup=1,size=1G\n"
        "mp1: /srv/bind-source,mp=/share\n"
        "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,type=veth\n"
        "ostype: debian\n"
        "rootfs: local:101/vm-101-disk-0.raw,size=1G\n"
        "swap: 512\n" + ("unprivileged: 1\n" if unprivileged else ""))


def excluded_paths(*, unprivileged: bool, layout: str) -> list[bytes]:
    """Fixture paths a PVE backup leaves out: the default excludes (§2.7), every lost+found of
    a mapped CT, the excluded bind mount point in suspend mode (rsync skips it, §2.2)."""
    out = [p.encode() for p in fixture.STD_EXCLUDED]
    if unprivileged:
        out.append(b"srv/lost+found")
    if layout == "suspend":
        out.append(fixture.BIND_MOUNT_POINT.encode())
    return out


def make_workdir(prefix: str) -> Path:
    """A temp dir every id of a mapped tar can enter (the userns root is host uid 100000)."""
    d = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    os.chmod(d, 0o755)
    return d


@pytest.fixture(scope="session")
def root_tools() -> None:
    if os.geteuid() != 0:
        pytest.skip("the vzdump fixtures need root (mknod, chown, tmpfs, lxc-usernsexec)")
    missing = [t for t in NEEDED_TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"missing tools (scripts/install-deps): {' '.join(missing)}")
    for f in ("/etc/subuid", "/etc/subgid"):
        if "root:100000:65536" not in Path(f).read_text():
            pytest.skip(f"{f} lacks root:100000:65536 (scripts/install-deps)")


class FixtureSet:
    """Both fixture trees, their snapshots, and every §8.2 reference archive, made once."""

    def __init__(self, base: Path):
        import tree

        self.base = base
        self.trees: dict[bool, fixture.Fixture] = {}
        self.snapshots: dict[bool, dict] = {}
        self.archives: dict[tuple[bool, str, str], Path] = {}
        for unpriv in (False, True):
            src = base / ("src-unpriv" if unpriv else "src-priv")
            src.mkdir()
            fx = fixture.build(src, unprivileged=unpriv)
            self.trees[unpriv] = fx
            self.snapshots[unpriv] = tree.snapshot(src)

    def reference(self, unprivileged: bool, layout: str, compression: str) -> Path:
        key = (unprivileged, layout, compression)
        if key not in self.archives:
            tag = f"{'u' if unprivileged else 'p'}-{layout}-{compression}"
            work = self.base / f"work-{tag}"
            out = self.base / f"dump-{tag}"
            work.mkdir()
            out.mkdir()
            archive, run = pve.make_reference(
                snapdir=self.trees[unprivileged].root, workdir=work, out_dir=out,
                basename=BASENAME, pct_conf=pct_conf(unprivileged), layout=layout,
                compression=compression, mount_points=[fixture.MOUNT_POINT],
                idmap=pve.DEFAULT_MAP if unprivileged else None,
                excluded_mount_points=[fixture.BIND_MOUNT_POINT])
            assert run.returncode == 0, f"{run.argv}: {run.stderr}"
            shutil.rmtree(work)
            self.archives[key] = archive
        return self.archives[key]

    def close(self) -> None:
        for fx in self.trees.values():
            fx.close()


@pytest.fixture(scope="session")
def fixtures(root_tools: None) -> Iterator[FixtureSet]:
    base = make_workdir("vzconf-fx-")
    fs = None
    try:
        fs = FixtureSet(base)
        yield fs
    finally:
        if fs is not None:
            fs.close()
        for fx_root in base.glob("src-*"):
            subprocess.run(["umount", "-l", str(fx_root / fixture.MOUNT_POINT)],
                           stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def workdir(root_tools: None) -> Iterator[Path]:
    d = make_workdir("vzconf-")
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def host(root_tools: None) -> Iterator[PctHost]:
    """A throw-away `pct --root` host; its containers and mounts go at the end."""
    why = unavailable()
    if why:
        pytest.skip(why)
    h = PctHost()
    try:
        yield h
    finally:
        h.close()
