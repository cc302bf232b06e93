# SPDX-License-Identifier: AGPL-3.0-or-later
"""Runs examples/python on copies of examples/data and checks what they print and write.

usage: run_examples.py EXAMPLES_DIR (with PYTHONPATH pointing at the built pypct)
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


def main() -> int:
    examples = Path(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "101.conf"
        shutil.copy(examples / "data" / "101.conf", conf)
        out = run(examples / "python" / "edit_net.py", str(conf), "vmbr7")
        print(out.stdout, out.stderr, sep="")
        text = conf.read_text()
        if out.returncode != 0 or "net0: name=eth0,bridge=vmbr7," not in text:
            failures.append("edit_net.py did not move net0 to vmbr7")
        if not text.startswith("# Web server\n"):
            failures.append("edit_net.py lost the comment")
        out = run(examples / "python" / "edit_net.py", str(Path(tmp) / "missing.conf"))
        if out.returncode != 1 or "not_found" not in out.stderr:
            failures.append(f"edit_net.py on a missing file: {out.returncode} {out.stderr!r}")

        out = run(examples / "python" / "validate_folder.py", str(examples / "data" / "configs"))
        print(out.stdout, out.stderr, sep="")
        expected = ["101.conf: ok", "102.conf: 6 problem(s)", "103.conf: 1 problem(s)",
                    "3 file(s), 2 with problems"]
        if out.returncode != 1 or any(line not in out.stdout for line in expected):
            failures.append("validate_folder.py did not report the expected problems")
        if "102.conf:3: vm 102 - unable to parse value of 'memory'" not in out.stdout:
            failures.append("validate_folder.py did not give the line of a warning")
    for f in failures:
        print(f"FAILED: {f}")
    print("run_examples: " + ("FAILED" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
