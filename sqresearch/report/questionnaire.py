"""The questionnaire of a framework, as respondents see it: Markdown, Word and LaTeX.

Rendering only: every word comes from the construct library
(:mod:`sqresearch.constructs`: item wording, scales, demographics and the
``instrument.yaml`` texts).  The layout follows the usual Chinese survey:

1. title and consent text;
2. the screening question (respondents answering otherwise are screened out);
3. part one, the Likert items, one block per latent construct under a neutral
   heading ("（一）", "Set 1"): construct names are hidden from respondents so
   that they do not cue the answers (Podsakoff et al., 2003); the attention
   check ATT1 sits once inside one block;
4. part two, the demographics (gender, age band, education, monthly income
   band, membership tenure, relationship stage STAGE);
5. closing words.

Questions are numbered from 1 (the screening question) in the order shown;
:meth:`Questionnaire.question_codes` gives that order as codes, which is the
column order of the platform's export.

``shuffle=True`` permutes the order of the blocks and of the items within each
block and places the attention check at a random position, all from one
``numpy.random.default_rng(seed)``: the same seed gives the same
questionnaire.  Without shuffling, blocks and items keep the library's order
and the attention check goes in the middle of the middle block.

``lang`` is "zh", "en" or "both" (Chinese with the English beneath it).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import docx
import numpy as np
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sqresearch.constructs import (
    Catalogue,
    Demographic,
    Framework,
    Instrument,
    Item,
    Level,
    Scale,
    get_framework,
)
from sqresearch.errors import InputError
from sqresearch.report.format import escape_latex
from sqresearch.report.labels import active_language
from sqresearch.report.ooxml import normalise_package
from sqresearch.report.word import BODY_SIZE, add_run, setup_document

LANGS = ("zh", "en", "both")
FORMATS = ("md", "docx", "tex")
CIRCLE = "○"

# Words of the questionnaire's own headings: (Chinese, English).
_WORDS = {
    "screening": ("筛选问题", "Screening question"),
    "screen_note": (
        "（选择“{label}”者，问卷结束）",
        '(Respondents answering "{label}" end the survey here)',
    ),
    "part_items": (
        "第一部分 您对该茶品牌社群的看法",
        "Part 1. Your views of the tea-brand community",
    ),
    "part_demo": ("第二部分 基本信息", "Part 2. About you"),
    "scale_note": ("（1 = {low}，{points} = {high}）", "(1 = {low}, {points} = {high})"),
    "block": ("（{numeral}）", "Set {n}"),
    "number": ("序号", "No."),
    "item": ("题项", "Item"),
}
_NUMERALS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Block:
    """One block of Likert items (one construct's, plus the attention check in one block)."""

    construct: str
    items: list[Item]


@dataclass(frozen=True)
class Questionnaire:
    """A framework's questionnaire in presentation order, language-neutral."""

    framework: str
    instrument: Instrument
    blocks: list[Block]
    demographics: list[Demographic]
    seed: int | None
    shuffled: bool

    def items(self) -> list[Item]:
        """The Likert items (attention check included) in the order shown."""
        return [item for block in self.blocks for item in block.items]

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch questionnaire --json`` document (the command adds what it wrote).

        ``framework``, ``shuffle``, ``seed`` and ``questions`` (the codes in
        the order shown, :meth:`question_codes`).

        Examples
        --------
        >>> doc = build_questionnaire("tea_brand_factors", shuffle=True, seed=3).to_dict()
        >>> doc["framework"], doc["shuffle"], doc["seed"], doc["questions"][0]
        ('tea_brand_factors', True, 3, 'SCREEN')
        """
        return {
            "framework": self.framework,
            "shuffle": self.shuffled,
            "seed": self.seed,
            "questions": self.question_codes(),
        }

    def question_codes(self) -> list[str]:
        """Codes of every question in the order shown: screening, items, demographics.

        Examples
        --------
        >>> codes = build_questionnaire("tea_brand_factors").question_codes()
        >>> codes[:3], codes[-1], codes.count("ATT1")
        (['SCREEN', 'BRD1', 'BRD2'], 'TENURE', 1)
        """
        screening = self.instrument.screening
        return (
            ([screening.code] if screening is not None else [])
            + [item.code for item in self.items()]
            + [d.code for d in self.demographics]
        )


def _demographic_questions(framework, catalogue) -> list[Demographic]:
    """The single-choice questions at the end: the fielded demographics, then single-question
    constructs (asked the same way)."""
    codes = framework.demographics or list(catalogue.demographics)
    out = [catalogue.demographics[c] for c in codes]
    for code in framework.constructs:
        construct = catalogue.constructs[code]
        if construct.kind == "single" and construct.items[0].code not in codes:
            item = construct.items[0]
            levels = [
                Level(i, zh, en)
                for i, (zh, en) in enumerate(zip(item.scale.anchors_zh, item.scale.anchors_en, strict=True), 1)
            ]
            out.append(Demographic(item.code, item.text_zh, item.text_en, levels))
    return out


def build_questionnaire(
    framework: Framework | str,
    *,
    shuffle: bool = False,
    seed: int | None = None,
    catalogue: Catalogue | None = None,
) -> Questionnaire:
    """Assemble the questionnaire of a framework.

    Parameters
    ----------
    framework : Framework or str
        The framework (or its name); its latent constructs give the item
        blocks, in the framework's order.
    shuffle : bool
        Randomise block order, item order within blocks and the attention
        check's position.
    seed : int, optional
        Seed of ``numpy.random.default_rng``; with ``shuffle`` and no seed a
        fresh one is drawn and stored in ``Questionnaire.seed`` so that the
        order can be reproduced.
    catalogue : Catalogue, optional
        The construct library (default: the shipped one, or the framework's).

    Returns
    -------
    Questionnaire

    Examples
    --------
    >>> q = build_questionnaire("tea_brand_community", shuffle=True, seed=1)
    >>> len(q.blocks), sum(item.code == "ATT1" for item in q.items())
    (11, 1)
    """
    if isinstance(framework, str):
        framework = get_framework(framework, catalogue)
    catalogue = catalogue or framework.catalogue
    blocks = [list(catalogue.constructs[code].items) for code in framework.latent()]
    codes = list(framework.latent())
    if not blocks:
        raise InputError(f"framework {framework.name!r} has no latent construct to ask about")
    if shuffle:
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**32)
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(blocks))
        blocks = [[blocks[i][j] for j in rng.permutation(len(blocks[i]))] for i in order]
        codes = [codes[i] for i in order]
        where = int(rng.integers(len(blocks)))
        position = int(rng.integers(1, len(blocks[where])))  # never first or last
    else:
        where = len(blocks) // 2
        position = len(blocks[where]) // 2
    for check in catalogue.attention_checks:
        blocks[where].insert(position, check)
    return Questionnaire(
        framework=framework.name,
        instrument=catalogue.instrument,
        blocks=[Block(code, items) for code, items in zip(codes, blocks, strict=True)],
        demographics=_demographic_questions(framework, catalogue),
        seed=seed,
        shuffled=shuffle,
    )


# ---------------------------------------------------------------------------
# shared pieces


def _check_lang(lang: str | None) -> str:
    """``lang`` if it is one of :data:`LANGS`, the active report language if it is None."""
    if lang is None:
        return active_language()
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}", hint="use 'zh', 'en' or 'both'")
    return lang


def _texts(zh: str, en: str, lang: str) -> list[str]:
    """The text(s) to print: one language, or Chinese then English."""
    return {"zh": [zh], "en": [en], "both": [zh, en]}[lang]


def _zh_numeral(n: int) -> str:
    """Chinese numerals 1-99: 一 ... 十一 ... 九十九.

    Examples
    --------
    >>> _zh_numeral(3), _zh_numeral(11), _zh_numeral(20)
    ('三', '十一', '二十')
    """
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens] + "十")
    return head + (_NUMERALS[ones] if ones else "")


def _word(key: str, lang: str, **fields) -> list[str]:
    zh, en = _WORDS[key]
    return _texts(zh.format(**fields), en.format(**fields), lang)


def _block_heading(n: int, lang: str) -> list[str]:
    return _word("block", lang, numeral=_zh_numeral(n), n=n)


def _scale_note(scale: Scale, lang: str) -> list[str]:
    zh = _WORDS["scale_note"][0].format(
        low=scale.anchors_zh[0], high=scale.anchors_zh[-1], points=scale.points
    )
    en = _WORDS["scale_note"][1].format(
        low=scale.anchors_en[0], high=scale.anchors_en[-1], points=scale.points
    )
    return _texts(zh, en, lang)


def _screen_note(q: Questionnaire, lang: str) -> list[str]:
    out = [
        lv
        for lv in q.instrument.screening.levels
        if lv.value not in q.instrument.screening_eligible
    ]
    zh, en = _WORDS["screen_note"]
    return _texts(
        zh.format(label="/".join(lv.label_zh for lv in out)),
        en.format(label="/".join(lv.label_en for lv in out)),
        lang,
    )


def _by_scale(items: list[Item]) -> list[tuple[Scale, list[Item]]]:
    """Consecutive items sharing a response scale (one table each)."""
    return [
        (scale, list(group)) for scale, group in itertools.groupby(items, key=lambda i: i.scale)
    ]


def _numbered(q: Questionnaire):
    """(number, block index, block) with the number of each block's first item."""
    number = 1 if q.instrument.screening is None else 2  # 1 is the screening question
    for b, block in enumerate(q.blocks, 1):
        yield number, b, block
        number += len(block.items)


# ---------------------------------------------------------------------------
# Markdown


def to_markdown(q: Questionnaire, lang: str | None = None) -> str:
    """The questionnaire as Markdown (pipe tables for the Likert blocks).

    Examples
    --------
    >>> md = to_markdown(build_questionnaire("maslow_belonging"), "en")
    >>> md.splitlines()[0]
    '# Survey of tea-brand community members'
    """
    lang = _check_lang(lang)
    ins = q.instrument

    def para(texts: list[str]) -> str:
        return "  \n".join(_md(t) for t in texts)

    out = [f"# {' / '.join(_texts(ins.title_zh, ins.title_en, lang))}", ""]
    out += [para(_texts(ins.consent_zh, ins.consent_en, lang)), ""]
    if ins.screening is not None:
        out += [f"## {' / '.join(_word('screening', lang))}", ""]
        out += _md_choice(1, ins.screening, lang)
        out += [para(_screen_note(q, lang)), ""]
    out += [f"## {' / '.join(_word('part_items', lang))}", ""]
    out += [para(_texts(ins.instructions_zh, ins.instructions_en, lang)), ""]
    for number, b, block in _numbered(q):
        out += [f"### {' / '.join(_block_heading(b, lang))}", ""]
        for scale, items in _by_scale(block.items):
            out += [para(_scale_note(scale, lang)), ""]
            anchors = [
                "<br>".join(_md(a) for a in _texts(zh, en, lang))
                for zh, en in zip(scale.anchors_zh, scale.anchors_en, strict=True)
            ]
            out.append(
                f"| {' / '.join(_word('number', lang))} | {' / '.join(_word('item', lang))} | "
                + " | ".join(anchors)
                + " |"
            )
            out.append("|---:|:---|" + ":---:|" * scale.points)
            for item in items:
                text = "<br>".join(_md(t) for t in _texts(item.text_zh, item.text_en, lang))
                out.append(f"| {number} | {text} | " + " | ".join([CIRCLE] * scale.points) + " |")
                number += 1
            out.append("")
    out += [f"## {' / '.join(_word('part_demo', lang))}", ""]
    number = 2 + len(q.items())
    for d in q.demographics:
        out += _md_choice(number, d, lang)
        number += 1
    out += [para(_texts(ins.closing_zh, ins.closing_en, lang)), ""]
    return "\n".join(out)


def _md(text: str) -> str:
    """Escape the characters Markdown tables and emphasis would interpret."""
    for ch in ("\\", "|", "*", "_", "`", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text


def _md_choice(number: int, question: Demographic, lang: str) -> list[str]:
    head = "  \n".join(_md(t) for t in _texts(question.question_zh, question.question_en, lang))
    options = "　".join(
        f"{CIRCLE} {_md(' / '.join(_texts(lv.label_zh, lv.label_en, lang)))}"
        for lv in question.levels
    )
    return [f"**{number}.** {head}", "", options, ""]


# ---------------------------------------------------------------------------
# LaTeX


def to_latex(q: Questionnaire, lang: str | None = None) -> str:
    r"""The questionnaire as a LaTeX appendix fragment (for ``\input`` in a ctex document).

    Needs ``\usepackage{booktabs, longtable, array}`` in the preamble.  Every
    text goes through :func:`sqresearch.report.format.escape_latex`.

    Examples
    --------
    >>> tex = to_latex(build_questionnaire("maslow_belonging"), "zh")
    >>> tex.splitlines()[2]
    '\\section[茶品牌社群成员调查问卷]{茶品牌社群成员调查问卷}'
    """
    lang = _check_lang(lang)
    ins = q.instrument

    def par(texts: list[str]) -> str:
        return r"\par ".join(escape_latex(t) for t in texts)

    def heading(texts: list[str]) -> str:
        return " / ".join(escape_latex(t) for t in texts)

    def cell(texts: list[str]) -> str:
        return r"\newline ".join(escape_latex(t) for t in texts)

    out = [
        f"% Questionnaire of framework {q.framework} (lang {lang}"
        + (f", shuffled with seed {q.seed}" if q.shuffled else "")
        + "), generated by sqresearch.",
        r"% Needs \usepackage{booktabs,longtable,array}.",
        # the short title (running heads, table of contents) is the first language only
        rf"\section[{heading(_texts(ins.title_zh, ins.title_en, lang)[:1])}]"
        rf"{{{heading(_texts(ins.title_zh, ins.title_en, lang))}}}",
        "",
        par(_texts(ins.consent_zh, ins.consent_en, lang)),
        "",
    ]
    if ins.screening is not None:
        out += [rf"\subsection*{{{heading(_word('screening', lang))}}}", ""]
        out += _tex_choice(1, ins.screening, lang)
        out += [par(_screen_note(q, lang)), ""]
    out += [rf"\subsection*{{{heading(_word('part_items', lang))}}}", ""]
    out += [par(_texts(ins.instructions_zh, ins.instructions_en, lang)), ""]
    for number, b, block in _numbered(q):
        out += [rf"\subsubsection*{{{heading(_block_heading(b, lang))}}}", ""]
        for scale, items in _by_scale(block.items):
            out += [par(_scale_note(scale, lang)), ""]
            width = f"{0.50 / scale.points:.3f}"
            out.append(r"{\setlength{\tabcolsep}{3pt}")
            out.append(
                r"\begin{longtable}{@{}>{\raggedleft\arraybackslash}p{2em} p{0.30\linewidth}"
                + rf"*{{{scale.points}}}{{>{{\centering\arraybackslash}}p{{{width}\linewidth}}}}@{{}}}}"
            )
            anchors = [
                r"\small " + r"\newline ".join(escape_latex(a) for a in _texts(zh, en, lang))
                for zh, en in zip(scale.anchors_zh, scale.anchors_en, strict=True)
            ]
            out.append(r"\toprule")
            out.append(
                " & ".join([cell(_word("number", lang)), cell(_word("item", lang)), *anchors])
                + r" \\"
            )
            out += [r"\midrule", r"\endhead"]
            for item in items:
                text = r"\newline ".join(
                    escape_latex(t) for t in _texts(item.text_zh, item.text_en, lang)
                )
                out.append(
                    " & ".join([str(number), text, *[r"\(\bigcirc\)"] * scale.points]) + r" \\"
                )
                number += 1
            out += [r"\bottomrule", r"\end{longtable}}", ""]
    out += [rf"\subsection*{{{heading(_word('part_demo', lang))}}}", ""]
    number = 2 + len(q.items())
    for d in q.demographics:
        out += _tex_choice(number, d, lang)
        number += 1
    out += [par(_texts(ins.closing_zh, ins.closing_en, lang)), ""]
    return "\n".join(out)


def _tex_choice(number: int, question: Demographic, lang: str) -> list[str]:
    head = r"\par ".join(
        escape_latex(t) for t in _texts(question.question_zh, question.question_en, lang)
    )
    options = r"\quad ".join(
        r"\(\bigcirc\) " + escape_latex(" / ".join(_texts(lv.label_zh, lv.label_en, lang)))
        for lv in question.levels
    )
    return [
        rf"\noindent\textbf{{{number}.}} {head}\par",
        r"{\raggedright\noindent " + options + r"\par}",
        "",
    ]


# ---------------------------------------------------------------------------
# Word


def to_docx(q: Questionnaire, lang: str | None = None) -> bytes:
    """The questionnaire as a .docx file's bytes (宋体 + Times New Roman, A4).

    Examples
    --------
    >>> to_docx(build_questionnaire("maslow_belonging"), "zh")[:2]
    b'PK'
    """
    lang = _check_lang(lang)
    ins = q.instrument
    doc = docx.Document()
    setup_document(doc)

    def paragraph(texts: list[str], *, bold=False, size=BODY_SIZE, center=False) -> None:
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, text in enumerate(texts):
            if i:
                p.add_run().add_break()
            add_run(p, text, size, bold=bold)

    paragraph(_texts(ins.title_zh, ins.title_en, lang), bold=True, size=Pt(16), center=True)
    paragraph(_texts(ins.consent_zh, ins.consent_en, lang))
    if ins.screening is not None:
        paragraph(_word("screening", lang), bold=True, size=Pt(12))
        _docx_choice(paragraph, 1, ins.screening, lang)
        paragraph(_screen_note(q, lang))
    paragraph(_word("part_items", lang), bold=True, size=Pt(12))
    paragraph(_texts(ins.instructions_zh, ins.instructions_en, lang))
    for number, b, block in _numbered(q):
        paragraph(_block_heading(b, lang), bold=True)
        for scale, items in _by_scale(block.items):
            paragraph(_scale_note(scale, lang))
            table = doc.add_table(rows=1 + len(items), cols=2 + scale.points)
            table.style = "Table Grid"
            header = [
                _word("number", lang),
                _word("item", lang),
                *[
                    _texts(zh, en, lang)
                    for zh, en in zip(scale.anchors_zh, scale.anchors_en, strict=True)
                ],
            ]
            for cell, texts in zip(table.rows[0].cells, header, strict=True):
                _cell(cell, texts, bold=True)
            for row, item in zip(table.rows[1:], items, strict=True):
                texts = [
                    [str(number)],
                    _texts(item.text_zh, item.text_en, lang),
                    *[[CIRCLE]] * scale.points,
                ]
                for cell, cell_texts in zip(row.cells, texts, strict=True):
                    _cell(cell, cell_texts)
                number += 1
            doc.add_paragraph()
    paragraph(_word("part_demo", lang), bold=True, size=Pt(12))
    number = 2 + len(q.items())
    for d in q.demographics:
        _docx_choice(paragraph, number, d, lang)
        number += 1
    paragraph(_texts(ins.closing_zh, ins.closing_en, lang))
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_package(buf.getvalue())


def _cell(cell, texts: list[str], *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    for i, text in enumerate(texts):
        if i:
            p.add_run().add_break()
        add_run(p, text, BODY_SIZE, bold=bold)


def _docx_choice(paragraph: Callable, number: int, question: Demographic, lang: str) -> None:
    texts = _texts(question.question_zh, question.question_en, lang)
    paragraph([f"{number}. {texts[0]}", *texts[1:]])
    paragraph(
        [
            "　".join(
                f"{CIRCLE} {' / '.join(_texts(lv.label_zh, lv.label_en, lang))}"
                for lv in question.levels
            )
        ]
    )


# ---------------------------------------------------------------------------


def render_questionnaire(
    framework: Framework | str,
    fmt: str = "md",
    lang: str = "zh",
    *,
    shuffle: bool = False,
    seed: int | None = None,
) -> str | bytes:
    """Build and render in one call: ``fmt`` "md" or "tex" gives text, "docx" bytes.

    Examples
    --------
    >>> text = render_questionnaire("community_layers", "md", "both", shuffle=True, seed=7)
    >>> text.count("ATT1"), "本题用于检验作答是否认真" in text
    (0, True)
    """
    renderers = {"md": to_markdown, "tex": to_latex, "docx": to_docx}
    if fmt not in renderers:
        raise InputError(
            f"unknown questionnaire format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}"
        )
    lang = _check_lang(lang)
    return renderers[fmt](build_questionnaire(framework, shuffle=shuffle, seed=seed), lang)
