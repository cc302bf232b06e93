# SPDX-License-Identifier: AGPL-3.0-or-later
"""A throw-away host root for the `pct` CLI (``pct --root R``) with the busybox template, CTIDs
unique to this process, and cleanup of every container it made (unmounted, stopped,
destroyed), also when a check fails. The root is claimed with tests/support's sweeper, so a
killed run's leftovers go at the next run's sweep."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BINARY_DIR = Path(os.environ.get("PCT_BINARY_DIR", Path(__file__).resolve().parents[2] / "build"))
PCT = os.environ.get("PCT_CLI") or str(BINARY_DIR / "bin" / "pct")
SWEEP = os.environ.get("PCT_TEST_SWEEP") or str(BINARY_DIR / "bin" / "pct-test-sweep")
TEMPLATE = BINARY_DIR / "test-templates" / "busybox-test_1.35_amd64.tar.zst"


def unavailable() -> str | None:
    """Why the libpct suites cannot run here (None: they can)."""
    if os.geteuid() != 0:
        return "not root"
    for tool in (PCT, SWEEP):
        if not Path(tool).is_file():
            return f"{tool} not built"
    if not TEMPLATE.is_file():
        return f"busybox template {TEMPLATE} missing (tests/capi/make_template.sh)"
    return None


@dataclass
class Ran:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def ok(self) -> "Ran":
        assert self.returncode == 0, f"pct {' '.join(self.args)}: exit {self.returncode}\n{self.stderr}{self.stdout}"
        return self


class PctHost:
    def __init__(self) -> None:
        subprocess.run([SWEEP], check=True)
        self.root = Path(tempfile.mkdtemp(prefix="pct-rt-", dir="/tmp"))
        os.chmod(self.root, 0o711)  # the CT root (host uid 100000) must pass through
        subprocess.run([SWEEP, "claim", str(self.root), str(os.getpid())], check=True)
        self.ids: list[int] = []
        self.slot = 0

    def vmid(self) -> int:
        """A new CTID unique to this process (the C++ suites' scheme), cleaned up at close."""
        self.slot += 1
        vmid = 900000000 + (os.getpid() % 90000) * 100 + self.slot
        self.ids.append(vmid)
        return vmid

    def pct(self, *args: object, timeout: float = 120) -> Ran:
        argv = [str(a) for a in args]
        p = subprocess.run([PCT, "--root", str(self.root), *argv], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        return Ran(argv, p.returncode, p.stdout.decode(errors="replace"),
                   p.stderr.decode(errors="replace"))

    def create(self, vmid: int, *options: str) -> None:
        self.pct("create", vmid, TEMPLATE, "--ostype", "debian", *options).ok()

    def config_text(self, vmid: int) -> str:
        return (self.root / "etc/pve/lxc" / f"{vmid}.conf").read_text()

    def mount_path(self, vmid: int) -> Path:
        return self.root / "var/lib/lxc" / str(vmid) / "rootfs"

    def close(self) -> None:
        for vmid in reversed(self.ids):
            if not (self.root / "etc/pve/lxc" / f"{vmid}.conf").exists():
                continue
            self.pct("unmount", vmid)
            self.pct("stop", vmid)
            self.pct("unlock", vmid)
            self.pct("destroy", vmid, "--force", "1")
        # whatever a failed step left mounted under the root (deepest first)
        mounts = subprocess.run(["findmnt", "-rn", "-o", "TARGET"], stdout=subprocess.PIPE,
                                text=True).stdout.split("\n")
        for m in sorted((m for m in mounts if m.startswith(str(self.root) + "/")), reverse=True):
            subprocess.run(["umount", "-l", m], check=False)
        shutil.rmtree(self.root, ignore_errors=True)


ARCHIVE_RE = r"vzdump-lxc-{vmid}-\d{{4}}_\d\d_\d\d-\d\d_\d\d_\d\d\.tar(\.gz|\.lzo|\.zst)?"


def find_archive(dump_dir: Path, vmid: int) -> Path:
    found = [p for p in dump_dir.iterdir() if re.fullmatch(ARCHIVE_RE.format(vmid=vmid), p.name)]
    assert len(found) == 1, sorted(p.name for p in dump_dir.iterdir())
    return found[0]
