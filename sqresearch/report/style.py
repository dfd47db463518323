"""One thesis style for every figure, with Chinese that renders on any machine.

Chinese glyphs come from Noto Serif SC and Noto Sans SC, the Simplified
Chinese subsets of Google/Adobe's Noto CJK fonts (SIL Open Font License 1.1),
which the ``pylopdf-fonts-zh-cn`` package ships and nothing else (a 17 MB
wheel holding two font files and the licence): :func:`register_fonts` adds
the font *files* to matplotlib's font manager directly (no fontconfig, no
system font).  A system font of the same family name is taken out of the
font manager's list, so a figure is drawn from the packaged file on every
machine and two machines give the same bytes.

Latin letters and digits are set in STIX (a Times-like face shipped with
matplotlib), Chinese in Noto Serif SC (a 宋体-like face) through
matplotlib's per-glyph font fallback: the 宋体 + Times New Roman pairing
Chinese theses ask for.  Lines that share a figure differ by dash or
marker as well as by colour, so a thesis printed in grey stays readable.

PDF output keeps matplotlib's default Type 3 fonts: Type 42 embedding of
these CFF-flavoured OpenType fonts writes a font that poppler rejects
(see /work/shared/NOTES.md, "CJK in figures").

Examples
--------
>>> families = register_fonts()
>>> families["serif"]
'Noto Serif SC'
>>> from matplotlib import font_manager
>>> font_manager.findfont(families["serif"]) == str(cjk_font_path("serif"))
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import pylopdf_fonts_zh_cn
from matplotlib import font_manager
from matplotlib.figure import Figure

#: The CJK font files by kind, from the pylopdf-fonts-zh-cn package (both SIL OFL 1.1).
FONT_FILES = {
    "serif": pylopdf_fonts_zh_cn.serif_path(),
    "sans": pylopdf_fonts_zh_cn.sans_path(),
}

#: Latin face (bundled with matplotlib) put before the CJK face.
LATIN_FAMILY = "STIXGeneral"

#: Resolution of the raster copy of every figure.
PNG_DPI = 300

#: Text width of an A4 thesis page with 3.17 cm margins, in inches (14.66 cm).
TEXT_WIDTH = 5.77

#: Colours: a muted qualitative palette that survives grey-scale printing.
PALETTE = ("#1f3b73", "#c0392b", "#2e8b57", "#7f7f7f", "#d4a017", "#6a3d9a")


def cjk_font_path(kind: str = "serif") -> Path:
    """Path of the packaged CJK font file (``kind`` "serif" or "sans")."""
    return Path(FONT_FILES[kind])


def register_fonts() -> dict[str, str]:
    """Add the packaged CJK fonts to matplotlib; return their family names by kind.

    Safe to call many times.  Entries of the same family name from other
    files are dropped from the font manager, so the packaged file wins.
    """
    manager = font_manager.fontManager
    families = {}
    for kind in FONT_FILES:
        path = str(cjk_font_path(kind))
        name = font_manager.FontProperties(fname=path).get_name()
        families[kind] = name
        same_name = [e for e in manager.ttflist if e.name == name]
        if same_name and all(e.fname == path for e in same_name):
            continue
        manager.ttflist = [e for e in manager.ttflist if e.name != name]
        manager.addfont(path)  # also clears the font manager's lookup cache
    return families


def thesis_rc(kind: str = "serif") -> dict[str, object]:
    """The rcParams of the thesis style (fonts registered on the way).

    ``kind="sans"`` pairs DejaVu Sans with Noto Sans SC (黑体-like),
    for slides.
    """
    cjk = register_fonts()[kind]
    latin = LATIN_FAMILY if kind == "serif" else "DejaVu Sans"
    return {
        "font.family": [latin, cjk],
        "mathtext.fontset": "stix" if kind == "serif" else "dejavusans",
        "font.size": 10.5,
        "axes.titlesize": 10.5,
        "axes.labelsize": 10.5,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "axes.unicode_minus": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.8,
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "legend.frameon": False,
        "figure.figsize": (TEXT_WIDTH, TEXT_WIDTH * 0.62),
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
        "savefig.bbox": "tight",
        "pdf.fonttype": 3,
        "image.cmap": "RdBu_r",
    }


@contextlib.contextmanager
def thesis_style(kind: str = "serif") -> Iterator[None]:
    """Context manager applying :func:`thesis_rc` (``with thesis_style(): ...``)."""
    with mpl.rc_context(thesis_rc(kind)):
        yield


def save_figure(fig: Figure, stem: str | Path) -> tuple[Path, Path]:
    """Save ``fig`` as ``stem.pdf`` (vector) and ``stem.png`` (300 dpi).

    No creation date or software version is written, so the same figure
    gives the same bytes on every build.

    Returns
    -------
    (Path, Path)
        The PDF and PNG paths.
    """
    stem = Path(stem)
    pdf, png = stem.with_suffix(".pdf"), stem.with_suffix(".png")
    with thesis_style():
        fig.savefig(pdf, format="pdf", metadata={"CreationDate": None, "Producer": None})
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return pdf, png
