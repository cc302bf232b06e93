# SPDX-License-Identifier: AGPL-3.0-or-later
""""What PVE would run": the tar/rsync/compressor argument lists of vzdump-format.md §2.1
(backup, stop/snapshot and suspend layouts), §3 (suspend's rsync) and §4.5 (restore), run on
this machine with GNU tar, rsync, gzip, lzop, zstd and lxc-usernsexec. Nothing of Proxmox's
code is here: the argument lists are the facts the spec records.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

# pve-storage @COMMON_TAR_FLAGS (§2.1)
COMMON_TAR_FLAGS = [
    "--one-file-system", "-p", "--sparse", "--numeric-owner", "--acls", "--xattrs",
    "--xattrs-include=user.*", "--xattrs-include=security.capability",
    "--warning=no-file-ignored", "--warning=no-xattr-write",
]
STD_EXCLUDES = ["/tmp/?*", "/var/tmp/?*", "/var/run/?*.pid"]  # §2.7, in vzdump's order
COMPRESSORS = {  # §2.1 compressor strings, §1.1 extensions, §4.5 restore flags
    "none": ([], ".tar", []),
    "gzip": (["gzip", "--rsyncable"], ".tar.gz", ["-z"]),
    "lzo": (["lzop"], ".tar.lzo", ["--lzop"]),
    "zstd": (["zstd", "--threads=1"], ".tar.zst", ["--zstd"]),
}
DEFAULT_MAP = ["u:0:100000:65536", "g:0:100000:65536"]


def userns_prefix(idmap: Sequence[str] | None) -> list[str]:
    """``lxc-usernsexec -m … --`` for a CT with an id map (``None``: privileged, no prefix)."""
    if not idmap:
        return []
    argv = ["lxc-usernsexec"]
    for m in idmap:
        argv += ["-m", m]
    return argv + ["--"]


def backup_tar_argv(tmpdir: Path, snapdir: Path, sources: Sequence[str], *,
                    idmap: Sequence[str] | None, excludes: Sequence[str] = STD_EXCLUDES) -> list[str]:
    """§2.1's tar command, in order; relative excludes after --no-anchored, absolute ones
    (made ``./``-relative) after --anchored; ``--exclude=lost+found`` only with an id map."""
    argv = userns_prefix(idmap) + ["tar", "cpf", "-", "--totals", *COMMON_TAR_FLAGS,
                                   "--one-file-system", "--warning=no-file-ignored",
                                   f"--directory={tmpdir}", "./etc/vzdump/pct.conf",
                                   "./etc/vzdump/pct.fw", f"--directory={snapdir}", "--no-anchored"]
    if idmap:
        argv.append("--exclude=lost+found")
    argv += [f"--exclude={p}" for p in excludes if not p.startswith("/")]
    argv.append("--anchored")
    argv += [f"--exclude=.{p}" for p in excludes if p.startswith("/")]
    return argv + list(sources)


def rsync_argv(src_root: Path, mount_points: Sequence[str], dest: Path, *,
               excludes: Sequence[str] = STD_EXCLUDES,
               excluded_mount_points: Sequence[str] = ()) -> list[str]:
    """§3's suspend-mode copy: ``<root>/./`` and ``<root>/./<mp>`` into the temp dir."""
    argv = ["rsync", "--stats", "-h", "-X", "-A", "--numeric-ids", "-aH", "--delete",
            "--no-whole-file", "--sparse", "--one-file-system", "--relative"]
    argv += [f"--exclude={p}" for p in list(excludes) + ["/" + m for m in excluded_mount_points]]
    argv += [f"{src_root}/./"] + [f"{src_root}/./{mp}" for mp in mount_points]
    return argv + [str(dest)]


def restore_tar_argv(rootdir: Path, compression: str, *, idmap: Sequence[str] | None) -> list[str]:
    """§4.5: the archive on stdin, compression flag from the name, the target's map."""
    return userns_prefix(idmap) + ["tar", "xpf", "-", *COMPRESSORS[compression][2], "--totals",
                                   *COMMON_TAR_FLAGS, "-C", str(rootdir), "--skip-old-files",
                                   "--anchored", "--exclude", "./dev/*"]


@dataclass
class Run:
    argv: list[str]
    returncode: int
    stderr: str


def run_pipeline(tar_argv: list[str], compressor: list[str], out: Path, cwd: Path | None = None) -> Run:
    """``tar … | compressor > out`` with ``set -o pipefail`` semantics: the first failure."""
    with open(out, "wb") as f:
        if not compressor:
            p = subprocess.run(tar_argv, stdout=f, stderr=subprocess.PIPE, cwd=cwd)
            return Run(tar_argv, p.returncode, p.stderr.decode(errors="replace"))
        tar = subprocess.Popen(tar_argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        assert tar.stdout is not None
        comp = subprocess.Popen(compressor, stdin=tar.stdout, stdout=f, stderr=subprocess.PIPE)
        tar.stdout.close()
        tar_err = tar.stderr.read() if tar.stderr else b""
        comp_err = comp.communicate()[1]
        tar.wait()
        rc = tar.returncode or comp.returncode
        return Run(tar_argv + ["|"] + compressor, rc, (tar_err + comp_err).decode(errors="replace"))


def write_config_dir(tmpdir: Path, pct_conf: str, pct_fw: str = "") -> None:
    """The temp dir's ``etc/vzdump/pct.{conf,fw}`` (mode 0644, host root), as vzdump writes."""
    d = tmpdir / "etc" / "vzdump"
    d.mkdir(parents=True, exist_ok=True)
    for name, text in (("pct.conf", pct_conf), ("pct.fw", pct_fw)):
        (d / name).write_text(text)
        os.chmod(d / name, 0o644)
    for p in (tmpdir, tmpdir / "etc", d):
        os.chmod(p, 0o755)


def make_reference(*, snapdir: Path, workdir: Path, out_dir: Path, basename: str,
                   pct_conf: str, layout: str, compression: str,
                   mount_points: Sequence[str], idmap: Sequence[str] | None,
                   excluded_mount_points: Sequence[str] = (), pct_fw: str = "") -> tuple[Path, Run]:
    """One reference archive "as PVE writes it" (§8.2) of the tree at ``snapdir``.

    ``layout`` "stop" (also snapshot mode's): sources ``./`` then ``./<mp>`` of the live tree;
    "suspend": the §3 rsync into a temp dir, pct.conf/pct.fw written into it, source ``.``."""
    tmpdir = workdir / f"{basename}.tmp"
    tmpdir.mkdir(parents=True)
    os.chmod(tmpdir, 0o755)
    if layout == "stop":
        write_config_dir(tmpdir, pct_conf, pct_fw)
        tar = backup_tar_argv(tmpdir, snapdir, ["./"] + [f"./{m}" for m in mount_points], idmap=idmap)
    elif layout == "suspend":
        copy = rsync_argv(snapdir, mount_points, tmpdir, excluded_mount_points=excluded_mount_points)
        r = subprocess.run(copy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            return tmpdir, Run(copy, r.returncode, r.stderr.decode(errors="replace"))
        write_config_dir(tmpdir, pct_conf, pct_fw)
        tar = backup_tar_argv(tmpdir, tmpdir, ["."], idmap=idmap)
    else:
        raise ValueError(layout)
    comp, ext, _ = COMPRESSORS[compression]
    archive = out_dir / f"{basename}{ext}"
    return archive, run_pipeline(tar, comp, archive)


def pve_restore(archive: Path, rootdir: Path, *, idmap: Sequence[str] | None) -> Run:
    """§4.5 on an existing ``rootdir`` (owned by the target's root, as a fresh volume is)."""
    compression = next((c for c, (_, ext, _) in COMPRESSORS.items()
                        if archive.name.endswith(ext) and ext != ".tar"), "none")
    argv = restore_tar_argv(rootdir, compression, idmap=idmap)
    with open(archive, "rb") as f:
        p = subprocess.run(argv, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return Run(argv, p.returncode, p.stderr.decode(errors="replace"))
