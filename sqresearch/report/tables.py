"""Thesis tables: numbers in, three-line tables out.

Analyses return tidy DataFrames of unrounded numbers.  A :class:`ThesisTable`
wraps one such frame with what a thesis table needs besides the numbers (the
statistic kind of each column, which fixes its decimals; title, notes,
column heads and spanning column groups; the LaTeX label), and :func:`render`
turns it into LaTeX, Word, Markdown, HTML or Excel.  All formatting rules
live in :mod:`sqresearch.report.format`; the renderers only lay out the
strings it returns, so every format shows the same digits.

Every renderer is deterministic: the same table gives byte-identical output
(the .docx and .xlsx packages carry fixed timestamps).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"scale": ["CVA", "SOB"], "alpha": [0.8712, 0.65], "n": [300, 300]})
>>> t = ThesisTable(df, kinds={"alpha": "alpha", "n": "n"}, title={"zh": "信度", "en": "Reliability"},
...                 heads={"scale": "Scale"}, lang="en", style="apa")
>>> print(render(t, "markdown"))
**Reliability**
<BLANKLINE>
| Scale | Cronbach's α | n |
|:--|--:|--:|
| CVA | .871 | 300 |
| SOB | .650 | 300 |
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report import excel, latex, word
from sqresearch.report.format import check_style, fmt_ci, fmt_number, is_missing, stars
from sqresearch.report.labels import check_lang, label, localise

Text = str | Mapping[str, str]

FORMATS = ("latex", "docx", "markdown", "html", "xlsx")


class Cell(NamedTuple):
    """One formatted body cell: ``text`` without stars, the ``stars``,
    whether the cell is a number (decimal-aligned in LaTeX) and its unrounded
    ``value`` (written as a number to Excel)."""

    text: str
    stars: str = ""
    number: bool = False
    value: float | None = None

    def __str__(self) -> str:
        return self.text + self.stars


class Head(NamedTuple):
    """One header cell spanning ``span`` columns from column ``start``."""

    text: str
    start: int
    span: int = 1


@dataclass
class ThesisTable:
    """A table of computed numbers plus everything needed to print it.

    Parameters
    ----------
    data : DataFrame
        One row per table row; numbers unrounded.  The index is not printed:
        put row labels (variables, items) in text columns.  A ``str`` cell in
        a numeric column is printed as is (e.g. ``"—"``).
    kinds : mapping
        Column → statistic kind (a key of :data:`format.DECIMALS`), or
        ``"text"``.  Columns not listed are text.
    title, notes : str or {"zh": ..., "en": ...}
        Caption above the table and notes below it (a list, one per line).
    label : str
        LaTeX label (``"tab:reliability"``); also names the Excel sheet.
    heads : mapping
        Column → printed head: a ``{"zh": ..., "en": ...}`` mapping, or a
        string, itself looked up in the label dictionary (so ``"beta"``
        prints β and ``"ΔCFI"`` prints as given).  By default the column's
        own entry in the label dictionary (:mod:`sqresearch.report.labels`),
        or its name.
    columns : sequence, optional
        Printed columns in order; defaults to every column of ``data`` that
        is not used only for stars or CIs.  May include keys of ``ci``.
    column_groups : sequence of (head, [columns])
        Spanning heads over consecutive printed columns (a second header row).
    stars : mapping
        Column → column holding the p-value whose stars follow its numbers.
    ci : mapping
        New column → (lower column, upper column), printed ``[lower, upper]``.
    row_kinds : mapping
        Index label → kind overriding the column kinds of that row's numeric
        cells (e.g. an R² row under columns of β).
    collapse : sequence
        Text columns whose repeated values are printed only at their first row.
    decimals : mapping
        Column → decimals overriding its kind's default.
    widths : mapping
        Text column → width as a share of the line width (e.g. ``0.4``):
        the column wraps (a LaTeX ``p{}`` column; a fixed Word column).
    lang : {"zh", "en"}, optional
        Default: the active language (:func:`~sqresearch.report.labels.use_language`).
    style : {"thesis", "apa"}
    """

    data: pd.DataFrame
    kinds: Mapping[str, str] = field(default_factory=dict)
    title: Text = ""
    notes: Sequence[Text] = ()
    label: str = ""
    heads: Mapping[str, Text] = field(default_factory=dict)
    columns: Sequence[str] | None = None
    column_groups: Sequence[tuple[Text, Sequence[str]]] = ()
    stars: Mapping[str, str] = field(default_factory=dict)
    ci: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    row_kinds: Mapping[object, str] = field(default_factory=dict)
    collapse: Sequence[str] = ()
    decimals: Mapping[str, int] = field(default_factory=dict)
    widths: Mapping[str, float] = field(default_factory=dict)
    lang: str | None = None
    style: str = "thesis"

    def __post_init__(self) -> None:
        self.lang = check_lang(self.lang)
        check_style(self.style)
        if not isinstance(self.data, pd.DataFrame):
            raise InputError(
                "a ThesisTable needs a pandas DataFrame", value=type(self.data).__name__
            )
        known = set(self.data.columns) | set(self.ci)
        for col in self.printed_columns:
            if col not in known:
                raise InputError("table column not in the data", column=col)
        for col, pcol in self.stars.items():
            if pcol not in self.data.columns:
                raise InputError("p-value column for stars not in the data", column=pcol, value=col)
        for lo, hi in self.ci.values():
            for col in (lo, hi):
                if col not in self.data.columns:
                    raise InputError("CI bound column not in the data", column=col)
        printed = list(self.printed_columns)
        for col, share in self.widths.items():
            if col not in printed or self.kind(col) != "text" or not 0 < share < 1:
                raise InputError(
                    "a wrapped column must be a printed text column, width a share in (0, 1)",
                    column=col,
                    value=share,
                )
        for _, cols in self.column_groups:
            idx = sorted(printed.index(c) for c in cols)
            if idx != list(range(idx[0], idx[0] + len(idx))):
                raise InputError("a column group must span consecutive columns", value=list(cols))

    # --- structure ----------------------------------------------------------
    @property
    def printed_columns(self) -> list[str]:
        """The columns printed, in order."""
        if self.columns is not None:
            return list(self.columns)
        used = set(self.stars.values()) | {c for pair in self.ci.values() for c in pair}
        return [c for c in self.data.columns if c not in used] + [
            c for c in self.ci if c not in self.data.columns
        ]

    def kind(self, column: str) -> str:
        """The statistic kind of ``column`` (``"text"`` if not numeric)."""
        if column in self.ci:
            return self.kinds.get(column, "ci")
        return self.kinds.get(column, "text")

    def text(self, value: Text) -> str:
        """Resolve a bilingual text in the table's language."""
        return localise(value, self.lang)

    @property
    def caption(self) -> str:
        """The title in the table's language."""
        return self.text(self.title)

    @property
    def note_lines(self) -> list[str]:
        """The notes in the table's language."""
        return [self.text(n) for n in self.notes]

    def head(self, column: str) -> str:
        """The printed head of ``column``."""
        head = self.heads.get(column, str(column))
        return self.text(head) if isinstance(head, Mapping) else label(head, self.lang)

    def header_rows(self) -> list[list[Head]]:
        """One or two header rows; the first holds the column groups, if any."""
        cols = self.printed_columns
        bottom = [Head(self.head(c), i) for i, c in enumerate(cols)]
        if not self.column_groups:
            return [bottom]
        top: list[Head] = []
        grouped: dict[int, tuple[str, int]] = {}
        for text, members in self.column_groups:
            start = min(cols.index(c) for c in members)
            grouped[start] = (self.text(text), len(members))
        i = 0
        while i < len(cols):
            if i in grouped:
                text, span = grouped[i]
                top.append(Head(text, i, span))
                i += span
            else:
                top.append(Head("", i))
                i += 1
        return [top, bottom]

    def cells(self) -> list[list[Cell]]:
        """The formatted body, row by row."""
        cols = self.printed_columns
        rows: list[list[Cell]] = []
        previous: dict[str, object] = {}
        for index, record in zip(self.data.index, self.data.to_dict("records"), strict=True):
            row = []
            for col in cols:
                if col in self.collapse:
                    value = record[col]
                    shown = "" if col in previous and previous[col] == value else value
                    previous[col] = value
                    row.append(Cell("" if is_missing(shown) else str(shown)))
                    continue
                row.append(self._cell(index, record, col))
            rows.append(row)
        return rows

    def _cell(self, index: object, record: Mapping[str, object], col: str) -> Cell:
        kind = self.kind(col)
        if col in self.ci:
            lo, hi = self.ci[col]
            kind = self.row_kinds.get(index, kind)
            text = fmt_ci(
                record[lo], record[hi], kind, style=self.style, decimals=self.decimals.get(col)
            )
            return Cell(text)
        value = record[col]
        if kind == "text" or isinstance(value, str):
            return Cell("" if is_missing(value) else str(value))
        kind = self.row_kinds.get(index, kind)
        text = fmt_number(value, kind, style=self.style, decimals=self.decimals.get(col))
        mark = stars(record[self.stars[col]]) if col in self.stars and text else ""
        return Cell(text, mark, number=bool(text), value=float(value) if text else None)

    def to_frame(self) -> pd.DataFrame:
        """The printed strings as a DataFrame (stars included), heads as columns."""
        heads = [self.head(c) for c in self.printed_columns]
        body = [[str(c) for c in row] for row in self.cells()]
        return pd.DataFrame(body, columns=heads)

    # --- notebook display ---------------------------------------------------
    def _repr_html_(self) -> str:
        return to_html(self)

    def __repr__(self) -> str:
        return f"ThesisTable({self.caption!r}, {len(self.data)} rows)"


# --- Markdown and HTML ----------------------------------------------------------


def to_markdown(table: ThesisTable) -> str:
    """A pipe table with the title in bold above and the notes below.

    Column groups are folded into the heads (``"Model 1: β"``), as Markdown
    has a single header row.
    """
    cols = table.printed_columns
    heads = [table.head(c) for c in cols]
    for text, members in table.column_groups:
        for c in members:
            heads[cols.index(c)] = f"{table.text(text)}: {heads[cols.index(c)]}"
    align = [":--" if table.kind(c) == "text" else "--:" for c in cols]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(s.replace("|", "\\|") for s in cells) + " |"

    out = []
    if table.caption:
        out += [f"**{table.caption}**", ""]
    out += [line(heads), "|" + "|".join(align) + "|"]
    out += [line([str(c) for c in row]) for row in table.cells()]
    if table.note_lines:
        out += [""] + table.note_lines
    return "\n".join(out)


_HTML_STYLE = (
    "border-collapse:collapse;border-top:2px solid black;border-bottom:2px solid black;"
    "font-family:'Times New Roman',SimSun,serif"
)


def to_html(table: ThesisTable) -> str:
    """An HTML three-line table (inline CSS) for notebooks, caption above, notes below."""
    esc = html.escape
    headers = table.header_rows()
    kinds = [table.kind(c) for c in table.printed_columns]
    out = [f'<table class="thesis-table" style="{_HTML_STYLE}">']
    if table.caption:
        out.append(f'<caption style="caption-side:top">{esc(table.caption)}</caption>')
    out.append("<thead>")
    for r, row in enumerate(headers):
        rule = "border-bottom:1px solid black;" if r == len(headers) - 1 else ""
        cells = []
        for h in row:
            span = f' colspan="{h.span}"' if h.span > 1 else ""
            under = "border-bottom:1px solid black;" if h.span > 1 else rule
            cells.append(
                f'<th{span} style="{under}text-align:center;padding:2px 8px">{esc(h.text)}</th>'
            )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</thead><tbody>")
    for row in table.cells():
        tds = []
        for kind, cell in zip(kinds, row, strict=True):
            align = "left" if kind == "text" else "center"
            tds.append(f'<td style="text-align:{align};padding:2px 8px">{esc(str(cell))}</td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    for note in table.note_lines:
        out.append(f'<p style="font-size:smaller;margin:2px 0">{esc(note)}</p>')
    return "\n".join(out)


# --- dispatch -------------------------------------------------------------------


def render(
    table: ThesisTable, fmt: str = "latex", *, path: str | Path | None = None
) -> str | bytes:
    """Render ``table`` as ``fmt`` and optionally write it to ``path``.

    Parameters
    ----------
    table : ThesisTable
    fmt : {"latex", "docx", "markdown", "html", "xlsx"}
        Text formats return ``str`` (written as UTF-8); docx and xlsx return
        the file's bytes.
    path : path, optional
        Where to write the result.

    Returns
    -------
    str or bytes
    """
    if fmt not in FORMATS:
        raise InputError("unknown table format", value=fmt, hint=f"use one of {list(FORMATS)}")
    result: str | bytes = {
        "latex": latex.to_latex,
        "docx": word.to_docx,
        "markdown": to_markdown,
        "html": to_html,
        "xlsx": excel.to_xlsx,
    }[fmt](table)
    if path is not None:
        path = Path(path)
        if isinstance(result, bytes):
            path.write_bytes(result)
        else:
            path.write_text(result, encoding="utf-8", newline="\n")
    return result
