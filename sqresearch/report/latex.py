r"""LaTeX three-line tables (三线表): booktabs rules, threeparttable notes, dcolumn alignment.

The table is a fragment to ``\input`` into a document whose preamble loads
:data:`PACKAGES` (:func:`preamble` writes the lines).  Layout:

* only ``\toprule``, ``\midrule`` and ``\bottomrule``; a ``\cmidrule`` under
  each spanning column-group head (the auxiliary line 三线表 allow); no
  vertical rules;
* caption and label above the table, notes below it in ``tablenotes``;
* numeric columns are dcolumn ``D{.}{.}{-1}`` columns, so numbers line up on
  the decimal point (stars are set as superscripts, outside the alignment);
  heads and non-numeric cells in them are ``\multicolumn{1}{c}{...}``;
* text columns given a width (``ThesisTable.widths``) are ragged-right
  ``p{}`` columns (array's ``>{...}``), so long sentences wrap.

dcolumn is part of TeX Live's base (``texlive-latex-base``); siunitx would
need ``texlive-science``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqresearch.errors import InputError
from sqresearch.report.format import escape_latex

if TYPE_CHECKING:
    from sqresearch.report.tables import Cell, ThesisTable

#: LaTeX packages the tables need.
PACKAGES = ("booktabs", "threeparttable", "dcolumn", "array")

NUMERIC_COLUMN = "D{.}{.}{-1}"

_LABEL = re.compile(r"^[A-Za-z0-9:._-]*$")
_MINUS = re.compile(r"-(?=[\d.])")


def preamble() -> str:
    r"""The ``\usepackage`` lines for :data:`PACKAGES`.

    Examples
    --------
    >>> print(preamble())
    \usepackage{booktabs}
    \usepackage{threeparttable}
    \usepackage{dcolumn}
    \usepackage{array}
    """
    return "\n".join(rf"\usepackage{{{p}}}" for p in PACKAGES)


def _text(s: str) -> str:
    """Escaped text for a non-aligned cell; a minus before a digit becomes a math minus."""
    return _MINUS.sub("$-$", escape_latex(s))


def _centered(s: str) -> str:
    return rf"\multicolumn{{1}}{{c}}{{{_text(s)}}}"


def _body_cell(cell: Cell, numeric_column: bool) -> str:
    if not numeric_column:
        return _text(str(cell))
    if not cell.number:
        return _centered(cell.text) if cell.text else ""
    mark = f"^{{{cell.stars}}}" if cell.stars else ""
    return cell.text + mark


def to_latex(table: ThesisTable) -> str:
    """The table as a LaTeX ``table`` environment (a string ending in a newline)."""
    if not _LABEL.match(table.label):
        raise InputError(
            "LaTeX label may hold only letters, digits and :._-",
            value=table.label,
            hint='e.g. label="tab:reliability"',
        )
    cols = table.printed_columns
    numeric = [table.kind(c) not in ("text", "ci") for c in cols]
    spec = "".join(
        NUMERIC_COLUMN
        if num
        else rf">{{\raggedright\arraybackslash}}p{{{table.widths[c]:.2f}\linewidth}}"
        if c in table.widths
        else ("l" if i == 0 else "c")
        for i, (c, num) in enumerate(zip(cols, numeric, strict=True))
    )
    lines = [r"\begin{table}[htbp]", r"\centering", r"\begin{threeparttable}"]
    if table.caption:
        lines.append(rf"\caption{{{escape_latex(table.caption)}}}")
    if table.label:
        lines.append(rf"\label{{{table.label}}}")
    lines += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule"]
    headers = table.header_rows()
    for r, row in enumerate(headers):
        cells = []
        for h in row:
            if h.span > 1 or numeric[h.start]:
                cells.append(rf"\multicolumn{{{h.span}}}{{c}}{{{_text(h.text)}}}")
            else:
                cells.append(_text(h.text))
        lines.append(" & ".join(cells) + r" \\")
        if r < len(headers) - 1:
            rules = [
                rf"\cmidrule(lr){{{h.start + 1}-{h.start + h.span}}}" for h in row if h.span > 1
            ]
            lines.append(" ".join(rules))
    lines.append(r"\midrule")
    for row in table.cells():
        lines.append(
            " & ".join(_body_cell(c, num) for c, num in zip(row, numeric, strict=True)) + r" \\"
        )
    lines += [r"\bottomrule", r"\end{tabular}"]
    if table.note_lines:
        lines.append(r"\begin{tablenotes}[flushleft]\footnotesize")
        lines += [rf"\item[] {escape_latex(n)}" for n in table.note_lines]
        lines.append(r"\end{tablenotes}")
    lines += [r"\end{threeparttable}", r"\end{table}"]
    return "\n".join(lines) + "\n"
