"""The package's floors: the pipeline's stages never import the layers above them.

io → clean → measure/model (with the SEM engine sem/) → report → study/build → cli.
A lower stage importing an upper one (even inside a function) ties the
analysis to its presentation; the test reads every import of every module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sqresearch"
# what each part of the package must not import
UPPER = ("report", "study", "datasets", "check", "scaffold", "build", "cli")
FORBIDDEN = {
    "io": UPPER,
    "sem": UPPER,
    "constructs": UPPER,
    "clean": UPPER,
    "simulate": UPPER,
    "model": UPPER,
    "measure": UPPER,
    "jsondoc": UPPER,
    "errors": UPPER,
    "thresholds": UPPER,
    "report": UPPER[1:],
    "study": ("check", "scaffold", "build", "cli"),
    "build": ("cli",),
    "check": ("cli",),
    "scaffold": ("cli",),
}


def _imports(path: Path) -> set[str]:
    """The sqresearch subpackages/modules a file imports, first component after ``sqresearch``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "sqresearch" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] == "sqresearch" and isinstance(node, ast.ImportFrom):
                found.update(alias.name for alias in node.names)
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if part in FORBIDDEN:
            yield part, path


@pytest.mark.parametrize(("part", "path"), list(_modules()), ids=lambda v: str(v)[-40:])
def test_no_import_runs_back_up(part, path):
    upward = sorted(_imports(path) & set(FORBIDDEN[part]))
    assert not upward, f"{path.relative_to(PACKAGE)} ({part}) imports {upward}"


def test_the_reader_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import sqresearch.io\n"
        "def f():\n    from sqresearch.cli.jsonout import dumps\n"
        "from sqresearch import report\n",
        encoding="utf-8",
    )
    assert _imports(module) == {"io", "cli", "report"}
