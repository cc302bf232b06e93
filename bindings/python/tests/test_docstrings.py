# SPDX-License-Identifier: AGPL-3.0-or-later
"""help(pypct.X) documents every public class, function, method and property: the native
module carries the stub's docstrings (written once, in ``_pypct.pyi``)."""
import ast
import inspect
import re
from pathlib import Path

import pypct

STUB = Path(pypct.__file__).with_name("_pypct.pyi")

# pybind11's own lines: a signature, "Overloaded function.", numbered overload signatures.
_GENERATED = re.compile(r"^(\w+\(.*\)( -> .*)?|Overloaded function\.|\d+\. \w+\(.*)$")


def described(doc: str | None) -> bool:
    """True when the docstring says something beyond pybind11's signature lines."""
    return any(
        line.strip() and not _GENERATED.match(line.strip()) for line in (doc or "").splitlines()
    )


def doc_of(member: object) -> str | None:
    """A class member's docstring as help() shows it (a static method's is its function's)."""
    if isinstance(member, staticmethod):
        member = member.__func__
    return getattr(member, "__doc__", None)


def public_members(cls: type) -> dict[str, object]:
    return {
        name: value
        for name, value in vars(cls).items()
        if not name.startswith("_") and not isinstance(value, cls)  # enum values: the class doc
    }


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name in pypct.__all__:
        obj = getattr(pypct, name)
        if inspect.isclass(obj):
            if not described(obj.__doc__):
                missing.append(name)
            for member, value in public_members(obj).items():
                if not described(doc_of(value)):
                    missing.append(f"{name}.{member}")
        elif callable(obj) and not described(obj.__doc__):
            missing.append(name)
    assert missing == [], f"{len(missing)} public names without a docstring: {missing}"


def test_the_docstrings_are_the_stubs() -> None:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    checked = 0
    for node in tree.body:
        if not isinstance(node, (ast.ClassDef, ast.FunctionDef)) or node.name.startswith("_"):
            continue
        obj = getattr(pypct._pypct, node.name)
        if doc := ast.get_docstring(node):
            assert doc in inspect.cleandoc(obj.__doc__ or ""), node.name
            checked += 1
        if isinstance(node, ast.ClassDef):
            for member, after in zip(node.body, node.body[1:] + [None]):
                name, doc = None, None
                if isinstance(member, ast.FunctionDef):
                    name, doc = member.name, ast.get_docstring(member)
                elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                    name = member.target.id
                    if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                        doc = inspect.cleandoc(str(after.value.value))
                if not doc or name not in vars(obj):
                    continue  # undocumented, or inherited (documented where it is defined)
                value = vars(obj)[name]
                if not (isinstance(value, (property, staticmethod)) or callable(value)):
                    continue  # a plain class attribute (``Error.code``) holds no docstring
                got = doc_of(value) or ""
                assert doc in inspect.cleandoc(got), f"{node.name}.{name}"
                checked += 1
    assert checked > 100


def test_help_shows_the_text() -> None:
    text = pypct.clone.__doc__ or ""
    assert text.startswith("clone(vmid: int, newid: int")  # pybind11's signature stays first
    assert "``pct clone``: a full copy" in text
    assert "Proxmox's progress lines and warnings." in (pypct.CloneReport.messages.__doc__ or "")
