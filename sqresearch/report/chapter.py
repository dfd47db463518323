r"""The empirical chapter, assembled from what the build produced.

No chapter text is written by hand: each notebook records, through
:class:`ChapterLog` (``study.chapter("03")``), the headings, generated texts,
tables and figures it produced, in the order it produced them, as
``paper/chapter/NN.json``; :func:`write_chapter` joins the logs in notebook
(pipeline) order into ``paper/chapter.tex``, which ``paper/main.tex`` inputs.
A section the study does not need (no moderation hypothesis, one construct,
no grouping demographic, ...) is simply never recorded, so the chapter holds
exactly what the study analysed.

Headings, figure captions and the few fixed sentences (a method and its
citation) are kept here in both languages; everything else comes from the
analyses.

Examples
--------
>>> log = ChapterLog("03", "en")
>>> log.section("reliability")
>>> log.table("03_reliability", "tab:03_reliability", "Reliability of the scales")
>>> print(render_entries(log.entries, "en").strip().splitlines()[0])
\section{Reliability and validity}
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqresearch.report.format import escape_latex, unescape_latex
from sqresearch.report.labels import check_lang
from sqresearch.report.references import CITE

#: The appendix after the references: ``paper/text/NAME.tex`` in the PDF (main.tex),
#: ``paper/text/NAME.docx`` in main.docx (both written by notebook 00).
APPENDIX = "00_questionnaire"

#: Headings by key: (level, zh, en). Level 1 is a section, 2 a subsection.
HEADINGS = {
    "design": (1, "研究设计", "Research design"),
    "hypotheses": (2, "研究假设与概念模型", "Hypotheses and conceptual model"),
    "measures": (2, "问卷设计与变量测量", "Questionnaire and measures"),
    "pilot": (2, "预调研与项目分析", "Pilot study and item analysis"),
    "cleaning": (2, "数据收集与清洗", "Data collection and cleaning"),
    "sample": (1, "样本描述", "Sample"),
    "demographics": (2, "样本基本特征", "Sample characteristics"),
    "descriptives": (2, "描述性统计", "Item descriptives"),
    "reliability": (1, "信度与效度检验", "Reliability and validity"),
    "alpha": (2, "信度分析", "Reliability"),
    "efa": (2, "探索性因子分析", "Exploratory factor analysis"),
    "cfa": (2, "验证性因子分析", "Confirmatory factor analysis"),
    "discriminant": (2, "区分效度", "Discriminant validity"),
    "second_order": (2, "二阶验证性因子分析", "Second-order confirmatory factor analysis"),
    "fit": (2, "模型拟合", "Model fit"),
    "cmb": (1, "共同方法偏差检验", "Common method bias"),
    "differences": (1, "差异分析", "Group differences"),
    "invariance": (2, "测量不变性检验", "Measurement invariance"),
    "correlation_regression": (1, "相关分析与回归分析", "Correlation and regression"),
    "correlation": (2, "相关分析", "Correlations"),
    "regression": (2, "回归分析", "Hierarchical regression"),
    "process": (1, "中介效应与调节效应检验", "Mediation and moderation"),
    "process_mediation": (1, "中介效应检验", "Mediation"),
    "process_moderation": (1, "调节效应检验", "Moderation"),
    "mediation": (2, "中介效应检验", "Mediation"),
    "moderation": (2, "调节效应检验", "Moderation"),
    "moderated_mediation": (2, "有调节的中介效应检验", "Moderated mediation"),
    "sem": (1, "结构方程模型", "Structural equation model"),
    "pls": (1, "偏最小二乘结构方程模型", "PLS structural equation model"),
    "summary": (1, "假设检验结果汇总", "Summary of hypothesis tests"),
    "discussion": (1, "讨论", "Discussion"),
}

#: Fixed sentences (LaTeX) by key: a method and the source it follows.
NOTES = {
    "appendix": ("完整问卷见附录。", "The full questionnaire is given in the appendix."),
    "differences": (
        "以下分别以各人口统计变量为分组变量，比较各变量的得分。",
        "The scores are compared across the groups of each demographic variable below.",
    ),
    "mediation": (
        r"采用PROCESS\cite{hayes2022introduction}模型4与Bootstrap法检验中介效应，"
        r"并按温忠麟和叶宝娟\cite{wen2014mediation}的程序判断中介类型。",
        r"Mediation was tested with PROCESS \cite{hayes2022introduction} (model 4 for one or "
        r"parallel mediators, model 6 for serial ones) and bootstrap intervals, and classified "
        r"following Wen and Ye \cite{wen2014mediation}.",
    ),
    "moderation": (
        "采用层级回归与PROCESS模型1检验调节效应，并在调节变量均值加减一个标准差处做简单斜率分析。",
        "Moderation was tested by hierarchical regression and PROCESS model 1, with simple "
        "slopes at the moderator's mean and one standard deviation above and below it.",
    ),
    "moderated_mediation": (
        "采用PROCESS模型7（调节前半段）或模型14（调节后半段）检验有调节的中介效应。",
        "Moderated mediation was tested with PROCESS model 7 (first stage) or model 14 "
        "(second stage).",
    ),
}

#: Figure captions by key; ``{x}``, ``{w}``, ``{n}`` are filled in.
CAPTIONS = {
    "model": ("概念模型", "Conceptual model"),
    "likert": ("题项作答分布（{n}）", "Distribution of the answers ({n})"),
    "likert_all": ("题项作答分布", "Distribution of the answers"),
    "scree": ("碎石图与平行分析", "Scree plot and parallel analysis"),
    "measurement": ("测量模型", "Measurement model"),
    "measurement_part": ("测量模型（{n}）", "Measurement model ({n})"),
    "heatmap": ("变量间相关系数热力图", "Correlations of the constructs"),
    "slopes": ("{w}对{x}与{y}关系的调节（简单斜率）",
               "{w} moderating the effect of {x} on {y} (simple slopes)"),
    "jn": ("{x}的条件效应（Johnson--Neyman图）", "Conditional effect of {x} (Johnson--Neyman plot)"),
    "sem": ("结构方程模型路径图", "Path diagram of the structural equation model"),
    "pls": ("PLS路径模型", "PLS path model"),
}  # fmt: skip

ZH_NUMBERS = "一二三四五六七八九十"

#: Figure widths by key (share of the text width); tall figures are also capped in height.
WIDTHS = {"scree": 0.8, "heatmap": 1.0, "slopes": 0.75, "jn": 0.75}


def heading(key: str, lang: str) -> tuple[int, str]:
    """The level and title of a standard heading."""
    level, zh, en = HEADINGS[key]
    return level, zh if lang == "zh" else en


def caption(key: str, lang: str | None = None, **names: object) -> str:
    """A figure caption in ``lang`` (default: the active language), names filled in
    (a number ``n`` as 一/二 in Chinese).

    Examples
    --------
    >>> caption("likert", "zh", n=2)
    '题项作答分布（二）'
    """
    lang = check_lang(lang)
    zh, en = CAPTIONS[key]
    if lang == "zh" and isinstance(names.get("n"), int):
        names = {**names, "n": ZH_NUMBERS[names["n"] - 1]}
    return (zh if lang == "zh" else en).format(**names)


class ChapterLog:
    """What one notebook contributes to the chapter, in order.

    Entries are keyed by their name: running a cell again replaces its entry
    instead of adding a second one.

    Parameters
    ----------
    number : str
        The notebook's number (``"03"``); the chapter orders logs by it.
    lang : {"zh", "en"}
    path : Path, optional
        Where the log is kept (``paper/chapter/NN.json``); written on every change.
    """

    def __init__(self, number: str, lang: str, path: Path | None = None) -> None:
        check_lang(lang)
        self.number, self.lang, self.path = number, lang, path
        self._entries: dict[str, dict] = {}
        self._write()

    @property
    def entries(self) -> list[dict]:
        """The entries in the order they were recorded."""
        return list(self._entries.values())

    def _add(self, key: str, entry: dict) -> None:
        self._entries[key] = entry
        self._write()

    def _write(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.entries, ensure_ascii=False, indent=1)
            self.path.write_text(text + "\n", encoding="utf-8")

    def section(self, key: str | None = None, *, title: str | None = None, level: int = 1) -> None:
        """A heading: a standard one by ``key`` (:data:`HEADINGS`) or a ``title`` of ``level``."""
        if key is not None:
            level, title = heading(key, self.lang)
        self._add(f"heading:{key or title}", {"kind": "heading", "level": level, "title": title})

    def subsection(self, key: str | None = None, *, title: str | None = None) -> None:
        """A level-2 heading (see :meth:`section`)."""
        self.section(key, title=title, level=2)

    def note(self, key: str) -> None:
        """A fixed sentence of :data:`NOTES`."""
        zh, en = NOTES[key]
        self._add(f"note:{key}", {"kind": "note", "latex": zh if self.lang == "zh" else en})

    def text(self, name: str) -> None:
        """A generated paragraph, ``paper/text/NAME.tex``."""
        self._add(f"text:{name}", {"kind": "text", "name": name})

    def table(self, name: str, label: str, title: str) -> None:
        """A table, ``paper/tables/NAME.tex``, with its label and caption."""
        self._add(f"table:{name}", {"kind": "table", "name": name, "label": label, "caption": title})

    def figure(self, name: str, title: str, width: float = 1.0) -> None:
        """A figure, ``paper/figures/NAME.pdf``, with its caption (label ``fig:NAME``)."""
        self._add(
            f"figure:{name}",
            {"kind": "figure", "name": name, "caption": title, "width": width},
        )


def _lead(entry: dict, lang: str) -> str:
    caption = entry["caption"]
    if lang == "zh":
        return f"{escape_latex(caption)}见表\\ref{{{entry['label']}}}。"
    low = caption[:1].lower() + caption[1:] if caption[1:2].islower() else caption
    return f"Table~\\ref{{{entry['label']}}} reports the {escape_latex(low)}."


def render_entries(entries: list[dict], lang: str, texts: dict[str, str] | None = None) -> str:
    """LaTeX of chapter entries. ``texts`` (name → LaTeX) tells which tables a text cites."""
    texts = texts or {}
    cited = {label for text in texts.values() for label in _refs(text)}
    out = []
    for entry in entries:
        kind = entry["kind"]
        if kind == "heading":
            command = "section" if entry["level"] == 1 else "subsection"
            out.append(f"\\{command}{{{escape_latex(entry['title'])}}}\n")
        elif kind == "note":
            out.append(entry["latex"] + "\n")
        elif kind == "text":
            out.append(f"\\input{{text/{entry['name']}}}\n")
        elif kind == "table":
            if entry["label"] not in cited:
                out.append(_lead(entry, lang) + "\n")
            out.append(f"\\input{{tables/{entry['name']}}}\n")
        elif kind == "figure":
            width = entry.get("width", 1.0)
            size = "\\textwidth" if width == 1 else f"{width:g}\\textwidth"
            lead = _figure_lead(entry, lang)
            out.append(lead + "\n")
            out.append(
                "\\begin{figure}[htbp]\n\\centering\n"
                f"\\includegraphics[width={size},height=0.8\\textheight,keepaspectratio]"
                f"{{{entry['name']}}}\n"
                f"\\caption{{{escape_latex(entry['caption'])}}}\n"
                f"\\label{{fig:{entry['name']}}}\n\\end{{figure}}\n"
            )
    return "\n".join(out)


def _refs(text: str) -> list[str]:
    return re.findall(r"\\ref\{([^}]*)\}", text)


PREAMBLE = r"""% The empirical chapter, generated by `sqresearch build` from paper/chapter/*.json
% (one log per notebook, in pipeline order). Do not edit: it is rewritten on every build.
% Tables are set at their legible size and never scaled: a wide one goes landscape or is
% split into parts, a long one breaks across pages (sqresearch.report.latex.layout).
"""


def write_chapter(paper: Path, lang: str) -> Path:
    """Join ``paper/chapter/NN.json`` in order into ``paper/chapter.tex``; return its path.

    Parameters
    ----------
    paper : Path
        The study's paper folder.
    lang : {"zh", "en"}
    """
    from sqresearch.report.references import bibliography_latex, cited_keys

    check_lang(lang)
    entries, texts = _chapter_entries(paper)
    out = paper / "chapter.tex"
    text = PREAMBLE + "\n" + render_entries(entries, lang, texts)
    bib = _bibliography(paper)
    inputs = _INPUT.sub(lambda m: _read(paper / f"{m[1]}.tex"), text)  # tables may cite too
    references = bibliography_latex(bib, cited_keys(inputs, bib), lang) + "\n"
    for path, content in ((out, text), (paper / "references.tex", references)):
        if not (path.is_file() and path.read_text(encoding="utf-8") == content):
            path.write_text(content, encoding="utf-8")  # unchanged files keep their time stamp
    return out


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _bibliography(paper: Path) -> dict[str, dict[str, str]]:
    """The entries of ``paper/refs.bib`` (written by notebook 00), or none."""
    from sqresearch.report.references import parse_bib

    return parse_bib(_read(paper / "refs.bib"))


# --- the chapter as a Word document -----------------------------------------------

#: Heading sizes (pt) by level: 小三 and 四号, in 黑体; body text 小四 (word.BODY_TEXT_SIZE).
HEADING_SIZES = {1: 15, 2: 14}
HEADING_FONT = "黑体"
_REF = re.compile(r"\\ref\{([^}]*)\}")
_INPUT = re.compile(r"\\input\{([^}]*)\}")


def _chapter_entries(paper: Path) -> tuple[list[dict], dict[str, str]]:
    """The chapter logs' entries in pipeline order and the LaTeX of the texts they name."""
    logs = sorted((paper / "chapter").glob("[0-9][0-9].json"))
    entries = [e for log in logs for e in json.loads(log.read_text(encoding="utf-8"))]
    texts = {}
    for e in entries:
        if e["kind"] == "text":
            texts[e["name"]] = _read(paper / "text" / f"{e['name']}.tex")
    return entries, texts


def numbering(entries: list[dict]) -> dict[str, str]:
    """Numbers of the chapter's labels as LaTeX prints them (``tab:x`` → ``"3"``, ``fig:y`` → ``"2"``).

    Tables and figures are numbered through the chapter, in order (ctexart's
    article numbering).

    Examples
    --------
    >>> numbering([{"kind": "table", "label": "tab:a"}, {"kind": "figure", "name": "b"},
    ...            {"kind": "table", "label": "tab:c"}])
    {'tab:a': '1', 'fig:b': '1', 'tab:c': '2'}
    """
    numbers, counts = {}, {"table": 0, "figure": 0}
    for e in entries:
        if e["kind"] in counts:
            counts[e["kind"]] += 1
            label = e["label"] if e["kind"] == "table" else f"fig:{e['name']}"
            numbers[label] = str(counts[e["kind"]])
    return numbers


def write_chapter_docx(paper: Path, lang: str) -> Path:
    """The chapter as ``paper/main.docx``, from the same logs as :func:`write_chapter`.

    Headings numbered as in the PDF (1, 1.1), the generated paragraphs
    (LaTeX turned into text: ``\\ref`` into the table or figure number,
    ``\\cite`` into ``[n]`` (zh, GB/T 7714) or ``(Author, year)`` (en, APA)),
    every table copied from its ``paper/tables/NAME.docx`` (the three-line
    Word table of :mod:`sqresearch.report.word`, renumbered), every figure
    as its 300-dpi PNG with a numbered caption, and the list of the cited
    references (:mod:`sqresearch.report.references`), then the questionnaire
    as the appendix (``paper/text/00_questionnaire.docx``, from notebook 00)
    on a new page.  Body text 宋体 /
    Times New Roman 小四 (12 pt), 1.5 line spacing; tables 五号.  Written only
    when its bytes change.

    Parameters
    ----------
    paper : Path
        The study's paper folder.
    lang : {"zh", "en"}
    """
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from sqresearch.report import word
    from sqresearch.report.ooxml import normalise_package
    from sqresearch.report.references import citation, listed, reference

    check_lang(lang)
    entries, texts = _chapter_entries(paper)
    numbers = numbering(entries)
    bib = _bibliography(paper)
    cited: list[str] = []  # keys in order of first citation

    def cite(keys: str) -> str:
        found = [k.strip() for k in keys.split(",") if k.strip() in bib]
        for key in found:
            if key not in cited:
                cited.append(key)
        if not found:
            return ""
        if lang == "zh":
            return "[" + ",".join(str(cited.index(k) + 1) for k in found) + "]"
        return "(" + "; ".join(citation(bib[k], lang) for k in found) + ")"

    def plain(latex: str) -> str:
        text = CITE.sub(lambda m: cite(m[1]), latex)
        text = _REF.sub(lambda m: numbers.get(m[1], "??"), text)
        return unescape_latex(text)

    doc = docx.Document()
    word.setup_document(doc, body_size=word.BODY_TEXT_SIZE)
    _heading_styles(doc)
    text_width = doc.sections[0].page_width - 2 * doc.sections[0].left_margin
    cited_labels = {label for text in texts.values() for label in _refs(text)}
    section = subsection = 0
    for entry in entries:
        kind = entry["kind"]
        if kind == "heading":
            if entry["level"] == 1:
                section, subsection = section + 1, 0
                number = f"{section}"
            else:
                subsection += 1
                number = f"{section}.{subsection}"
            doc.add_heading(f"{number} {entry['title']}", level=entry["level"])
        elif kind == "note":
            _paragraphs(doc, plain(entry["latex"]), lang)
        elif kind == "text":
            _paragraphs(doc, plain(texts.get(entry["name"], "")), lang)
        elif kind == "table":
            if entry["label"] not in cited_labels:
                _paragraphs(doc, plain(_lead(entry, lang)), lang)
            _copy_table(doc, paper / "tables" / f"{entry['name']}.docx", numbers[entry["label"]])
        elif kind == "figure":
            label = f"fig:{entry['name']}"
            _paragraphs(doc, plain(_figure_lead(entry, lang)), lang)
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.keep_with_next = True
            png = paper / "figures" / f"{entry['name']}.png"
            if png.is_file():
                picture.add_run().add_picture(str(png), width=int(text_width * entry.get("width", 1.0)))
            title = doc.add_paragraph()
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            word.caption(title, "图" if lang == "zh" else "Figure", numbers[label],
                         entry["caption"], lang)  # fmt: skip
    if cited:
        doc.add_heading("参考文献" if lang == "zh" else "References", level=1)
        for n, key in enumerate(listed(bib, cited, lang), 1):
            para = doc.add_paragraph()
            fmt = para.paragraph_format
            fmt.left_indent, fmt.first_line_indent = Pt(24), Pt(-24)
            if lang == "zh":
                word.add_run(para, f"[{n}] ", word.BODY_SIZE)
            for text, italic in reference(bib[key], lang):
                word.add_run(para, text, word.BODY_SIZE, italic=italic)
    appendix = paper / "text" / f"{APPENDIX}.docx"
    if appendix.is_file():  # the questionnaire, after the references as in the PDF
        heading = doc.add_heading("附录" if lang == "zh" else "Appendix", level=1)
        heading.paragraph_format.page_break_before = True
        _append_body(doc, appendix)
    buffer = io.BytesIO()
    doc.save(buffer)
    out = paper / "main.docx"
    data = normalise_package(buffer.getvalue())
    if not (out.is_file() and out.read_bytes() == data):
        out.write_bytes(data)
    return out


def _figure_lead(entry: dict, lang: str) -> str:
    ref = "图\\ref" if lang == "zh" else "Figure~\\ref"
    caption = escape_latex(entry["caption"])
    if lang == "zh":
        return f"{caption}见{ref}{{fig:{entry['name']}}}。"
    return f"{ref}{{fig:{entry['name']}}} shows the {caption[:1].lower() + caption[1:]}."


def _heading_styles(doc) -> None:
    """Headings in 黑体 / Times New Roman, black, at thesis sizes, numbered by their text."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    from sqresearch.report import word

    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        style.font.name = word.LATIN_FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), HEADING_FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(12), Pt(6)


def _paragraphs(doc, text: str, lang: str) -> None:
    """Body paragraphs (one per blank-line- or ``\\par``-separated block), 小四, 1.5 spacing."""
    from docx.shared import Pt

    from sqresearch.report import word

    for block in re.split(r"\n\s*\n|\\par\b|\\\\", text):
        block = " ".join(block.replace("\\noindent", "").split())
        if not block:
            continue
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing = 1.5
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(24) if lang == "zh" else Pt(21)
        word.add_run(para, block, word.BODY_TEXT_SIZE)


def _copy_table(doc, path: Path, number: str) -> None:
    """Append the caption, table and notes of a one-table .docx, its caption renumbered."""
    _append_body(doc, path, number)


def _append_body(doc, path: Path, number: str | None = None) -> None:
    """Append the body of the .docx at ``path`` (its ``SEQ`` caption set to ``number``)."""
    import copy

    import docx

    if not path.is_file():
        return
    source = docx.Document(str(path))
    body = doc.element.body
    sect = body[-1] if body[-1].tag.endswith("sectPr") else None
    for element in source.element.body:
        if element.tag.endswith("sectPr"):
            continue
        clone = copy.deepcopy(element)
        if number is not None:
            _renumber(clone, number)
        if sect is not None:
            sect.addprevious(clone)
        else:
            body.append(clone)


def _renumber(element, number: str) -> None:
    """Set the shown result of a ``SEQ`` field in ``element`` to ``number``."""
    from docx.oxml.ns import qn

    state = None
    for node in element.iter():
        if node.tag == qn("w:instrText") and "SEQ" in (node.text or ""):
            state = "code"
        elif node.tag == qn("w:fldChar") and state:
            kind = node.get(qn("w:fldCharType"))
            state = "result" if kind == "separate" else (None if kind == "end" else state)
        elif node.tag == qn("w:t") and state == "result":
            node.text = number
            state = "done"
