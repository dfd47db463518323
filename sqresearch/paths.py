"""Every path the package uses, in one place (cookiecutter-data-science style).

The package finds its own data with :mod:`importlib.resources`:
``CONSTRUCTS_DIR`` (the construct catalogue) and ``TEMPLATES`` (the notebooks
and the paper skeleton that ``sqresearch init`` copies and ``sqresearch
build`` runs). Paths of a study are relative to its folder (the one holding
``study.yaml``) and come from :class:`sqresearch.study.Study`.

``ROOT`` and the names below it are the source checkout, whose root is the
shipped default study: the tests, the benchmarks and ``make`` use them; the
package itself never reads them (an installed wheel has no checkout).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("sqresearch")))
CONSTRUCTS_DIR = PACKAGE / "constructs"
#: What `sqresearch init` copies: notebooks/ and paper/ (package data).
TEMPLATES = files("sqresearch") / "templates"

# The source checkout (tests, benchmarks, make): never read by the package.
ROOT = PACKAGE.parent
DATA_RAW = ROOT / "data" / "raw"
DATA_PROCESSED = ROOT / "data" / "processed"
PAPER = ROOT / "paper"
NOTEBOOKS = ROOT / "notebooks"
STUDY_CONFIG = ROOT / "study.yaml"
