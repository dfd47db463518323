"""ThesisTable renderers: structure, determinism and escaping; the standard thesis tables."""

import io
import re
import zipfile

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from sqresearch.errors import InputError
from sqresearch.report.tables import ThesisTable, render
from sqresearch.report.word import THICK_RULE, THIN_RULE, tables_docx


@pytest.fixture
def table():
    df = pd.DataFrame(
        {
            "var": ["社群顾客价值（CVA）", "归属感_SOB", "50% & #1"],
            "b": [0.456, -0.12, 1.5],
            "p": [0.0001, 0.3, 0.02],
            "lo": [0.1, -0.3, 0.2],
            "hi": [0.5, 0.05, 2.0],
            "r2": [0.25, 0.3, 0.1],
        }
    )
    return ThesisTable(
        df,
        kinds={"b": "beta", "r2": "r2", "p": "p"},
        columns=["var", "b", "ci", "p", "r2"],
        stars={"b": "p"},
        ci={"ci": ("lo", "hi")},
        label="tab:test",
        title={"zh": "回归结果：β与R²", "en": "Regression"},
        notes=[{"zh": "注：* p<0.05。", "en": "Note. *p < .05."}],
        column_groups=[({"zh": "模型1", "en": "Model 1"}, ["b", "ci"])],
        heads={"var": "变量"},
    )


def test_cells_formatted_by_kind(table):
    frame = table.to_frame()
    assert frame.iloc[:, 1].tolist() == ["0.456***", "-0.120", "1.500*"]
    assert frame.iloc[:, 2].tolist() == ["[0.100, 0.500]", "[-0.300, 0.050]", "[0.200, 2.000]"]
    assert frame.iloc[:, 3].tolist() == ["<0.001", "0.300", "0.020"]


def test_latex_three_line_structure(table):
    tex = render(table, "latex")
    assert tex.count(r"\toprule") == 1 and tex.count(r"\midrule") == 1
    assert tex.count(r"\bottomrule") == 1
    assert r"\hline" not in tex
    spec = re.search(r"\\begin\{tabular\}\{(.*)\}\n", tex).group(1)
    assert "|" not in spec
    assert spec == "lD{.}{.}{-1}cD{.}{.}{-1}D{.}{.}{-1}"  # decimal-aligned numeric columns
    assert r"\cmidrule(lr){2-3}" in tex  # only under the spanning group head
    assert r"\caption{回归结果：$\beta$与R$^{2}$}" in tex and r"\label{tab:test}" in tex
    assert r"\begin{tablenotes}" in tex and r"\item[] 注：* p<0.05。" in tex
    assert "0.456^{***}" in tex  # stars outside the alignment
    assert r"50\% \& \#1" in tex and r"归属感\_SOB" in tex
    assert r"[$-$0.300, 0.050]" in tex
    assert (
        tex.index(r"\caption")
        < tex.index(r"\toprule")
        < tex.index(r"\bottomrule")
        < tex.index(r"\begin{tablenotes}")
    )


def test_latex_without_groups_has_no_cmidrule(table):
    table.column_groups = ()
    assert r"\cmidrule" not in render(table, "latex")


def test_bad_label_rejected(table):
    table.label = "tab:a b{"
    with pytest.raises(InputError):
        render(table, "latex")


@pytest.mark.parametrize("fmt", ["latex", "markdown", "html", "docx", "xlsx"])
def test_renderers_deterministic(table, fmt):
    assert render(table, fmt) == render(table, fmt)


def _border(el, side):
    b = el.find(qn(f"w:{side}"))
    return None if b is None else (b.get(qn("w:val")), b.get(qn("w:sz")))


def test_docx_three_line_borders_and_fonts(table, tmp_path):
    data = render(table, "docx", path=tmp_path / "t.docx")
    assert (tmp_path / "t.docx").read_bytes() == data
    doc = Document(io.BytesIO(data))
    tbl = doc.tables[0]
    borders = tbl._tbl.tblPr.find(qn("w:tblBorders"))
    assert _border(borders, "top") == ("single", str(THICK_RULE)) == ("single", "12")  # 1.5 pt
    assert _border(borders, "bottom") == ("single", "12")
    for side in ("left", "right", "insideH", "insideV"):
        assert _border(borders, side) == ("nil", None)
    # Thin 0.75 pt rule under the head row (and under the group head), nowhere else.
    thin = [
        (r, c)
        for r, row in enumerate(tbl.rows)
        for c, cell in enumerate(row.cells)
        if cell._tc.tcPr is not None and cell._tc.tcPr.find(qn("w:tcBorders")) is not None
    ]
    assert {r for r, _ in thin} == {0, 1}
    head = tbl.rows[1].cells[0]._tc.tcPr.find(qn("w:tcBorders"))
    assert _border(head, "bottom") == ("single", str(THIN_RULE)) == ("single", "6")
    # Title above, notes below; 宋体 for East Asian text, Times New Roman for Latin.
    body = doc.element.body
    order = [el.tag.split("}")[1] for el in body if el.tag.split("}")[1] in ("p", "tbl")]
    assert order[:3] == ["p", "tbl", "p"]
    assert doc.paragraphs[0].text == "表1 回归结果：β与R²"  # Word SEQ field numbers it
    assert doc.paragraphs[1].text == "注：* p<0.05。"
    runs = [r for p in doc.paragraphs[:2] for r in p.runs] + [
        r for row in tbl.rows for cell in row.cells for p in cell.paragraphs for r in p.runs
    ]
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert tbl.rows[2].cells[1].text == "0.456***"
    # fixed timestamps in the package
    z = zipfile.ZipFile(io.BytesIO(data))
    assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_xlsx_content_and_rules(table):
    wb = load_workbook(io.BytesIO(render(table, "xlsx")))
    ws = wb["test"]
    assert ws["A1"].value == "回归结果：β与R²"
    assert ws["B2"].value == "模型1" and ws["A3"].value == "变量"
    assert ws["B4"].value == "0.456***"  # starred cells are text
    assert ws["B5"].value == pytest.approx(-0.12) and ws["B5"].number_format == "0.000"
    assert ws["B2"].border.top.style == "medium" and ws["A3"].border.bottom.style == "thin"
    assert ws["A6"].border.bottom.style == "medium"
    assert ws["A7"].value == "注：* p<0.05。"


def test_markdown_html_and_repr(table):
    table.lang = "en"
    md = render(table, "markdown")
    assert md.splitlines()[0] == "**Regression**"
    assert "| 变量 | Model 1: B | Model 1: 95% CI | p | R² |" in md
    html = table._repr_html_()
    assert "<caption" in html and 'colspan="2"' in html and "50% &amp; #1" in html


def test_unknown_inputs_raise(table):
    with pytest.raises(InputError):
        render(table, "pdf")
    with pytest.raises(InputError):
        ThesisTable(pd.DataFrame({"a": [1]}), columns=["b"])
    with pytest.raises(InputError):
        ThesisTable(pd.DataFrame({"a": [1]}), lang="fr")


# --- standard tables from hand-built analysis output ---------------------------------


# --- wrapped columns, head lookup, numbered Word captions ----------------------------


def test_wrapped_text_columns_heads_by_key_and_word_numbering(tmp_path):
    sentence = "社群顾客价值对社群归属感有显著正向影响，" * 3
    data = pd.DataFrame({"id": ["H1", "H2"], "content": [sentence, "短句"], "b": [0.4, 0.1]})
    table = ThesisTable(
        data,
        kinds={"b": "beta"},
        heads={"content": "hypothesis", "b": "beta", "id": "Not a key"},
        widths={"content": 0.5},
        title={"zh": "假设", "en": "Hypotheses"},
        label="tab:h",
        lang="en",
    )
    # plain-string heads are looked up in the label dictionary; unknown strings print as given
    assert table.to_frame().columns.tolist() == ["Not a key", "Hypothesis", "β"]
    tex = render(table, "latex")
    assert r"\begin{tabular}{l>{\raggedright\arraybackslash}p{0.50\linewidth}D{.}{.}{-1}}" in tex
    doc = Document(io.BytesIO(render(table, "docx")))
    grid = doc.tables[0]
    text_width = doc.sections[0].page_width - 2 * doc.sections[0].left_margin
    assert all(c.width == int(0.5 * text_width) for c in grid.columns[1].cells)
    # caption: "Table", a SEQ field whose shown number is 1, then the title
    title = doc.paragraphs[0]
    assert title.text == "Table 1 Hypotheses"
    assert " SEQ Table \\* ARABIC " in [t.text for t in title._p.iter(qn("w:instrText"))]
    two = Document(io.BytesIO(tables_docx([table, table])))
    assert [p.text for p in two.paragraphs if p.text.startswith("Table")] == [
        "Table 1 Hypotheses",
        "Table 2 Hypotheses",
    ]
    with pytest.raises(InputError, match="wrapped column"):
        ThesisTable(data, kinds={"b": "beta"}, widths={"b": 0.3})
    with pytest.raises(InputError, match="wrapped column"):
        ThesisTable(data, widths={"content": 1.5})
