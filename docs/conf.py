"""Sphinx configuration of the sqresearch user guide (``make docs``).

Sphinx with MyST Markdown, not MkDocs (index.md says why). The guide's own
directives (``_ext/sqdocs.py``) run every ``{sq-run}`` example when the page is
built, in this process (the package is imported once, so the whole guide builds
in well under two minutes; a kernel per page, as MyST-NB starts, took over
three), and generate the cut-off tables from ``sqresearch.thresholds`` and the
command-line usage from the argparse parsers. autodoc with napoleon renders the
numpy-style docstrings as the API reference. ``sphinx-build -W`` turns every
warning — a failing example, a broken internal link — into a failure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # figures of the examples, rendered headless

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))

import sqresearch  # noqa: E402

project = "sqresearch"
author = "sqresearch contributors"
release = version = sqresearch.__version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sqdocs",
]
exclude_patterns = ["_build", "data", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
source_suffix = {".md": "markdown"}
root_doc = "index"

# MyST: heading anchors so that [text](page.md#a-heading) links are checked.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]
# The contracts' JSON sketches hold "..." (highlighted in relaxed mode all the same).
suppress_warnings = ["myst.header", "misc.highlighting_failure"]

# autodoc: numpy-style docstrings; signatures without the type hints (they are
# in the Parameters section).
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True  # "Attributes" as fields: autodoc documents dataclass fields itself
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False}

html_theme = "alabaster"
html_title = "sqresearch user guide · 用户指南"
html_theme_options = {
    "description": "survey data → thesis chapter · 问卷数据 → 论文章节",
    "fixed_sidebar": True,
    "page_width": "1160px",
}
html_static_path = ["_static"]
html_css_files = ["sqdocs.css"]
