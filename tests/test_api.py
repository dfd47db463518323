"""The notebook API (``import sqresearch as sq``): every name resolves, and lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import sqresearch as sq
from sqresearch.paths import ROOT

HEAVY = ("pandas", "scipy", "semopy", "statsmodels", "matplotlib", "numpy")


def loaded_after(code: str) -> set[str]:
    """Top-level packages among HEAVY that ``code`` imports in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(run.stdout.split()) & set(HEAVY)


def test_import_sqresearch_loads_no_heavy_dependency():
    assert loaded_after("import sqresearch") == set()


def test_cli_help_loads_no_heavy_dependency():
    # `sqresearch --help` builds the parser without importing any command module.
    assert loaded_after("from sqresearch.cli import build_parser\nbuild_parser().format_help()") == set()


@pytest.mark.parametrize("name", sorted(sq.API))
def test_every_api_name_is_its_module_object(name):
    module, attr = sq.API[name]
    assert getattr(sq, name) is getattr(importlib.import_module(module), attr)
    assert name in dir(sq) and name in sq.__all__


def test_api_functions_have_docstrings():
    # The API reference (docs/api/) is generated from them.
    for name in sq.API:
        value = getattr(sq, name)
        if callable(value):
            assert len((value.__doc__ or "").strip()) > 40, f"sq.{name} has no docstring"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'fit_cfa'"):
        sq.fit_cfa  # noqa: B018


def test_api_is_documented_on_one_page():
    page = (ROOT / "docs/api/notebook.md").read_text(encoding="utf-8")
    missing = [name for name in sq.API if f"`sq.{name}`" not in page]
    assert not missing, f"docs/api/notebook.md does not list {missing}"
