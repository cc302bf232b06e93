# SPDX-License-Identifier: AGPL-3.0-or-later
"""A writer that keeps an invariant at every instant, for the snapshot-mode backup test: run
``WRITER`` (busybox sh) inside a container; ``check_writer_invariant`` on any copy of its
``/w`` says whether the copy is one instant of it (a torn copy, e.g. a btrfs snapshot taken
without freezing the writer, shows a half-written renamed file or a gap)."""
from __future__ import annotations

from pathlib import Path

SIZE = 32768

WRITER = r"""
mkdir -p /w
i=0
while [ ! -e /w/stop ]; do
    i=$((i + 1))
    yes $i | head -c %d > /w/.tmp
    mv /w/.tmp /w/$i
    echo $i > /w/.last.tmp
    mv /w/.last.tmp /w/last
    [ $i -gt 3 ] && rm /w/$((i - 3))
done
""" % SIZE


def expected_content(n: int) -> bytes:
    return (f"{n}\n" * SIZE).encode()[:SIZE]


def check_writer_invariant(w: Path) -> int:
    """The writer's state at any single instant: its numbered files are a contiguous range of
    3 or 4 (fewer at the start), each complete; `last` names the newest or, between the
    rename and the update of `last`, the one before it (then 4 files exist)."""
    numbered = sorted(int(p.name) for p in w.iterdir() if p.name.isdigit())
    assert numbered, sorted(p.name for p in w.iterdir())
    lo, hi = numbered[0], numbered[-1]
    assert numbered == list(range(lo, hi + 1)), numbered
    for n in numbered:
        want = expected_content(n)
        assert (w / str(n)).read_bytes() == want, f"file {n} torn"
    last = int((w / "last").read_text())
    if hi >= 4:
        assert (len(numbered), last) in ((3, hi), (4, hi), (4, hi - 1)), (numbered, last)
    else:
        assert lo == 1 and last in (hi, hi - 1)
    return last
