# SPDX-License-Identifier: AGPL-3.0-or-later
"""Proxmox's conformance corpus through pypct: the canonical text must equal Proxmox's byte
for byte and the parsed values, warnings and strict error must equal its JSON (the same
117/117 as the C++ suite). Skipped in one line when ../shared/conformance is absent."""
import json
from pathlib import Path
from typing import Any

import pypct


def section_json(section: pypct.Section) -> dict[str, Any]:
    out: dict[str, Any] = dict(section.options)
    if section.description:
        out["description"] = section.description
    if section.lxc:
        out["lxc"] = [[e.key, e.value] for e in section.lxc]
    return out


def as_json(parsed: pypct.ParsedConfig, raw: bytes) -> dict[str, Any]:
    cfg = parsed.config
    conf = section_json(cfg.main)
    conf.setdefault("digest", parsed.digest)
    conf["pending"] = section_json(cfg.pending)
    conf["snapshots"] = {name: section_json(s) for name, s in cfg.snapshots.items()}
    try:
        pypct.ParsedConfig.parse(raw, vmid=parsed.vmid, strict=True)
        strict_error = None
    except pypct.ParseError as e:
        strict_error = str(e) + "\n"
    try:
        canon = cfg.render()
        again = pypct.ContainerConfig.parse(canon, vmid=parsed.vmid).render()
        error, fixpoint = None, "true" if again == canon else "false"
    except pypct.Error as e:
        error, fixpoint = str(e) + "\n", None
    return {
        "canon_is_fixpoint": fixpoint,
        "conf": conf,
        "error": error,
        "strict_error": strict_error,
        "vmid": str(parsed.vmid),
        "warnings": [w.message + "\n" for w in parsed.warnings],
    }


def test_corpus(conformance_dir: Path) -> None:
    root = conformance_dir / "pve-tests"
    expected_root = conformance_dir / "expected" / "pve-tests"
    inputs = sorted(p for p in root.rglob("*") if p.is_file())
    assert inputs
    canon_ok = json_ok = 0
    failures = []
    for path in inputs:
        rel = path.relative_to(root)
        raw = path.read_bytes()
        parsed = pypct.ParsedConfig.parse(raw, vmid=pypct.vmid_from_path(str(rel)))
        expected = expected_root / rel
        canon = parsed.render()
        if canon.encode() == (expected.parent / (expected.name + ".canon")).read_bytes():
            canon_ok += 1
        else:
            failures.append(f"{rel}: canonical text differs")
        theirs = json.loads((expected.parent / (expected.name + ".json")).read_text())
        if as_json(parsed, raw) == theirs:
            json_ok += 1
        else:
            failures.append(f"{rel}: parsed JSON differs: {as_json(parsed, raw)} != {theirs}")
    print(f"conformance through pypct: canonical {canon_ok}/{len(inputs)}, JSON {json_ok}/{len(inputs)}")
    assert not failures, "\n".join(failures[:10])
    assert canon_ok == json_ok == len(inputs) == 117
