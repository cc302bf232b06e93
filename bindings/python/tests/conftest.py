# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the pypct suite: sample configs as text and as files under ``tmp_path``."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

import pypct

SOURCE_DIR = Path(os.environ.get("PCT_SOURCE_DIR", Path(__file__).resolve().parents[3]))

SAMPLE = """# My container
# second line
arch: amd64
cores: 2
hostname: ct101
memory: 512
net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,type=veth
ostype: debian
rootfs: local:101/vm-101-disk-0.raw,size=8G
mp0: local:101/vm-101-disk-1.raw,mp=/data,backup=1,size=4G
unused0: local:101/vm-101-disk-2.raw
dev0: /dev/ttyUSB0,mode=0660,gid=20
features: nesting=1,keyctl=1
startup: order=2,up=30
swap: 512
lxc.cgroup2.devices.allow: c 10:200 rwm
lxc.environment.runtime: FOO=bar

[pve:pending]
memory: 1024
delete: swap

[snap1]
arch: amd64
hostname: ct101
memory: 512
snaptime: 1700000000
"""


@pytest.fixture
def sample_text() -> str:
    return SAMPLE


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "101.conf"
    path.write_text(SAMPLE)
    return path


@pytest.fixture
def conformance_dir() -> Path:
    default = SOURCE_DIR.parent / "shared" / "conformance"
    root = Path(os.environ.get("PCT_CONFORMANCE_DIR") or default)
    if not (root / "pve-tests").is_dir():
        pytest.skip(f"conformance corpus not found at {root}: suite skipped")
    return root


@pytest.fixture(scope="session")
def busybox_template() -> str:
    """The busybox CT template built by tests/capi/make_template.sh (ctest fixture), or skip."""
    if os.geteuid() != 0:
        pytest.skip("not running as root (real containers need root)")
    if not Path("/sys/fs/cgroup").is_dir():
        pytest.skip("no /sys/fs/cgroup on this host")
    build = os.environ.get("PCT_BINARY_DIR", "")
    template = Path(build) / "test-templates" / "busybox-test_1.35_amd64.tar.zst"
    if not build or not template.is_file():
        pytest.skip(f"the busybox template {template} was not built (tests/capi/make_template.sh)")
    return str(template)


@pytest.fixture(scope="session")
def sweeper() -> str:
    """tests/support's pct-test-sweep, run once before this session creates a container.

    A killed test process (ctest's TIMEOUT) never tears down its containers: the sweeper removes
    what dead test processes left. It is the C++ fixtures' own code, so every suite follows one
    rule about which test roots are stale.
    """
    tool = os.environ.get("PCT_TEST_SWEEP", "")
    if not tool or not Path(tool).is_file():
        pytest.skip(f"the test sweeper pct-test-sweep was not built ({tool or 'PCT_TEST_SWEEP'})")
    subprocess.run([tool], check=True)
    return tool


@pytest.fixture
def ct_host(sweeper: str) -> Iterator[pypct.Host]:
    """A throw-away host layout; every container left on it is destroyed afterwards.

    Its root is a /tmp/pct-rt-* test root owned by this process, so that the next run's sweep
    removes it with its containers if this process is killed.
    """
    root = tempfile.mkdtemp(prefix="pct-rt-", dir="/tmp")
    try:
        subprocess.run([sweeper, "claim", root, str(os.getpid())], check=True)
        host = pypct.Host(root)
        yield host
        for entry in host.list():
            with pypct.Container(entry.vmid, host) as ct:
                ct.destroy(force=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def unique_vmid(slot: int) -> int:
    """A CTID unique to this process (the C++ suites' scheme: 900000000 + pid-based)."""
    return 900000000 + (os.getpid() % 90000) * 100 + slot
