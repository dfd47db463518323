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
from pathlib import Path

from sqresearch.report.format import escape_latex
from sqresearch.report.labels import check_lang

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
    "heatmap": ("变量间相关系数热力图", "Correlations of the constructs"),
    "slopes": ("{w}对{x}与{y}关系的调节（简单斜率）",
               "{w} moderating the effect of {x} on {y} (simple slopes)"),
    "jn": ("{x}的条件效应（Johnson--Neyman图）", "Conditional effect of {x} (Johnson--Neyman plot)"),
    "sem": ("结构方程模型路径图", "Path diagram of the structural equation model"),
    "pls": ("PLS路径模型", "PLS path model"),
}  # fmt: skip

ZH_NUMBERS = "一二三四五六七八九十"

#: Figure widths by key (share of the text width); tall figures are also capped in height.
WIDTHS = {"scree": 0.8, "heatmap": 0.9, "slopes": 0.75, "jn": 0.75}


def heading(key: str, lang: str) -> tuple[int, str]:
    """The level and title of a standard heading."""
    level, zh, en = HEADINGS[key]
    return level, zh if lang == "zh" else en


def caption(key: str, lang: str, **names: object) -> str:
    """A figure caption in ``lang`` (names filled in; a number ``n`` as 一/二 in Chinese).

    Examples
    --------
    >>> caption("likert", "zh", n=2)
    '题项作答分布（二）'
    """
    check_lang(lang)
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
            out.append(f"{{\\fittables\\input{{tables/{entry['name']}}}}}\n")
        elif kind == "figure":
            width = entry.get("width", 1.0)
            size = "\\textwidth" if width == 1 else f"{width:g}\\textwidth"
            ref = "图\\ref" if lang == "zh" else "Figure~\\ref"
            lead = (
                f"{escape_latex(entry['caption'])}见{ref}{{fig:{entry['name']}}}。"
                if lang == "zh"
                else f"{ref}{{fig:{entry['name']}}} shows the {escape_latex(entry['caption'][:1].lower() + entry['caption'][1:])}."
            )
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
    import re

    return re.findall(r"\\ref\{([^}]*)\}", text)


PREAMBLE = r"""% The empirical chapter, generated by `sqresearch build` from paper/chapter/*.json
% (one log per notebook, in pipeline order). Do not edit: it is rewritten on every build.
% \fittables: inside a group, scale each tabular down to the text width
% (and 80% of the text height) when it is larger; never up.
\providecommand\fittables{%
  \let\sqOldTabular\tabular\let\sqOldEndTabular\endtabular
  \renewenvironment{tabular}{\begin{adjustbox}{max width=\textwidth,max totalheight=0.8\textheight}\sqOldTabular}%
    {\sqOldEndTabular\end{adjustbox}}}
"""


def write_chapter(paper: Path, lang: str) -> Path:
    """Join ``paper/chapter/NN.json`` in order into ``paper/chapter.tex``; return its path.

    Parameters
    ----------
    paper : Path
        The study's paper folder.
    lang : {"zh", "en"}
    """
    check_lang(lang)
    logs = sorted((paper / "chapter").glob("[0-9][0-9].json"))
    entries = [e for log in logs for e in json.loads(log.read_text(encoding="utf-8"))]
    texts = {}
    for e in entries:
        if e["kind"] == "text":
            path = paper / "text" / f"{e['name']}.tex"
            texts[e["name"]] = path.read_text(encoding="utf-8") if path.is_file() else ""
    out = paper / "chapter.tex"
    out.write_text(PREAMBLE + "\n" + render_entries(entries, lang, texts), encoding="utf-8")
    return out
