r"""Number formatting for thesis tables and text: every rule in one place.

A table column declares the *kind* of statistic it holds (``"mean"``,
``"alpha"``, ``"p"`` ...); :data:`DECIMALS` says how many decimals that kind
gets and :data:`BOUNDED` which kinds cannot exceed 1 in absolute value (APA
style drops their leading zero: ``.87``).  Two styles:

``"thesis"`` (default)
    what Chinese theses and SPSS-trained examiners expect: leading zeros
    everywhere (``0.870``), p below .001 as ``<0.001``.
``"apa"``
    APA 7th edition: no leading zero for statistics bounded by 1 (``.870``),
    p as ``< .001``.

Significance stars follow the usual thesis convention (* p < .05,
** p < .01, *** p < .001); :func:`star_legend` writes the matching note.

Examples
--------
>>> fmt_number(0.8712, "alpha"), fmt_number(0.8712, "alpha", style="apa")
('0.871', '.871')
>>> fmt_p(0.0004), fmt_p(0.0004, style="apa"), fmt_p(0.0312, style="apa")
('<0.001', '< .001', '.031')
>>> fmt_number(0.456, "beta", p=0.003)
'0.456**'
>>> fmt_ci(0.1234, 0.3456)
'[0.123, 0.346]'
>>> escape_latex("50% & a_b #1 {x} ~ ^ \\ $，。")
'50\\% \\& a\\_b \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$，。'
"""

from __future__ import annotations

import math
import re
from typing import Literal

from sqresearch.errors import InputError
from sqresearch.report.labels import check_lang
from sqresearch.thresholds import THRESHOLDS

Style = Literal["thesis", "apa"]
STYLES = ("thesis", "apa")

#: Decimals printed for each kind of statistic.  ``"text"`` cells are not numbers.
DECIMALS: dict[str, int] = {
    "count": 0,
    "n": 0,
    "df": 0,
    "integer": 0,
    "percent": 2,
    "mean": 2,
    "sd": 2,
    "min": 0,
    "max": 0,
    "skew": 3,
    "kurtosis": 3,
    "alpha": 3,
    "omega": 3,
    "citc": 3,
    "loading": 3,
    "communality": 3,
    "cr": 3,
    "ave": 3,
    "sqrt_ave": 3,
    "htmt": 3,
    "kmo": 3,
    "eigenvalue": 3,
    "r": 3,
    "b": 3,
    "se": 3,
    "beta": 3,
    "t": 3,
    "z": 3,
    "f": 3,
    "r2": 3,
    "p": 3,
    "chisq": 3,
    "chisq_df": 3,
    "fit": 3,
    "rmsea": 3,
    "ic": 3,
    "vif": 3,
    "effect": 3,
    "share": 2,
    "ci": 3,
    "value": 3,
}

#: Kinds that cannot exceed 1 in absolute value: APA prints them without a leading zero.
#: (Standardised β and loadings, TLI, IFI and HTMT can exceed 1, so they keep it.)
BOUNDED: frozenset[str] = frozenset(
    {"alpha", "omega", "citc", "cr", "ave", "sqrt_ave", "kmo", "r", "r2", "p", "communality"}
)

#: p-value cut-offs of the stars, largest first.
STAR_LEVELS: tuple[tuple[float, str], ...] = ((0.001, "***"), (0.01, "**"), (0.05, "*"))

#: Printed for a missing number (NaN / None).
MISSING = ""


def check_style(style: str) -> str:
    """Return ``style`` if it is "thesis" or "apa", else raise :class:`InputError`."""
    if style not in STYLES:
        raise InputError("unknown number style", value=style, hint='use "thesis" or "apa"')
    return style


def decimals_for(kind: str) -> int:
    """Decimals of ``kind``; raises :class:`InputError` for an unknown kind.

    Examples
    --------
    >>> decimals_for("mean"), decimals_for("p")
    (2, 3)
    """
    try:
        return DECIMALS[kind]
    except KeyError:
        raise InputError(
            "unknown statistic kind", value=kind, hint=f"use one of {sorted(DECIMALS)}"
        ) from None


def is_missing(x: object) -> bool:
    """True for None and NaN (and pandas NA)."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))  # type: ignore[arg-type]
    except TypeError:
        return x is _pandas_na()


def _pandas_na() -> object:
    import pandas as pd

    return pd.NA


def fmt_number(
    x: float | None,
    kind: str = "value",
    *,
    style: str = "thesis",
    decimals: int | None = None,
    p: float | None = None,
) -> str:
    """Format one number by the rules of its statistic ``kind``.

    Parameters
    ----------
    x : float or None
        The number; NaN/None gives :data:`MISSING`.
    kind : str
        A key of :data:`DECIMALS`; ``"p"`` is formatted by :func:`fmt_p`.
    style : {"thesis", "apa"}
    decimals : int, optional
        Overrides :data:`DECIMALS`.
    p : float, optional
        When given, significance stars for this p-value are appended.

    Returns
    -------
    str
        A negative number that rounds to zero is printed without its sign.

    Examples
    --------
    >>> fmt_number(-0.0004, "r"), fmt_number(3, "n"), fmt_number(-0.52, "r", style="apa")
    ('0.000', '3', '-.520')
    >>> fmt_number(float("nan"), "mean")
    ''
    """
    check_style(style)
    if kind == "p":
        return fmt_p(x, style=style)
    if is_missing(x):
        return MISSING
    d = decimals_for(kind) if decimals is None else decimals
    text = f"{float(x):.{d}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    if style == "apa" and kind in BOUNDED:
        text = _drop_leading_zero(text)
    return text + (stars(p) if p is not None else "")


def _drop_leading_zero(text: str) -> str:
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def fmt_p(p: float | None, *, style: str = "thesis", decimals: int = 3) -> str:
    """Format a p-value: ``<0.001`` (thesis) or ``< .001`` (APA) below .001.

    Examples
    --------
    >>> fmt_p(0.0499), fmt_p(1.0, style="apa"), fmt_p(None)
    ('0.050', '1.000', '')
    """
    check_style(style)
    if is_missing(p):
        return MISSING
    p = float(p)
    if not 0 <= p <= 1:
        raise InputError("p-value outside [0, 1]", value=p)
    floor = 10.0**-decimals
    if p < floor:
        bound = f"{floor:.{decimals}f}"
        return f"< {_drop_leading_zero(bound)}" if style == "apa" else f"<{bound}"
    text = f"{p:.{decimals}f}"
    if style == "apa" and text != f"{1:.{decimals}f}":
        text = _drop_leading_zero(text)
    return text


def stars(p: float | None) -> str:
    """``"***"`` for p < .001, ``"**"`` for p < .01, ``"*"`` for p < .05, else ``""``.

    Examples
    --------
    >>> [stars(p) for p in (0.0001, 0.001, 0.0099, 0.04, 0.05, float("nan"))]
    ['***', '**', '**', '*', '', '']
    """
    if is_missing(p):
        return ""
    for level, mark in STAR_LEVELS:
        if p < level:
            return mark
    return ""


def star_legend(lang: str | None = None, *, style: str = "thesis") -> str:
    """The note explaining the stars.

    Examples
    --------
    >>> star_legend("zh")
    '* p<0.05，** p<0.01，*** p<0.001。'
    >>> star_legend("en", style="apa")
    '*p < .05. **p < .01. ***p < .001.'
    """
    lang = check_lang(lang)
    check_style(style)
    parts = []
    for level, mark in reversed(STAR_LEVELS):
        bound = f"{level:.3f}".rstrip("0")
        if lang == "zh":
            parts.append(f"{mark} p<{bound}")
        else:
            bound = _drop_leading_zero(bound) if style == "apa" else bound
            parts.append(f"{mark}p < {bound}")
    return "，".join(parts) + "。" if lang == "zh" else ". ".join(parts) + "."


def fmt_ci(
    lower: float | None,
    upper: float | None,
    kind: str = "ci",
    *,
    style: str = "thesis",
    decimals: int | None = None,
) -> str:
    """A confidence interval in brackets, ``[lower, upper]``.

    Examples
    --------
    >>> fmt_ci(-0.02, 0.31, "r", style="apa")
    '[-.020, .310]'
    >>> fmt_ci(float("nan"), 0.3)
    ''
    """
    if is_missing(lower) or is_missing(upper):
        return MISSING
    lo = fmt_number(lower, kind, style=style, decimals=decimals)
    hi = fmt_number(upper, kind, style=style, decimals=decimals)
    return f"[{lo}, {hi}]"


_OP_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def fmt_threshold(
    key: str, kind: str = "value", *, style: str = "thesis", scale: float = 1, symbol: bool = True
) -> str:
    """A cut-off of :mod:`sqresearch.thresholds` as printed beside a statistic, e.g. ``≥0.90``.

    Two decimals, or as many as the value needs (up to 3); whole numbers
    without decimals.  ``scale=100`` prints a share as a percentage.
    ``symbol=False`` drops the comparison sign, for sentences whose words
    already compare ("低于0.70", "at least 0.70").

    Examples
    --------
    >>> fmt_threshold("cfi"), fmt_threshold("chisq_df"), fmt_threshold("rmsea")
    ('≥0.90', '<3', '<0.08')
    >>> fmt_threshold("alpha", "alpha", style="apa"), fmt_threshold("harman_50", scale=100)
    ('≥.70', '<50')
    >>> fmt_threshold("citc", symbol=False)
    '0.40'
    """
    row = THRESHOLDS.loc[key]
    value = float(row["value"]) * scale
    if value == round(value):
        decimals = 0
    else:
        decimals = next(d for d in (2, 3, 4) if abs(round(value, d) - value) < 1e-12)
    number = fmt_number(value, kind, style=style, decimals=decimals)
    return _OP_SYMBOLS[row["op"]] + number if symbol else number


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "#": r"\#",
    "$": r"\$",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

# Symbols that text fonts (Latin Modern under xelatex) may lack: set in math mode.
_LATEX_MATH = {
    "α": r"\alpha",
    "β": r"\beta",
    "χ": r"\chi",
    "Δ": r"\Delta",
    "ω": r"\omega",
    "λ": r"\lambda",
    "σ": r"\sigma",
    "μ": r"\mu",
    "√": r"\surd",
    "²": r"^{2}",
    "≥": r"\geq",
    "≤": r"\leq",
    "−": "-",
    "×": r"\times",
    "±": r"\pm",
}


def escape_latex(text: str) -> str:
    r"""Escape LaTeX's special characters for a text cell, caption or note.

    Greek letters and math symbols (α, χ², Δ, √, ≥ ...) go into math mode,
    consecutive ones into one group, since text fonts may lack them.
    Everything else passes through: Chinese and its punctuation (，。：；“”（）)
    need no escaping under xelatex + ctex.

    Examples
    --------
    >>> escape_latex("χ²/df ≤ 3")
    '$\\chi^{2}$/df $\\leq$ 3'
    """
    out: list[str] = []
    math: list[str] = []
    for ch in str(text):
        if ch in _LATEX_MATH:
            math.append(_LATEX_MATH[ch])
            continue
        if math:
            out.append("$" + "".join(math) + "$")
            math = []
        out.append(_LATEX_SPECIALS.get(ch, ch))
    if math:
        out.append("$" + "".join(math) + "$")
    return "".join(out)


_UNESCAPE = re.compile(
    r"\\(textbackslash|textasciitilde|textasciicircum)\{\}|\\([%&_#${}])|"
    r"\\(" + "|".join(v[1:] for v in _LATEX_MATH.values() if v.startswith("\\")) + r")(?![A-Za-z])"
)
_COMMANDS = {"textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^"}
_SYMBOLS = {v[1:]: k for k, v in _LATEX_MATH.items() if v.startswith("\\")}


def unescape_latex(text: str) -> str:
    r"""Plain text of what :func:`escape_latex` writes (and of ``~``, ``--``, ``\textbf{}``).

    The inverse for the generated paragraphs, which the Word chapter shows as
    text; ``\cite`` and ``\ref`` are left for the caller to resolve.

    Examples
    --------
    >>> unescape_latex(escape_latex("χ²/df ≤ 3, 50% & ΔCFI"))
    'χ²/df ≤ 3, 50% & ΔCFI'
    >>> unescape_latex(r"Table~\ref{tab:x} -- \textbf{bold} $-$0.2")
    'Table \\ref{tab:x} – bold −0.2'
    """

    def one(match: re.Match) -> str:
        if match[1]:
            return _COMMANDS[match[1]]
        if match[2]:
            return match[2]
        return _SYMBOLS[match[3]]

    text = re.sub(r"\\text(?:bf|it|rm)\{([^{}]*)\}", r"\1", text)
    text = text.replace("$-$", "−").replace("^{2}", "²").replace("\\$", "\0")
    text = re.sub(r"(?<!\\)~", " ", text).replace("--", "–")
    return _UNESCAPE.sub(one, text).replace("$", "").replace("\0", "$")
