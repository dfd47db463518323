"""Draft a codebook from a real export: its structure, its wording and its answers.

:func:`infer_codebook` reads the export as a student downloads it and
proposes a mapping for every column, each with a confidence:

1. **Platform and personal columns**: 序号/所用时间/提交答卷时间 (and the
   Credamo and Qualtrics equivalents) become ``id``/``duration``/
   ``submitted``; other platform columns and every column whose header asks
   for personal data (来自IP, 手机, 姓名, 微信号, e-mail, ...:
   :func:`sqresearch.clean.pii.header_kind`) go to ``drop``.
2. **Attention checks** by pattern (请选择“同意”, 本题请选…, 此题选择…,
   "please select 'Agree'", "choose Strongly agree"): the expected answer is
   read from the wording (:func:`attention_answer`).
3. **Demographics** (single-choice questions that are not on an agreement
   scale) by keyword (性别/gender, 年龄/age, 学历/education, 收入/income,
   加入多久/how long, 职业/occupation) or by the wording of the
   framework's demographic questions; their levels are the export's own
   answers in natural order (:func:`sqresearch.clean.levels.natural_order`),
   the framework's codes only when its labels cover every answer.
4. **Likert items** by the export's structure and by meaning.  Columns of
   one matrix question (问卷星 "8、题干—子题", Credamo "Q8_1", Qualtrics
   "Q8_1" with "stem - row" wording) form a *block*; a block is matched
   to one construct as a whole: for each construct the rows are assigned
   to its items (Hungarian assignment on the character n-gram TF-IDF
   similarity of :mod:`sqresearch.clean.similarity`; item order is only a
   tie-break), the block's evidence for the construct is the sum of the
   assigned similarities, and the construct's probability is a softmax of
   that evidence over every candidate construct and "none of them"
   (:data:`TEMPERATURE`, :data:`NONE_MARGIN`).  A block that fits two
   constructs clearly better than one is split and reported as split.
   Candidates are the framework's constructs first (the study's own
   instrument, when the framework object carries one) and the shipped
   catalogue's other constructs as the fallback (a small prior penalty,
   :data:`FALLBACK_PENALTY`).  Columns outside any block are matched one by
   one the same way.

A mapping whose confidence (the construct's probability) is below
``cutoff`` is *unsure*: it is proposed, never applied — the codebook leaves
the column under ``unmatched`` and the YAML carries the proposal as a
comment to check and uncomment.  In JupyterLab the result
(:class:`InferredCodebook`) shows as a table with the unsure rows
highlighted; :meth:`~InferredCodebook.accept`,
:meth:`~InferredCodebook.edit`, :meth:`~InferredCodebook.drop` and
:meth:`~InferredCodebook.set_levels` change it in code, and
:meth:`~InferredCodebook.codebook` returns the :class:`Codebook`.

The figures behind the defaults (accuracy, cross-construct errors, unsure
share on eight questionnaires written for the purpose) are in
``docs/benchmarks.md`` (``python -m bench infer``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import linear_sum_assignment

from sqresearch.clean.codebook import (
    AttentionSpec,
    Codebook,
    DemographicSpec,
    ItemSpec,
    ScaleSpec,
    ScreeningSpec,
    normalize_label,
    scale_labels,
)
from sqresearch.clean.levels import natural_order
from sqresearch.clean.pii import header_kind
from sqresearch.clean.similarity import text_similarity, unify_dashes
from sqresearch.constructs import Catalogue, Framework, Item, Scale, get_framework, load_catalogue
from sqresearch.errors import InputError
from sqresearch.io import RawSurvey
from sqresearch.io.credamo import parse_question
from sqresearch.io.wjx import parse_header

#: Least confidence (probability of the construct) for a mapping to be applied.
DEFAULT_CUTOFF = 0.9
#: Softmax temperature on the summed similarities of a block.
TEMPERATURE = 0.08
#: Similarity per column, above the column's background, that "none of the constructs" is
#: credited with (the background: the median over constructs of its best similarity).
NONE_MARGIN = 0.04
#: Least probability for which a construct is still proposed (unsure) when "none" is likelier.
PROPOSE_FLOOR = 0.2
#: Log-prior penalty of a fallback (shipped-catalogue) construct against the study's own.
FALLBACK_PENALTY = 1.0
#: Cost (in similarity) of a change of construct between neighbouring single questions.
SEGMENT_PENALTY = 0.3
#: Least gain in summed similarity for splitting a block between two constructs.
SPLIT_GAIN = 0.6
#: Least similarity of a question to a demographic question's wording (without a keyword).
DEMOGRAPHIC_SIMILARITY = 0.6
#: Least similarity of an answer to an option of a catalogue question for it to count as that option.
OPTION_SIMILARITY = 0.6
#: Most distinct answers of a single-choice (demographic) question.
MAX_LEVELS = 20
#: Platform roles that become codebook fields; other roles are dropped.
ROLE_FIELDS = {"id": "id", "duration": "duration", "submitted": "submitted"}

#: Demographic question keywords -> code (searched in the question wording, case-insensitive).
DEMOGRAPHIC_KEYWORDS = {
    "GENDER": r"性别|\bgender\b|\bsex\b",
    "AGE": r"年龄|年纪|\bage\b|how old",
    "EDU": r"学历|教育程度|受教育|\beducation|\bdegree\b",
    "INCOME": r"收入|月薪|工资|\bincome\b|\bsalary\b",
    "TENURE": r"多长时间|多久|时长|\bhow long\b|\btenure\b|member(ship)? for",
    "OCCUPATION": r"职业|\boccupation\b|\bjob\b|\bprofession\b",
    "MARITAL": r"婚姻|\bmarital\b",
}

_QUOTE_OPEN, _QUOTE_CLOSE = "“\"'‘「『【", "”\"'’」』】"
_QUOTED = rf"[{_QUOTE_OPEN}](?P<ans>[^{_QUOTE_CLOSE}]{{1,20}})[{_QUOTE_CLOSE}]"
#: Attention-check wordings; ``ans`` is the expected answer.
ATTENTION_PATTERNS = [
    re.compile(
        rf"(?:请|本题|此题|该题|这道题|这题)[^。；;]{{0,12}}?(?:选择|选|勾选|点选|回答){_QUOTED}"
    ),
    re.compile(
        r"(?:本题|此题|该题|这道题|这题)[^。；;“\"]{0,6}?(?:请)?(?:直接)?(?:选择|选|勾选|点选)\s*(?P<ans>[^，。,.；;！!\s]{1,8})"
    ),
    re.compile(
        rf"\b(?:please\s+)?(?:select|choose|mark|pick|click|tick|answer)\s+(?:the\s+)?(?:option\s+|answer\s+|response\s+)?{_QUOTED}",
        re.I,
    ),
    re.compile(
        r"\b(?:please\s+)?(?:select|choose|mark|pick|click|tick)\s+(?:the\s+)?(?:option\s+|answer\s+|response\s+)?"
        r"(?P<ans>strongly\s+disagree|strongly\s+agree|somewhat\s+disagree|somewhat\s+agree|disagree|agree|neutral)\b",
        re.I,
    ),
]

STATUSES = ("mapped", "unsure", "unmatched", "platform", "personal")


def attention_answer(text: Any) -> str | None:
    """The answer an attention check asks for, or None if the wording is no attention check.

    Examples
    --------
    >>> attention_answer("9、为保证作答质量，本题请选择“同意”")
    '同意'
    >>> attention_answer("此题选择非常不同意。"), attention_answer("Please select 'Strongly agree' for this item.")
    ('非常不同意', 'Strongly agree')
    >>> attention_answer("To show you read this, choose Strongly disagree") , attention_answer("请选择最符合您看法的选项")
    ('Strongly disagree', None)
    """
    text = unify_dashes(text)
    for pattern in ATTENTION_PATTERNS:
        if match := pattern.search(text):
            answer = match["ans"].strip()
            if answer and not answer.startswith(("最", "您", "你", "符合")):
                return " ".join(answer.split())
    return None


# ---------------------------------------------------------------------------
# the export's structure


@dataclass
class _Column:
    name: str
    position: int
    block: str | None
    stem: str
    text: str
    answers: pd.Series
    kind: str  # likert | code | choice | number | text | empty


def question_structure(raw: RawSurvey) -> pd.DataFrame:
    """Each question column's block (matrix question), stem and own wording.

    问卷星 "8、题干—子题" and "8、(子题)" rows share block "8"; Credamo
    "Q8_1.子题" rows block "Q8"; Qualtrics "Q8_1" columns (wording
    "stem - row") block "Q8".  Single questions have no block.

    Returns
    -------
    DataFrame
        ``column``, ``block`` (None outside a matrix), ``stem``, ``text``.

    Examples
    --------
    >>> raw = RawSurvey(pd.DataFrame(columns=["序号", "8、请作答—我喜欢喝茶", "9、您的性别"]), None,
    ...                 "wjx", "csv", None, "", roles={"序号": "id"})
    >>> question_structure(raw)[["column", "block", "text"]].values.tolist()
    [['8、请作答—我喜欢喝茶', '8', '我喜欢喝茶'], ['9、您的性别', None, '您的性别']]
    """
    rows = _structure(raw)
    return pd.DataFrame(
        {
            k: pd.Series([r[k] for r in rows], dtype=object)
            for k in ("column", "block", "stem", "text")
        }
    )


def _structure(raw: RawSurvey) -> list[dict[str, Any]]:
    rows = []
    for column in map(str, raw.data.columns):
        if column in raw.roles and raw.roles[column] != "multi":
            continue
        wording = raw.questions.get(column) or column
        block, stem, text = None, "", wording
        if raw.platform == "wjx" and (header := parse_header(column)) is not None:
            block = str(header.number) if header.sub is not None else None
            stem, text = header.stem, header.text
        elif raw.platform == "credamo" and (parsed := parse_question(column)) is not None:
            number, row, text = parsed
            block = f"Q{number}" if row is not None else None
        elif raw.platform == "qualtrics" and (
            m := re.fullmatch(r"(?P<q>.+?)_(?P<row>\d+)", column)
        ):
            block = m["q"]
            if " - " in wording:
                stem, text = (part.strip() for part in wording.rsplit(" - ", 1))
        rows.append(dict(column=column, block=block, stem=stem, text=text or column))
    return rows


def _answer_kind(values: pd.Series, lookup: set[str]) -> str:
    values = values.dropna()
    values = values[values.astype(str).str.strip() != ""]
    if values.empty:
        return "empty"
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all():
        whole = bool((numbers == numbers.round()).all())
        return "code" if whole and numbers.min() >= 0 and numbers.max() <= 11 else "number"
    if all(normalize_label(v) in lookup for v in values):
        return "likert"
    return "choice" if values.nunique() <= MAX_LEVELS else "text"


# ---------------------------------------------------------------------------
# what the columns are matched to


@dataclass(frozen=True)
class _Target:
    code: str
    construct: str
    item: Item
    source: str  # study | catalogue


@dataclass
class _Sources:
    catalogue: Catalogue  # the framework's (the study's instrument) or the shipped one
    targets: list[_Target]
    singles: list[_Target]
    framework: str | None


def _sources(framework: str | Framework | None) -> _Sources:
    shipped = load_catalogue()
    if framework is None:
        codes = [c for c, con in shipped.constructs.items() if con.kind == "latent"]
        targets = [
            _Target(i.code, c, i, "catalogue") for c in codes for i in shipped.constructs[c].items
        ]
        return _Sources(shipped, targets, [], None)
    fw = get_framework(framework) if isinstance(framework, str) else framework
    if not isinstance(fw, Framework):
        raise InputError(
            "framework must be a framework name or a Framework object", value=type(fw).__name__
        )
    cat = fw.catalogue
    targets, singles = [], []
    for code in fw.constructs:
        construct = cat.constructs[code]
        chosen = targets if construct.kind == "latent" else singles
        chosen += [_Target(i.code, code, i, "study") for i in construct.items]
    used = {t.code for t in targets + singles} | set(fw.constructs)
    for code, construct in shipped.constructs.items():
        if construct.kind == "latent" and code not in used:
            targets += [_Target(i.code, code, i, "catalogue") for i in construct.items]
    return _Sources(cat, targets, singles, fw.name)


# ---------------------------------------------------------------------------
# one proposal per column


@dataclass
class Proposal:
    """What :func:`infer_codebook` proposes for one raw column.

    ``kind`` is "item", "attention", "demographic", "screening", "id",
    "duration", "submitted" or None (dropped or unmatched); ``status`` one of
    :data:`STATUSES`; ``spec`` the codebook entry it becomes when applied.
    """

    column: str
    block: str | None
    kind: str | None
    code: str | None
    construct: str | None
    confidence: float | None
    similarity: float | None
    status: str
    method: str
    note: str = ""
    spec: Any = None

    def row(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "block": self.block,
            "kind": self.kind,
            "code": self.code,
            "construct": self.construct,
            "confidence": self.confidence,
            "similarity": self.similarity,
            "status": self.status,
            "method": self.method,
            "note": self.note,
        }


COLUMNS = list(Proposal("", None, None, None, None, None, None, "", "").row())


# ---------------------------------------------------------------------------
# Likert items: blocks matched to constructs


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max())
    return z / z.sum()


class _Matcher:
    """Block-to-construct matching on a similarity matrix (rows: columns, cols: targets)."""

    def __init__(self, sim: np.ndarray, targets: list[_Target]):
        self.sim = sim
        self.targets = targets
        self.by_construct: dict[str, list[int]] = {}
        for j, t in enumerate(targets):
            self.by_construct.setdefault(t.construct, []).append(j)
        self.prior = {
            c: 0.0 if targets[idx[0]].source == "study" else -FALLBACK_PENALTY
            for c, idx in self.by_construct.items()
        }

    def assign(self, rows: list[int], items: list[int]) -> tuple[float, dict[int, int]]:
        """Best one-to-one rows -> items (order within the block breaks ties)."""
        block = self.sim[np.ix_(rows, items)]
        order = 1e-3 * (np.arange(len(rows))[:, None] == np.arange(len(items))[None, :])
        r, c = linear_sum_assignment(-(block + order))
        return float(block[r, c].sum()), {rows[i]: items[j] for i, j in zip(r, c, strict=True)}

    def scores(self, rows: list[int]) -> dict[str, tuple[float, dict[int, int]]]:
        return {c: self.assign(rows, idx) for c, idx in self.by_construct.items()}

    def probabilities(self, rows: list[int], scores) -> dict[str | None, float]:
        """Softmax over the constructs and "none" of the block's evidence above its background."""
        best = np.array(
            [[self.sim[r, idx].max() for idx in self.by_construct.values()] for r in rows]
        )
        background = float(np.median(best, axis=1).sum())
        names = list(scores) + [None]
        logits = np.array(
            [(scores[c][0] - background) / TEMPERATURE + self.prior[c] for c in scores]
            + [len(rows) * NONE_MARGIN / TEMPERATURE]
        )
        return dict(zip(names, _softmax(logits), strict=True))

    def segments(self, rows: list[int]) -> list[list[int]]:
        """Single questions in order, cut into runs that each fit one construct (order as a hint).

        Viterbi over the constructs and "none": each row earns its best
        similarity to the construct's items (to "none": its background plus
        :data:`NONE_MARGIN`), and changing construct between neighbours costs
        :data:`SEGMENT_PENALTY`.
        """
        if not rows:
            return []
        names = list(self.by_construct)
        emit = np.array([[self.sim[r, self.by_construct[c]].max() for c in names] for r in rows])
        emit += np.array([self.prior[c] * TEMPERATURE for c in names])
        # "none of them": the row's background plus the margin (see probabilities)
        emit = np.column_stack([emit, np.median(emit, axis=1) + NONE_MARGIN])
        names.append(None)
        score, back = emit[0].copy(), []
        for i in range(1, len(rows)):
            stay, switch = score, score.max() - SEGMENT_PENALTY
            back.append(np.where(stay >= switch, np.arange(len(names)), int(score.argmax())))
            score = np.maximum(stay, switch) + emit[i]
        path = [int(score.argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        path.reverse()
        runs: list[list[int]] = [[rows[0]]]
        for i in range(1, len(rows)):
            if path[i] == path[i - 1]:
                runs[-1].append(rows[i])
            else:
                runs.append([rows[i]])
        return runs

    def split(self, rows: list[int], scores) -> list[list[int]] | None:
        """Rows parted between two constructs when that fits clearly better than one."""
        if len(rows) < 3:
            return None
        ranked = sorted(scores, key=lambda c: -scores[c][0])[:4]
        best_single = scores[ranked[0]][0]
        best = None
        for i, a in enumerate(ranked):
            for b in ranked[i + 1 :]:
                items = self.by_construct[a] + self.by_construct[b]
                total, pairing = self.assign(rows, items)
                parts = [
                    [r for r in rows if r in pairing and self.targets[pairing[r]].construct == c]
                    for c in (a, b)
                ]
                if (
                    all(parts)
                    and total - best_single > SPLIT_GAIN
                    and (best is None or total > best[0])
                ):
                    leftover = [r for r in rows if r not in pairing]
                    parts[0] += leftover
                    best = (total, parts)
        return None if best is None else best[1]


def _match_items(columns: list[_Column], targets: list[_Target], cutoff: float) -> list[Proposal]:
    if not columns:
        return []
    texts = [c.text for c in columns]
    zh = text_similarity(
        texts, [t.item.text_zh for t in targets] + [t.item.text_en for t in targets]
    )
    sim = np.maximum(zh[:, : len(targets)], zh[:, len(targets) :])
    matcher = _Matcher(sim, targets)
    units: dict[Any, list[int]] = {}
    for i, col in enumerate(columns):
        if col.block is not None:
            units.setdefault(col.block, []).append(i)
    blocks = set(units)
    singles = [i for i, col in enumerate(columns) if col.block is None]
    for n, run in enumerate(matcher.segments(singles)):
        units[("run", n)] = run

    # per part of a unit: its construct, confidence and note
    parts_of: list[tuple[list[int], str | None, float, str, str]] = []
    for key, rows in units.items():
        label = f"block {key}" if isinstance(key, str) else "single questions"
        scores = matcher.scores(rows)
        parts = matcher.split(rows, scores)
        note = ""
        if parts is not None:
            names = []
            for part in parts:
                part_scores = matcher.scores(part)
                names.append(max(part_scores, key=lambda c: part_scores[c][0]))
            note = f"{label} split across {' and '.join(names)}"
        pending = list(parts or [rows])
        while pending:
            part = pending.pop(0)
            part_scores = matcher.scores(part) if parts or part is not rows else scores
            probs = matcher.probabilities(part, part_scores)
            best = max(probs, key=lambda c: probs[c])
            part_note = note
            if best is None:
                closest = max((c for c in probs if c is not None), key=lambda c: probs[c])
                if probs[closest] >= PROPOSE_FLOOR:
                    best, part_note = closest, _join(note, "weak match")
                else:
                    part_note = _join(
                        note, f"no construct fits (closest {closest}, {probs[closest]:.2f})"
                    )
            if (
                best is not None
                and key not in blocks
                and len(part) > len(matcher.by_construct[best])
            ):
                # a run of single questions longer than the construct: the rest is another run
                kept = sorted(part_scores[best][1])
                pending += [kept, [r for r in part if r not in kept]]
                continue
            parts_of.append((part, best, float(probs[best]), part_note, label))

    # one column per item code; a construct claimed by two blocks goes to the surer one,
    # the other is unsure (as is a block with more questions than the construct has items)
    proposals: list[Proposal | None] = [None] * len(columns)
    taken: dict[str, tuple[list[int], str]] = {}
    for part, construct, confidence, note, label in sorted(
        parts_of, key=lambda p: (-p[2], columns[p[0][0]].position)
    ):
        if construct is None:
            for r in part:
                col = columns[r]
                proposals[r] = Proposal(col.name, col.block, None, None, None, None, None,
                                        "unmatched", "wording", note)  # fmt: skip
            continue
        items = matcher.by_construct[construct]
        if len(part) > len(items):
            confidence = min(confidence, 0.5)
            note = _join(note, f"more questions than {construct} has items")
        used, first = taken.setdefault(construct, ([], label))
        if first != label:
            confidence = min(confidence, 0.5)
            note = _join(note, f"{construct} also matched by {first}")
        free = [j for j in items if j not in used]
        pairing = matcher.assign(part, free)[1] if free else {}
        used += list(pairing.values())
        for r in part:
            col = columns[r]
            if r not in pairing:
                proposals[r] = Proposal(col.name, col.block, "item", None, construct, round(confidence, 4),
                                        None, "unsure", "block", _join(note, f"no {construct} item left"))  # fmt: skip
                continue
            target = targets[pairing[r]]
            others = [j for j, t in enumerate(targets) if t.construct != construct]
            rival = max(others, key=lambda j: sim[r, j]) if others else None
            notes, row_confidence = [note], confidence
            if rival is not None and sim[r, rival] > sim[r, pairing[r]] + 0.15:
                notes.append(f"wording closer to {targets[rival].code} ({sim[r, rival]:.2f})")
                row_confidence = min(row_confidence, 0.5)
            if target.source == "catalogue" and any(t.source == "study" for t in targets):
                notes.append(f"{construct} is not in the framework (shipped catalogue)")
            status = "mapped" if row_confidence >= cutoff else "unsure"
            proposals[r] = Proposal(
                col.name, col.block, "item", target.code, construct, round(row_confidence, 4),
                round(float(sim[r, pairing[r]]), 4), status, "block" if col.block else "wording",
                _join(*notes), target.item,
            )  # fmt: skip
    return [p for p in proposals if p is not None]


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


# ---------------------------------------------------------------------------
# scales, demographics, attention checks


def _scale_spec(scale: Scale) -> ScaleSpec:
    """The codebook scale of a catalogue scale: its anchors (zh and en) and the usual synonyms."""
    return ScaleSpec(
        scale.code, scale.points, scale_labels(scale.points, [scale.anchors_zh, scale.anchors_en])
    )


def _scale_for(answers: pd.Series, preferred: Scale, scales: dict[str, Scale]) -> ScaleSpec:
    """The codebook scale of ``preferred`` unless the answers fit another catalogue scale only."""
    candidates = [preferred] + [s for s in scales.values() if s.code != preferred.code]
    specs = [_scale_spec(s) for s in candidates]
    values = [v for v in answers.dropna().unique() if str(v).strip()]
    for spec in specs:
        lookup = spec.lookup()
        numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
        if numbers.notna().all() and len(values):
            if numbers.between(1, spec.points).all():
                return spec
        elif all(normalize_label(v) in lookup for v in values):
            return spec
    return specs[0]


def _question_fit(col: _Column, question: tuple[str, str], labels: list[str]) -> float:
    """How well a single-choice column fits a question: its wording, or its options (the better)."""
    fit = float(text_similarity([col.text], list(question))[0].max())
    answers = [str(a) for a in col.answers.dropna().unique() if str(a).strip()]
    if answers and labels and col.kind == "choice":
        options = text_similarity(answers, labels).max(axis=1)
        fit = max(fit, float((options >= OPTION_SIMILARITY).mean()))
    return fit


def _demographic(col: _Column, sources: _Sources, keyword: bool) -> Proposal | None:
    """A demographic question, by keyword (``keyword``) or by wording/options of the framework's."""
    catalogue = sources.catalogue
    text = unify_dashes(col.text).lower()
    code, method, similarity = None, "keyword", None
    if keyword:
        code = next((c for c, p in DEMOGRAPHIC_KEYWORDS.items() if re.search(p, text, re.I)), None)
    elif catalogue.demographics:
        fits = {
            c: _question_fit(
                col, (q.question_zh, q.question_en), [x for lv in q.levels for x in lv[1:]]
            )
            for c, q in catalogue.demographics.items()
        }
        best = max(fits, key=fits.get)
        if fits[best] >= DEMOGRAPHIC_SIMILARITY:
            code, method, similarity = best, "wording", round(fits[best], 4)
    if code is None:
        return None
    levels: dict[str, int] = {}
    known = catalogue.demographics.get(code)
    if col.kind == "empty" and known is not None:  # no answers yet (a template)
        levels = {label: lv.value for lv in known.levels for label in (lv.label_zh, lv.label_en)}
    elif col.kind in ("choice", "likert"):
        answers = natural_order(col.answers)
        levels = {str(a): i for i, a in enumerate(answers, 1)}
        if known is not None:
            lookup = {}
            for level in known.levels:
                for label in (level.label_zh, level.label_en):
                    lookup[normalize_label(unify_dashes(label))] = level.value
            if all(normalize_label(unify_dashes(a)) in lookup for a in answers):
                levels = {str(a): lookup[normalize_label(unify_dashes(a))] for a in answers}
                method += "+levels"
    note = (
        "numeric answers kept as numbers"
        if not levels
        else "levels of the framework (no answers)"
        if col.kind == "empty"
        else "levels from the answers"
    )
    return Proposal(col.name, col.block, "demographic", code, None, 1.0 if keyword else similarity,
                    similarity, "mapped", method, note, DemographicSpec(code, col.name, levels))  # fmt: skip


def _single(col: _Column, sources: _Sources, cutoff: float) -> Proposal | None:
    """A single-question construct of the framework (e.g. STAGE), by wording or options."""
    fits = {
        t.code: _question_fit(
            col, (t.item.text_zh, t.item.text_en), t.item.scale.anchors_zh + t.item.scale.anchors_en
        )
        for t in sources.singles
    }
    if not fits or max(fits.values()) < DEMOGRAPHIC_SIMILARITY:
        return None
    code = max(fits, key=fits.get)
    target = next(t for t in sources.singles if t.code == code)
    status = "mapped" if fits[code] >= min(cutoff, 0.7) else "unsure"
    return Proposal(col.name, col.block, "item", code, target.construct, round(fits[code], 4),
                    round(fits[code], 4), status, "wording", "single-question construct", target.item)  # fmt: skip


def _screening(col: _Column, sources: _Sources) -> Proposal | None:
    """The screening question: its wording, and answers that are its options."""
    screening = sources.catalogue.instrument.screening
    if screening is None:  # a questionnaire without a screening question
        return None
    labels = {normalize_label(x) for level in screening.levels for x in level[1:]}
    labels |= {str(level.value) for level in screening.levels}
    answers = [normalize_label(a) for a in col.answers.dropna().unique()]
    answers = [a[:-2] if a.endswith(".0") else a for a in answers]
    if not answers or not set(answers) <= labels:
        return None
    sim = float(
        text_similarity([col.text], [screening.question_zh, screening.question_en])[0].max()
    )
    if sim < DEMOGRAPHIC_SIMILARITY:
        return None
    eligible: list[Any] = []
    for level in screening.levels:
        if level.value in sources.catalogue.instrument.screening_eligible:
            eligible += [level.label_zh, level.label_en, level.value]
    return Proposal(col.name, col.block, "screening", "SCREEN", None, round(sim, 4), round(sim, 4),
                    "mapped", "wording", "", ScreeningSpec(col.name, eligible))  # fmt: skip


def _attention(
    col: _Column, answer: str, sources: _Sources, taken: set[str], scale: Scale
) -> Proposal:
    catalogue = sources.catalogue
    code = None
    if catalogue.attention_checks:
        sim = text_similarity(
            [col.text],
            [a.text_zh for a in catalogue.attention_checks]
            + [a.text_en for a in catalogue.attention_checks],
        )[0]
        best = int(np.argmax(sim))
        candidate = catalogue.attention_checks[best % len(catalogue.attention_checks)]
        if sim[best] >= DEMOGRAPHIC_SIMILARITY and candidate.code not in taken:
            code, scale = candidate.code, candidate.scale
    if code is None:
        code = next(f"ATT{i}" for i in range(1, 100) if f"ATT{i}" not in taken)
    spec = _scale_for(col.answers, scale, catalogue.scales)
    lookup = spec.lookup()
    expected = lookup.get(normalize_label(answer))
    if expected is None:
        for other in catalogue.scales.values():
            labels = _scale_spec(other)
            if normalize_label(answer) in labels.lookup():
                spec, expected = labels, labels.lookup()[normalize_label(answer)]
                break
    if expected is None and answer.isdigit():
        expected = int(answer)
    if expected is None:
        return Proposal(col.name, col.block, "attention", code, None, 0.5, None, "unsure", "pattern",
                        f"asks for {answer!r}, which is no label of the scales; set expected by hand")  # fmt: skip
    return Proposal(col.name, col.block, "attention", code, None, 1.0, None, "mapped", "pattern",
                    f"expects {answer!r} = {expected}", (AttentionSpec(code, col.name, spec.code, expected), spec))  # fmt: skip


# ---------------------------------------------------------------------------
# the result


@dataclass
class InferredCodebook:
    """A drafted codebook with one :class:`Proposal` per raw column.

    Attributes
    ----------
    proposals : list of Proposal
        In the export's column order.
    framework : str or None
        Name of the framework matched.
    platform, form : str or None
        As read (:class:`~sqresearch.io.RawSurvey`).
    file : str
        The export's file name.
    cutoff : float
        Least confidence applied.
    """

    proposals: list[Proposal]
    framework: str | None
    platform: str | None
    form: str | None
    file: str
    cutoff: float
    scales: dict[str, ScaleSpec] = field(default_factory=dict, repr=False)
    sources: _Sources | None = field(default=None, repr=False)

    # -- tables -------------------------------------------------------------
    @property
    def matches(self) -> pd.DataFrame:
        """One row per raw column: column, block, kind, code, construct, confidence, similarity, status, method, note."""
        return pd.DataFrame([p.row() for p in self.proposals], columns=COLUMNS)

    @property
    def blocks(self) -> pd.DataFrame:
        """Per block of Likert items (single questions together): constructs, mapped, unsure, unmatched, split."""
        rows: dict[str, dict[str, Any]] = {}
        for p in self.proposals:
            if p.kind not in ("item", None) or p.status in ("platform", "personal"):
                continue
            if p.kind is None and p.block is None:
                key = "(other questions)"
            else:
                key = p.block if p.block is not None else "(single questions)"
            row = rows.setdefault(
                key, dict(block=key, constructs=[], mapped=0, unsure=0, unmatched=0, split=False)
            )
            if p.construct and p.construct not in row["constructs"]:
                row["constructs"].append(p.construct)
            row[p.status if p.status in ("mapped", "unsure") else "unmatched"] += 1
            row["split"] = row["split"] or "split" in p.note
        out = pd.DataFrame(
            list(rows.values()),
            columns=["block", "constructs", "mapped", "unsure", "unmatched", "split"],
        )
        out["constructs"] = out["constructs"].map(lambda c: ", ".join(c))
        return out

    @property
    def unsure(self) -> pd.DataFrame:
        """The proposals to check (status "unsure")."""
        m = self.matches
        return m[m["status"] == "unsure"].reset_index(drop=True)

    # -- accepting and editing ---------------------------------------------
    def _proposal(self, column: str) -> Proposal:
        for p in self.proposals:
            if p.column == column:
                return p
        raise InputError("no such column in the export", column=column, file=self.file)

    def accept(self, *columns: str) -> InferredCodebook:
        """Apply the unsure proposals of ``columns`` (default: every unsure one that has a code)."""
        chosen = columns or [p.column for p in self.proposals if p.status == "unsure"]
        for column in chosen:
            p = self._proposal(column)
            if p.code is None or p.spec is None:
                raise InputError(
                    "nothing proposed for this column to accept; use edit()", column=column
                )
            p.status = "mapped"
            p.note = _join(p.note, "accepted")
        return self

    def edit(
        self, column: str, code: str | None, *, reverse: bool | None = None
    ) -> InferredCodebook:
        """Map ``column`` to item ``code`` (None: leave it unmatched); a column holding ``code`` is freed.

        ``code`` is an item code of the framework or the catalogue (its wording,
        scale and keying come from there), or any new code for an item on the
        scale of the other items.
        """
        p = self._proposal(column)
        if code is None:
            p.kind, p.code, p.construct, p.status, p.spec = None, None, None, "unmatched", None
            p.note = _join(p.note, "left out by edit")
            return self
        for other in self.proposals:
            if other.code == code and other.column != column and other.kind == "item":
                other.kind, other.code, other.construct, other.status, other.spec = (
                    None,
                    None,
                    None,
                    "unmatched",
                    None,
                )
                other.note = _join(other.note, f"{code} moved to another column by edit")
        sources = self._sources()
        item = next((t.item for t in sources.targets + sources.singles if t.code == code), None)
        if item is None:
            base = next(
                (q.spec for q in self.proposals if q.kind == "item" and q.spec is not None), None
            )
            if base is None:
                raise InputError(
                    f"unknown item code {code!r} and no other item to take the scale from",
                    column=column,
                )
            item = replace(
                base, code=code, construct=code.rstrip("0123456789") or code, reverse=False
            )
        if reverse is not None:
            item = replace(item, reverse=reverse)
        p.kind, p.code, p.construct, p.spec, p.status = "item", code, item.construct, item, "mapped"
        p.confidence, p.method, p.note = 1.0, "edit", "set by edit"
        return self

    def drop(self, *columns: str) -> InferredCodebook:
        """Leave ``columns`` out of the processed data (listed under ``drop``)."""
        for column in columns:
            p = self._proposal(column)
            p.kind, p.code, p.construct, p.spec, p.status, p.method = (
                None,
                None,
                None,
                None,
                "personal",
                "edit",
            )
            p.note = "dropped by edit"
        return self

    def set_levels(self, code: str, levels: dict[str, int] | Iterable[str]) -> InferredCodebook:
        """Give demographic ``code`` these levels (a label -> code mapping, or labels in order, coded 1..k)."""
        if not isinstance(levels, dict):
            levels = {str(label): i for i, label in enumerate(levels, 1)}
        for p in self.proposals:
            if p.kind == "demographic" and p.code == code:
                p.spec = DemographicSpec(
                    code, p.column, {str(k): int(v) for k, v in levels.items()}
                )
                p.note = "levels set by edit"
                return self
        raise InputError(f"no demographic {code!r} in this draft", value=code)

    # -- the codebook -------------------------------------------------------
    def codebook(self) -> Codebook:
        """The :class:`Codebook` of the applied ("mapped") proposals; unsure ones stay under ``unmatched``."""
        fields: dict[str, str] = {}
        items, demographics, attention, scales = {}, {}, {}, {}
        screening, drop, unmatched = None, [], []
        for p in self.proposals:
            if p.status == "platform" and p.kind in ROLE_FIELDS:
                fields[p.kind] = p.column
            elif p.status in ("platform", "personal"):
                drop.append(p.column)
            elif p.status != "mapped":
                unmatched.append(p.column)
            elif p.kind == "item":
                spec = self._item_scale(p)
                scales.setdefault(spec.code, spec)
                items[p.code] = ItemSpec(p.code, p.column, spec.code, bool(p.spec.reverse))
            elif p.kind == "attention":
                entry, spec = p.spec
                scales.setdefault(spec.code, spec)
                attention[p.code] = entry
            elif p.kind == "demographic":
                demographics[p.code] = p.spec
            elif p.kind == "screening":
                screening = p.spec
        order = {p.code: i for i, p in enumerate(self._target_order())}
        return Codebook(
            items=dict(sorted(items.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))),
            scales=scales,
            id=fields.get("id"),
            duration=fields.get("duration"),
            submitted=fields.get("submitted"),
            framework=self.framework,
            platform=self.platform,
            demographics=demographics,
            attention_checks=dict(sorted(attention.items())),
            screening=screening,
            drop=drop,
            unmatched=unmatched,
        )

    def _sources(self) -> _Sources:
        return self.sources if self.sources is not None else _sources(self.framework)

    def _target_order(self) -> list[_Target]:
        sources = self._sources()
        return sources.targets + sources.singles

    def _item_scale(self, p: Proposal) -> ScaleSpec:
        return self.scales.get(p.column) or _scale_spec(p.spec.scale)  # fmt: skip

    # -- output -------------------------------------------------------------
    def header(self) -> str:
        """Comment lines for the YAML: where it comes from and what to check."""
        counts = self.matches["status"].value_counts()
        lines = [
            f"Codebook drafted by `sqresearch codebook infer` from {self.file}"
            + (f" for framework {self.framework}" if self.framework else "")
            + f" (confidence cutoff {self.cutoff:g}).",
            "Check every mapping before cleaning; the guide is docs/codebook.md.",
            "Items stay as answered in the processed data; reverse: true items are recoded by the analysis.",
            f"{int(counts.get('mapped', 0))} columns mapped, {int(counts.get('unsure', 0))} unsure (commented below: "
            "check, uncomment, and take the column out of unmatched), "
            f"{int(counts.get('unmatched', 0))} unmatched.",
        ]
        split = self.blocks[self.blocks["split"]]
        lines += [
            f"Block {b.block} holds items of several constructs: {b.constructs}."
            for b in split.itertuples()
        ]
        return "\n".join(lines)

    def dumps(self) -> str:
        """The codebook YAML, the unsure item proposals as comments at the top of ``items:``."""
        comments = []
        for p in self.proposals:
            if p.status != "unsure" or p.kind != "item" or p.spec is None:
                continue
            entry = {
                "column": p.column,
                "scale": self._item_scale(p).code,
                "reverse": p.spec.reverse,
            }
            flow = yaml.safe_dump(
                {p.code: entry}, allow_unicode=True, default_flow_style=True, width=10_000
            ).strip()[1:-1]  # "CODE: {column: ..., ...}" without the outer braces
            why = f"unsure: confidence {p.confidence:.2f}" + (f"; {p.note}" if p.note else "")
            comments += [f"  # {why}", f"  # {flow}"]
        lines = self.codebook().dumps(self.header()).splitlines()
        if comments:
            at = lines.index(next(line for line in lines if line.startswith("items:")))
            lines[at] = "items:"  # "items: {}" when nothing is mapped yet
            lines[at + 1 : at + 1] = comments
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write :meth:`dumps` as UTF-8."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.dumps(), encoding="utf-8")
        return path

    def summary(self) -> str:
        """A few lines: mapped / unsure / unmatched per block, then the other columns."""
        lines = []
        for b in self.blocks.itertuples():
            label = str(b.block)[1:-1] if str(b.block).startswith("(") else f"block {b.block}"
            split = " (split across constructs)" if b.split else ""
            lines.append(
                f"{label}: {b.constructs or '—'}{split}: "
                f"{b.mapped} mapped, {b.unsure} unsure, {b.unmatched} unmatched"
            )
        book = self.codebook()
        checks = [f"{p.code}: {p.note}" for p in self.proposals if p.kind == "attention"]
        lines.append(
            f"attention checks: {len(checks)} ({', '.join(checks) or 'none found'}); "
            f"demographics: {', '.join(book.demographics) or 'none'}; "
            f"dropped (platform and personal data): {len(book.drop)}"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The draft as JSON-ready data: matches and blocks."""
        matches = self.matches.astype(object).where(self.matches.notna(), None)
        return {
            "file": self.file,
            "framework": self.framework,
            "platform": self.platform,
            "form": self.form,
            "cutoff": self.cutoff,
            "matches": matches.to_dict("records"),
            "blocks": self.blocks.to_dict("records"),
            "unmatched": self.codebook().unmatched,
        }

    def _repr_html_(self) -> str:
        rows = []
        for p in self.proposals:
            if p.status in ("platform",):
                continue
            style = ' style="background:#fff3cd"' if p.status == "unsure" else ""
            cells = [
                p.column, p.code or "", p.construct or p.kind or "",
                "" if p.confidence is None else f"{p.confidence:.2f}", p.status, p.note,
            ]  # fmt: skip
            rows.append(
                f"<tr{style}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
            )
        head = "".join(
            f"<th>{h}</th>"
            for h in ("raw header", "proposed", "construct / kind", "confidence", "status", "note")
        )
        n_unsure = sum(p.status == "unsure" for p in self.proposals)
        return (
            f"<p>Codebook draft from <code>{html.escape(self.file)}</code>"
            f" ({html.escape(self.framework or 'all constructs')}): {n_unsure} unsure (highlighted) — "
            "<code>.accept()</code>, <code>.edit(column, code)</code>, <code>.codebook()</code></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )


def infer_codebook(
    raw: RawSurvey, framework: str | Framework | None = None, *, cutoff: float = DEFAULT_CUTOFF
) -> InferredCodebook:
    """Draft a codebook for ``raw``; see the module docstring for how columns are matched.

    Parameters
    ----------
    raw : RawSurvey
        The export (:func:`sqresearch.io.read_survey`).
    framework : str or Framework, optional
        The study's framework: a name of the shipped library, or a
        :class:`~sqresearch.constructs.Framework` whose ``catalogue`` holds the
        study's own constructs, demographics and attention checks (matched
        first; the shipped catalogue's other constructs are the fallback).
        Default: every latent construct of the shipped catalogue.
    cutoff : float
        Least confidence (0-1) for a proposal to be applied; the rest are
        proposed as unsure.

    Returns
    -------
    InferredCodebook
        ``.codebook()`` the :class:`Codebook`, ``.matches`` the table,
        ``.summary()`` the per-block counts, ``.dumps()`` the YAML.

    Examples
    --------
    >>> import pandas as pd
    >>> from sqresearch.io import RawSurvey
    >>> frame = pd.DataFrame({"序号": [1, 2], "所用时间": [90.0, 80.0],
    ...     "1、您的年龄": ["41-50岁", "50岁以上"],
    ...     "2、请作答—在社群买茶物有所值": ["同意", "一般"],
    ...     "2、请作答—社群里的茶叶质量稳定可靠": ["同意", "同意"],
    ...     "2、请作答—加入社群让我心情愉快": ["非常同意", "一般"],
    ...     "2、请作答—为保证质量，本题请选择“同意”": ["同意", "同意"]})
    >>> raw = RawSurvey(frame, None, "wjx", "csv", None, "", form="text",
    ...                 roles={"序号": "id", "所用时间": "duration"})
    >>> draft = infer_codebook(raw, "tea_brand_community")
    >>> book = draft.codebook()
    >>> sorted(book.items), book.attention_checks["ATT1"].expected
    (['CVA1', 'CVA2', 'CVA3'], 4)
    >>> book.demographics["AGE"].levels
    {'41-50岁': 1, '50岁以上': 2}
    """
    if not 0 <= cutoff <= 1:
        raise InputError("cutoff must be between 0 and 1", value=cutoff)
    sources = _sources(framework)
    structure = _structure(raw)
    lookup = {label for s in sources.catalogue.scales.values() for label in _scale_spec(s).lookup()}
    proposals: dict[str, Proposal] = {}

    def fixed(column: str, status: str, method: str, kind: str | None, note: str = "") -> Proposal:
        return Proposal(column, None, kind, None, None, 1.0, None, status, method, note)

    for column in map(str, raw.data.columns):
        role = raw.roles.get(column)
        personal = header_kind(column) or header_kind(raw.questions.get(column, ""))
        if role in ROLE_FIELDS and not any(p.kind == ROLE_FIELDS[role] for p in proposals.values()):
            proposals[column] = fixed(column, "platform", "role", ROLE_FIELDS[role])
        elif role is not None and role != "multi":
            proposals[column] = fixed(column, "platform", "role", None, f"platform column ({role})")
        elif personal is not None:
            proposals[column] = fixed(
                column, "personal", "header", None, f"personal data ({personal})"
            )

    columns: list[_Column] = []
    for position, row in enumerate(structure):
        if row["column"] in proposals:
            continue
        answers = raw.data[row["column"]]
        kind = _answer_kind(answers, lookup)
        columns.append(
            _Column(row["column"], position, row["block"], row["stem"], row["text"], answers, kind)
        )

    likert_scale = next(iter(sources.catalogue.scales.values()))
    if sources.catalogue.attention_checks:
        likert_scale = sources.catalogue.attention_checks[0].scale
    taken: set[str] = set()
    pool: list[_Column] = []
    for col in columns:
        answer = attention_answer(col.text) or (
            attention_answer(col.name) if col.block is None else None
        )
        if answer is not None:
            proposal = _attention(col, answer, sources, taken, likert_scale)
            taken.add(proposal.code)
            proposals[col.name] = proposal
            continue
        matrix = col.block is not None and sum(c.block == col.block for c in columns) > 1
        if col.kind == "likert" or (col.kind == "code" and matrix):
            pool.append(col)
            continue
        found = None
        if col.kind in ("choice", "code", "number", "empty"):
            found = (
                _demographic(col, sources, keyword=True)
                or _single(col, sources, cutoff)
                or _screening(col, sources)
                or _demographic(col, sources, keyword=False)
            )
        if found is None and col.kind in ("code", "empty"):
            pool.append(col)
            continue
        proposals[col.name] = found or Proposal(col.name, col.block, None, None, None, None, None, "unmatched",
                                                "answers", f"answers are {col.kind}")  # fmt: skip
    seen_demo: set[str] = set()
    for p in proposals.values():
        if p.kind == "demographic":
            if p.code in seen_demo:
                p.status, p.note = "unsure", _join(p.note, f"a second {p.code} question")
            seen_demo.add(p.code)

    scales: dict[str, ScaleSpec] = {}
    for p in _match_items(pool, sources.targets, cutoff):
        proposals[p.column] = p
        if p.spec is not None:
            col = next(c for c in pool if c.name == p.column)
            spec = _scale_for(col.answers, p.spec.scale, sources.catalogue.scales)
            scales[p.column] = spec
    ordered = [proposals[c] for c in map(str, raw.data.columns)]
    return InferredCodebook(
        ordered,
        sources.framework,
        raw.platform,
        raw.form,
        raw.path.name if raw.path is not None else "",
        cutoff,
        scales,
        sources,
    )
