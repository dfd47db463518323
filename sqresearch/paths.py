"""Every path the package uses, in one place (cookiecutter-data-science style).

Paths of a study are relative to its folder (the one holding ``study.yaml``);
the shipped default study is the repository root.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA_RAW = ROOT / "data" / "raw"
DATA_PROCESSED = ROOT / "data" / "processed"
PAPER = ROOT / "paper"
TABLES = PAPER / "tables"
FIGURES = PAPER / "figures"
RESULTS = PAPER / "results"
NOTEBOOKS = ROOT / "notebooks"
STUDY_CONFIG = ROOT / "study.yaml"
CONSTRUCTS_DIR = PACKAGE / "constructs"
