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
PACKAGES = ("booktabs", "threeparttable", "dcolumn", "array", "longtable", "pdflscape")

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
    \usepackage{longtable}
    \usepackage{pdflscape}
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


#: The text block of the paper template (A4, 2.5 cm margins), in points.
TEXT_WIDTH_PT = 455.0
TEXT_HEIGHT_PT = 700.0
#: Tables are set in ``\small``: 五号 (10.5 pt) under ctexart's ``zihao=-4``, as Chinese
#: theses ask, and never scaled (stars, superscripts at 70 %, stay above 7 pt).
TABLE_SIZE_PT = 10.5
#: Space between columns (2 ``\tabcolsep``) and the height of a row, in points.
COLUMN_GAP_PT = 12.0
ROW_HEIGHT_PT = 14.0


def text_width(text: str, size: float = TABLE_SIZE_PT) -> float:
    """Estimated printed width of ``text`` in points: CJK characters one em, others half an em.

    Examples
    --------
    >>> text_width("社群 0.82")
    47.25
    """
    import unicodedata

    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)
    return ems * size


def column_widths(table: ThesisTable) -> list[float]:
    """Estimated width of each printed column (points), heads included, spanning heads shared."""
    cols = table.printed_columns
    widths = [0.0] * len(cols)
    for row in table.cells():
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], text_width(cell.text) + 0.35 * TABLE_SIZE_PT * len(cell.stars))
    headers = table.header_rows()
    for h in headers[-1]:
        widths[h.start] = max(widths[h.start], text_width(h.text))
    for i, c in enumerate(cols):
        if c in table.widths:
            widths[i] = table.widths[c] * TEXT_WIDTH_PT
    for h in headers[0] if len(headers) > 1 else ():
        if h.span > 1:
            short = text_width(h.text) - sum(widths[h.start : h.start + h.span])
            if short > 0:
                for k in range(h.start, h.start + h.span):
                    widths[k] += short / h.span
    return [w + COLUMN_GAP_PT for w in widths]


def _units(table: ThesisTable) -> tuple[list[int], list[list[int]]]:
    """The leading label columns (repeated in every part) and the units the rest splits into."""
    cols = table.printed_columns
    lead = []
    for i, c in enumerate(cols):
        if table.kind(c) != "text" or i == len(cols) - 1:
            break
        lead.append(i)
    grouped = {}
    for _, members in table.column_groups:
        idx = sorted(cols.index(m) for m in members)
        for k in idx:
            grouped[k] = idx
    units, seen = [], set()
    for i in range(len(lead), len(cols)):
        if i in seen:
            continue
        unit = grouped.get(i, [i])
        seen.update(unit)
        units.append(unit)
    return lead, units


def layout(table: ThesisTable) -> tuple[str, list[list[int]], bool]:
    """How a table fits the page at its legible size, never scaled.

    Returns ``(orientation, parts, long)``: ``"portrait"`` when the columns fit
    the text width, else ``"landscape"`` (pdflscape) when they fit the text
    height; a table wider still is split into ``parts`` (lists of column
    positions), each repeating the leading label columns and continuing the
    same table number (续表).  ``long`` when the rows do not fit one page
    (longtable: the head repeats on each page, continued caption).
    """
    widths = column_widths(table)
    total = sum(widths)
    cols = list(range(len(widths)))
    if total <= TEXT_WIDTH_PT:
        orientation, parts = "portrait", [cols]
    else:
        orientation = "landscape"
        if total <= TEXT_HEIGHT_PT:
            parts = [cols]
        else:
            lead, units = _units(table)
            room = TEXT_HEIGHT_PT - sum(widths[i] for i in lead)
            parts, current, used = [], [], 0.0
            for unit in units:
                need = sum(widths[i] for i in unit)
                if current and used + need > room:
                    parts.append(lead + current)
                    current, used = [], 0.0
                current, used = current + unit, used + need
            parts.append(lead + current)
    page = TEXT_HEIGHT_PT if orientation == "portrait" else TEXT_WIDTH_PT
    rows = len(table.header_rows()) + len(table.data) + 3 + len(table.note_lines)
    return orientation, parts, len(parts) > 1 or rows * ROW_HEIGHT_PT > 0.8 * page


def to_latex(table: ThesisTable) -> str:
    r"""The table as LaTeX, set in ``\small`` and never scaled (a string ending in a newline).

    A table that fits one page is a ``table`` float with ``threeparttable``
    notes; a long one a ``longtable`` whose head repeats on every page under
    a continued caption (续表 N / Table N (continued)), notes after it; a wide
    one goes landscape or, wider still, is split into parts (:func:`layout`).
    """
    if not _LABEL.match(table.label):
        raise InputError(
            "LaTeX label may hold only letters, digits and :._-",
            value=table.label,
            hint='e.g. label="tab:reliability"',
        )
    orientation, parts, long = layout(table)
    if long:
        body = "".join(
            _longtable(_part(table, part), first=k == 0, last=k == len(parts) - 1)
            for k, part in enumerate(parts)
        )
    else:
        body = _float(table)
    if orientation == "landscape":
        body = "\\begin{landscape}\n" + body + "\\end{landscape}\n"
    return body


def _part(table: ThesisTable, positions: list[int]) -> ThesisTable:
    """The table restricted to the printed columns at ``positions``."""
    import dataclasses

    cols = table.printed_columns
    keep = [cols[i] for i in positions]
    groups = [(text, members) for text, members in table.column_groups if set(members) <= set(keep)]
    widths = {c: w for c, w in table.widths.items() if c in keep}  # wrapped columns of this part
    return dataclasses.replace(table, columns=keep, column_groups=groups, widths=widths)


def _spec(table: ThesisTable) -> tuple[str, list[bool]]:
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
    return spec, numeric


def _head_lines(table: ThesisTable, numeric: list[bool]) -> list[str]:
    lines = []
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
    return lines


def _body_lines(table: ThesisTable, numeric: list[bool]) -> list[str]:
    return [
        " & ".join(_body_cell(c, num) for c, num in zip(row, numeric, strict=True)) + r" \\"
        for row in table.cells()
    ]


def _float(table: ThesisTable) -> str:
    spec, numeric = _spec(table)
    lines = [r"\begin{table}[htbp]", r"\centering", r"\small", r"\begin{threeparttable}"]
    if table.caption:
        lines.append(rf"\caption{{{escape_latex(table.caption)}}}")
    if table.label:
        lines.append(rf"\label{{{table.label}}}")
    lines += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule"]
    lines += _head_lines(table, numeric)
    lines.append(r"\midrule")
    lines += _body_lines(table, numeric)
    lines += [r"\bottomrule", r"\end{tabular}"]
    if table.note_lines:
        lines.append(r"\begin{tablenotes}[flushleft]\small")
        lines += [rf"\item[] {escape_latex(n)}" for n in table.note_lines]
        lines.append(r"\end{tablenotes}")
    lines += [r"\end{threeparttable}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def _continued(table: ThesisTable, n: int) -> str:
    """The caption line of a table's continuation (续表 N title / Table N (continued))."""
    title = escape_latex(table.caption)
    text = rf"续表\thetable\quad {title}" if table.lang == "zh" else r"Table \thetable\ (continued)"
    return rf"\multicolumn{{{n}}}{{c}}{{{text}}} \\[4pt]"


def _longtable(table: ThesisTable, *, first: bool, last: bool) -> str:
    spec, numeric = _spec(table)
    n = len(numeric)
    head = [r"\toprule", *_head_lines(table, numeric), r"\midrule"]
    lines = [r"\begingroup\small", rf"\begin{{longtable}}{{{spec}}}"]
    if first and table.caption:
        label = rf"\label{{{table.label}}}" if table.label else ""
        lines.append(rf"\caption{{{escape_latex(table.caption)}}}{label} \\")
    elif table.caption:
        lines.append(_continued(table, n))
    lines += [*head, r"\endfirsthead"]
    if table.caption:
        lines.append(_continued(table, n))
    lines += [*head, r"\endhead", r"\bottomrule", r"\endfoot", r"\bottomrule", r"\endlastfoot"]
    lines += _body_lines(table, numeric)
    lines += [r"\end{longtable}"]
    if last and table.note_lines:
        lines += [r"\noindent"]
        lines += [escape_latex(n) + r"\par" for n in table.note_lines]
    lines.append(r"\endgroup")
    return "\n".join(lines) + "\n"
