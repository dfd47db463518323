"""Draft a codebook from an export's headers and the construct library.

Each question column's wording (the matrix row for 问卷星 matrix questions,
the Qualtrics question text, else the header) is matched to the wording of
the framework's items, the demographic questions, the attention check and
the screening question: first exactly (after normalising punctuation,
spaces and width), then fuzzily (:class:`difflib.SequenceMatcher` ratio
≥ ``cutoff``), one column per code, best matches first.  Platform columns
become ``id``/``duration``/``submitted`` or ``drop``; personal-data columns
go to ``drop``; columns left over are listed under ``unmatched`` for the
user to map or leave out.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sqresearch.clean.codebook import (
    AttentionSpec,
    Codebook,
    DemographicSpec,
    ItemSpec,
    ScaleSpec,
    ScreeningSpec,
    scale_labels,
)
from sqresearch.clean.pii import header_kind
from sqresearch.constructs import get_framework, load_catalogue
from sqresearch.io import RawSurvey

#: Platform roles that become codebook fields; other roles are dropped.
ROLE_FIELDS = {"id": "id", "duration": "duration", "submitted": "submitted"}


def match_key(text: Any) -> str:
    """Wording as compared: NFKC, no question number, no punctuation or spaces, lower case.

    Examples
    --------
    >>> match_key("8、我觉得 该社群很有价值。") == match_key("我觉得该社群很有价值")
    True
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"^\s*(?:Q?\d+(?:[_\-.]\d+)?\s*[、.．:：|]\s*)", "", text)
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(frozen=True)
class _Target:
    code: str
    kind: str  # item | demographic | attention | screening
    texts: tuple[str, ...]


def _targets(framework) -> tuple[list[_Target], Any]:
    if isinstance(framework, str):
        framework = get_framework(framework)
    catalogue = framework.catalogue if framework is not None else load_catalogue()
    codes = (
        list(framework.items())
        if framework
        else [i.code for c in catalogue.constructs.values() if c.kind == "latent" for i in c.items]
    )
    targets = []
    for code in codes:
        item = catalogue.item(code)
        targets.append(_Target(code, "item", (item.text_zh, item.text_en, code)))
    for code, demo in catalogue.demographics.items():
        targets.append(_Target(code, "demographic", (demo.question_zh, demo.question_en, code)))
    for item in catalogue.attention_checks:
        targets.append(_Target(item.code, "attention", (item.text_zh, item.text_en, item.code)))
    screening = catalogue.instrument.screening
    if screening is not None:
        targets.append(_Target(
            screening.code, "screening", (screening.question_zh, screening.question_en, screening.code)
        ))  # fmt: skip
    return targets, catalogue


def _score(column_text: str, target: _Target) -> tuple[float, str]:
    key = match_key(column_text)
    if not key:
        return 0.0, ""
    best = (0.0, "")
    for text in target.texts:
        other = match_key(text)
        if not other:
            continue
        if key == other:
            return 1.0, "exact"
        if len(other) >= 8 and other in key:
            best = max(best, (0.95, "contains"))
        ratio = difflib.SequenceMatcher(None, key, other, autojunk=False).ratio()
        best = max(best, (ratio, "fuzzy"))
    return best


def infer_codebook(
    raw: RawSurvey, framework: str | None = None, *, cutoff: float = 0.8
) -> tuple[Codebook, pd.DataFrame]:
    """Draft a codebook for ``raw`` from the construct library.

    Parameters
    ----------
    raw : RawSurvey
        The export (:func:`sqresearch.io.read_survey`).
    framework : str, optional
        Framework whose items are matched (default: every latent item).
    cutoff : float
        Least fuzzy-match ratio accepted (0-1).

    Returns
    -------
    (Codebook, DataFrame)
        The draft, and the match table: ``column``, ``code``, ``kind``,
        ``score``, ``method`` ("role", "exact", "contains", "fuzzy",
        "personal", "unmatched").
    """
    targets, catalogue = _targets(framework)
    roles = dict(raw.roles)
    fields: dict[str, str] = {}
    drop, rows = [], []
    candidates = []
    for column in raw.data.columns:
        column = str(column)
        role = roles.get(column)
        if role in ROLE_FIELDS and ROLE_FIELDS[role] not in fields:
            fields[ROLE_FIELDS[role]] = column
            rows.append(
                dict(
                    column=column, code=ROLE_FIELDS[role], kind="platform", score=1.0, method="role"
                )
            )
            continue
        if role is not None and role != "multi":
            drop.append(column)
            rows.append(dict(column=column, code=None, kind="platform", score=1.0, method="role"))
            continue
        if (kind := header_kind(column)) is not None:
            drop.append(column)
            rows.append(
                dict(
                    column=column, code=None, kind=f"personal:{kind}", score=1.0, method="personal"
                )
            )
            continue
        text = raw.questions.get(column) or column
        for target in targets:
            score, method = _score(text, target)
            if score >= cutoff:
                candidates.append((score, column, target, method))
    taken_codes, taken_cols = set(), set()
    chosen: dict[str, tuple[_Target, float, str]] = {}
    for score, column, target, method in sorted(candidates, key=lambda c: -c[0]):
        if column in taken_cols or target.code in taken_codes:
            continue
        taken_cols.add(column)
        taken_codes.add(target.code)
        chosen[column] = (target, score, method)

    scales: dict[str, ScaleSpec] = {}
    items, demographics, attention = {}, {}, {}
    screening = None
    unmatched = []
    for column in map(str, raw.data.columns):
        if column not in chosen:
            if column not in drop and column not in fields.values():
                unmatched.append(column)
                rows.append(
                    dict(column=column, code=None, kind=None, score=None, method="unmatched")
                )
            continue
        target, score, method = chosen[column]
        rows.append(
            dict(column=column, code=target.code, kind=target.kind, score=score, method=method)
        )
        if target.kind in ("item", "attention"):
            item = (
                catalogue.item(target.code)
                if target.kind == "item"
                else next(a for a in catalogue.attention_checks if a.code == target.code)
            )
            scale = item.scale
            scales.setdefault(
                scale.code,
                ScaleSpec(
                    scale.code,
                    scale.points,
                    scale_labels(scale.points, [scale.anchors_zh, scale.anchors_en]),
                ),
            )
            if target.kind == "item":
                items[target.code] = ItemSpec(target.code, column, scale.code, item.reverse)
            else:
                attention[target.code] = AttentionSpec(
                    target.code, column, scale.code, int(item.expected)
                )
        elif target.kind == "demographic":
            demo = catalogue.demographics[target.code]
            levels = {lvl.label_zh: lvl.value for lvl in demo.levels}
            levels.update({lvl.label_en: lvl.value for lvl in demo.levels})
            demographics[target.code] = DemographicSpec(target.code, column, levels)
        else:
            instrument = catalogue.instrument
            eligible: list[Any] = []
            for level in instrument.screening.levels:
                if level.value in instrument.screening_eligible:
                    eligible += [level.label_zh, level.label_en, level.value]
            screening = ScreeningSpec(column, eligible)
    order = {code: i for i, code in enumerate(t.code for t in targets)}
    book = Codebook(
        items=dict(sorted(items.items(), key=lambda kv: order[kv[0]])),
        scales=scales,
        id=fields.get("id"),
        duration=fields.get("duration"),
        submitted=fields.get("submitted"),
        framework=getattr(framework, "name", framework),
        platform=raw.platform,
        demographics=dict(sorted(demographics.items(), key=lambda kv: order[kv[0]])),
        attention_checks=attention,
        screening=screening,
        drop=drop,
        unmatched=unmatched,
    )
    return book, pd.DataFrame(rows, columns=["column", "code", "kind", "score", "method"])


def draft_header(raw: RawSurvey, matches: pd.DataFrame, framework: str | None) -> str:
    """Comment lines for a drafted codebook: what to check before using it."""
    fuzzy = matches[matches["method"].isin(["fuzzy", "contains"])]
    lines = [
        f"Codebook drafted by `sqresearch codebook infer` from {raw.path.name}"
        + (f" for framework {framework}" if framework else "")
        + ".",
        "Check every mapping before cleaning; edit freely (see sqresearch.clean.codebook).",
        "Items stay as answered in the processed data; reverse: true items are recoded by the analysis.",
    ]
    if not fuzzy.empty:
        lines.append("Fuzzy matches to confirm:")
        lines += [f"  {r.code} <- {r.column} (ratio {r.score:.2f})" for r in fuzzy.itertuples()]
    unmatched = matches[matches["method"] == "unmatched"]
    if not unmatched.empty:
        lines.append(
            f"{len(unmatched)} column(s) matched nothing (listed under unmatched:); map them or leave them out."
        )
    return "\n".join(lines)
