"""Word (.docx) three-line tables, as Chinese thesis regulations ask.

* title above the table, centred, bold, numbered by a Word ``SEQ`` field as
  Word's own captions are ("表1 …" / "Table 1 …"; the number counts the
  tables of the file, and Word renumbers the fields once the tables are
  pasted into the thesis and the fields updated, F9);
* notes below the table in a smaller size; text columns given a width
  (``ThesisTable.widths``) are fixed at that share of the text width;
* a 1.5 pt rule above the head and below the last row, a 0.75 pt rule under
  the head (and under each spanning column-group head); no vertical lines
  and no other horizontal lines;
* 宋体 for Chinese and Times New Roman for Latin letters and digits, set on
  every run (``w:eastAsia`` for the East Asian font): 五号 (10.5 pt) in the
  table, 小五 (9 pt) in the notes;
* A4 pages; header rows repeat on each page of a long table.

The package is normalised by :func:`sqresearch.report.ooxml.normalise_package`,
so the same tables give the same bytes.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from sqresearch.report.ooxml import FIXED_TIME, normalise_package

if TYPE_CHECKING:
    from docx.document import Document

    from sqresearch.report.tables import ThesisTable

LATIN_FONT = "Times New Roman"
EAST_ASIAN_FONT = "宋体"
BODY_SIZE = Pt(10.5)  # 五号: tables, captions, references
BODY_TEXT_SIZE = Pt(12)  # 小四: the running text of a chapter
NOTE_SIZE = Pt(9)  # 小五
#: Border widths in eighths of a point (OOXML ``w:sz``).
THICK_RULE = 12  # 1.5 pt
THIN_RULE = 6  # 0.75 pt

_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
_TCPR_AFTER_BORDERS = (
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)


def to_docx(table: ThesisTable) -> bytes:
    """One table as a .docx file's bytes."""
    return tables_docx([table])


def tables_docx(tables: Sequence[ThesisTable]) -> bytes:
    """Several tables in one .docx, each followed by an empty paragraph."""
    doc = docx.Document()
    setup_document(doc)
    for number, table in enumerate(tables, start=1):
        _add_table(doc, table, number)
        doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_package(buf.getvalue())


def setup_document(doc: Document, body_size: Pt = BODY_SIZE) -> None:
    """A4, thesis margins, fixed metadata; Normal style 宋体 / Times New Roman at ``body_size``."""
    props = doc.core_properties
    props.author = props.last_modified_by = "sqresearch"
    props.comments = ""
    props.created = props.modified = datetime(*FIXED_TIME)
    props.revision = 1
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = body_size
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(3.17)
    section.top_margin = section.bottom_margin = Cm(2.54)


def add_run(
    paragraph: Paragraph, text: str, size: Pt, *, bold: bool = False, italic: bool = False
) -> None:
    """A run in Times New Roman with 宋体 for East Asian text."""
    run = paragraph.add_run(text)
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    if italic:
        run.font.italic = True
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _field(paragraph: Paragraph, code: str, result: str, size: Pt, *, bold: bool) -> None:
    """A Word field (``code``, e.g. ``SEQ Table \\* ARABIC``) showing ``result`` until updated."""

    def run_with(el: OxmlElement) -> None:
        add_run(paragraph, "", size, bold=bold)
        paragraph.runs[-1]._element.append(el)

    begin, instr, separate, end = (
        OxmlElement(tag) for tag in ("w:fldChar", "w:instrText", "w:fldChar", "w:fldChar")
    )
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    run_with(begin)
    run_with(instr)
    run_with(separate)
    add_run(paragraph, result, size, bold=bold)
    run_with(end)


def caption(paragraph: Paragraph, word: str, number: int | str, title: str, lang: str) -> None:
    """ "表1 title" / "Table 1 title": the word, a SEQ field numbering it, the title (五号, bold)."""
    add_run(paragraph, word if lang == "zh" else f"{word} ", BODY_SIZE, bold=True)
    _field(paragraph, rf"SEQ {word} \* ARABIC", str(number), BODY_SIZE, bold=True)
    add_run(paragraph, f" {title}", BODY_SIZE, bold=True)


def _caption(paragraph: Paragraph, table: ThesisTable, number: int) -> None:
    caption(paragraph, "表" if table.lang == "zh" else "Table", number, table.caption, table.lang)


def _compact(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    paragraph.alignment = align


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _border(tag: str, size: int | None) -> OxmlElement:
    el = OxmlElement(f"w:{tag}")
    if size is None:
        el.set(qn("w:val"), "nil")
    else:
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    return el


def _table_borders(tbl) -> None:
    borders = OxmlElement("w:tblBorders")
    for tag, size in (
        ("top", THICK_RULE),
        ("left", None),
        ("bottom", THICK_RULE),
        ("right", None),
        ("insideH", None),
        ("insideV", None),
    ):
        borders.append(_border(tag, size))
    _insert_before(tbl.tblPr, borders, _TBLPR_AFTER_BORDERS)


def _cell_bottom_rule(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    borders.append(_border("bottom", THIN_RULE))
    _insert_before(tc_pr, borders, _TCPR_AFTER_BORDERS)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    tr_pr.append(flag)


def _paragraph_shape(align: WD_ALIGN_PARAGRAPH, size: Pt):
    """An empty compact paragraph with one empty run in the thesis fonts (to copy into cells)."""
    para = Paragraph(OxmlElement("w:p"), None)
    _compact(para, align)
    add_run(para, "", size)
    return para._p


def _fill(cell, shape, text: str) -> None:
    """Replace ``cell``'s empty paragraph with a copy of ``shape`` holding ``text``.

    The same XML as :func:`_compact` and :func:`add_run` on the cell's
    paragraph, built by copying: python-docx's element-by-element setters
    were most of the time of writing a large table.
    """
    empty = cell.paragraphs[0]._p
    filled = copy.deepcopy(shape)
    empty.addnext(filled)
    empty.getparent().remove(empty)
    Run(filled.r_lst[-1], cell).text = text


def _add_table(doc: Document, table: ThesisTable, number: int) -> None:
    cols = table.printed_columns
    left = [table.kind(c) == "text" and i == 0 for i, c in enumerate(cols)]
    if table.caption:
        title = doc.add_paragraph()
        _compact(title, WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.keep_with_next = True
        _caption(title, table, number)
    headers = table.header_rows()
    body = table.cells()
    grid = doc.add_table(rows=len(headers) + len(body), cols=len(cols))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(grid._tbl)
    last_head = len(headers) - 1
    rows = grid.rows
    for r, heads in enumerate(headers):
        row = rows[r]
        _repeat_header(row)
        row_cells = row.cells  # python-docx rebuilds this list on every access
        for h in heads:
            cell = row_cells[h.start]
            if h.span > 1:
                cell = cell.merge(row_cells[h.start + h.span - 1])
            if r == last_head or h.span > 1:
                _cell_bottom_rule(cell)
            para = cell.paragraphs[0]
            _compact(para, WD_ALIGN_PARAGRAPH.CENTER)
            add_run(para, h.text, BODY_SIZE)
    shapes = {
        align: _paragraph_shape(align, BODY_SIZE)
        for align in (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER)
    }
    for r, cells in enumerate(body, start=len(headers)):
        row_cells = rows[r].cells
        for c, cell_value in enumerate(cells):
            shape = shapes[WD_ALIGN_PARAGRAPH.LEFT if left[c] else WD_ALIGN_PARAGRAPH.CENTER]
            _fill(row_cells[c], shape, str(cell_value))
    text_width = doc.sections[0].page_width - 2 * doc.sections[0].left_margin
    for c, col in enumerate(cols):
        if col in table.widths:
            for cell in grid.columns[c].cells:
                cell.width = int(table.widths[col] * text_width)
    for note in table.note_lines:
        para = doc.add_paragraph()
        _compact(para, WD_ALIGN_PARAGRAPH.LEFT)
        add_run(para, note, NOTE_SIZE)
