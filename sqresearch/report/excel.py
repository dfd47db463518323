"""Excel (.xlsx) three-line tables (openpyxl).

Title in the first row, the head below it, notes under the table; a medium
rule above the head and below the last row, a thin rule under the head; no
gridlines.  Numbers without stars are written as numbers (unrounded, with a
number format showing the table's decimals), so they can be recomputed;
everything else as text cells -- always strings, never formulas, and marked
quote-prefixed when they begin with = + - @ (so editing them keeps them text).
Fixed timestamps make the bytes reproducible.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from sqresearch.io.values import formula_like
from sqresearch.report.ooxml import FIXED_TIME, normalise_package

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from sqresearch.report.tables import Cell, ThesisTable

FONT = "Times New Roman"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(table: ThesisTable) -> bytes:
    """One table as an .xlsx file's bytes (one sheet)."""
    return tables_xlsx([table])


def tables_xlsx(tables: Sequence[ThesisTable]) -> bytes:
    """Several tables, one sheet each, named after their labels."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = wb.properties.lastModifiedBy = "sqresearch"
    wb.properties.created = wb.properties.modified = datetime(*FIXED_TIME)
    used: set[str] = set()
    for i, table in enumerate(tables, start=1):
        name = _SHEET_BAD.sub("_", table.label.removeprefix("tab:"))[:28] or f"Table{i}"
        while name in used:
            name = f"{name[:25]}_{i}"
        used.add(name)
        _write(wb.create_sheet(name), table)
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_package(buf.getvalue())


def _number_format(cell: Cell) -> str:
    digits = cell.text.split(".")[1] if "." in cell.text else ""
    whole = "#" if cell.text.lstrip("-").startswith(".") else "0"
    return whole + ("." + "0" * len(digits) if digits else "")


def _text(ws: Worksheet, row: int, column: int, text: str):
    """A text cell: stored as a string even when it begins with "=" (openpyxl would store a formula)."""
    cell = ws.cell(row, column)
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True
    return cell


def _write(ws: Worksheet, table: ThesisTable) -> None:
    ws.sheet_view.showGridLines = False
    cols = table.printed_columns
    ncol = len(cols)
    font = Font(name=FONT, size=10.5)
    thick, thin = Side(style="medium"), Side(style="thin")
    center = Alignment(horizontal="center", vertical="center")
    row = 1
    if table.caption:
        _text(ws, row, 1, table.caption).font = Font(name=FONT, size=10.5, bold=True)
        ws.cell(row, 1).alignment = center
        if ncol > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        row += 1
    headers = table.header_rows()
    for r, heads in enumerate(headers):
        for h in heads:
            cell = _text(ws, row, h.start + 1, h.text)
            cell.font, cell.alignment = font, center
            if h.span > 1:
                ws.merge_cells(
                    start_row=row,
                    start_column=h.start + 1,
                    end_row=row,
                    end_column=h.start + h.span,
                )
        for c in range(1, ncol + 1):
            top = thick if r == 0 else None
            bottom = thin if r == len(headers) - 1 else None
            if bottom is None and any(
                h.span > 1 and h.start < c <= h.start + h.span for h in heads
            ):
                bottom = thin
            ws.cell(row, c).border = Border(top=top, bottom=bottom)
        row += 1
    body = table.cells()
    for r, cells in enumerate(body):
        for c, value in enumerate(cells, start=1):
            if value.number and not value.stars and table.kind(cols[c - 1]) != "p":
                cell = ws.cell(row, c, value.value)
                cell.number_format = _number_format(value)
            else:
                cell = _text(ws, row, c, str(value))
            cell.font = font
            first_text = c == 1 and table.kind(cols[0]) == "text"
            cell.alignment = Alignment(horizontal="left") if first_text else center
            if r == len(body) - 1:
                cell.border = Border(bottom=thick)
        row += 1
    for note in table.note_lines:
        _text(ws, row, 1, note).font = Font(name=FONT, size=9)
        row += 1
    for c, col in enumerate(cols, start=1):
        width = max([len(table.head(col))] + [len(str(r[c - 1])) for r in body])
        ws.column_dimensions[get_column_letter(c)].width = min(40, 2 + 1.6 * width)
