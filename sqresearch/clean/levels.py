"""Answer options of a single-choice question in their natural order, coded 1..k.

A demographic question's levels come from the export's own answers, never
from a catalogue that words them differently.  :func:`natural_order` sorts
them as a reader expects:

- numeric ranges by their lower bound, in one unit per question: ages
  (18-25岁 < 26-30岁 < … < 50岁以上), money (3000元及以下 < 3001-5000元 <
  1万以上), durations in months (半年以内 < 半年到1年 < 1-3年 < 3年以上;
  "不足3个月" < "3-6个月"); "以下/以内/不足/under/less than X" sorts before
  the ranges that start at X, "以上/及以上/or more/X+" after those that end
  at X;
- education from lowest to highest (初中及以下 < 高中/中专 < 大专 < 本科 <
  硕士 < 博士; high school < associate < bachelor < master < doctorate);
- gender: 男/male, 女/female, then the others;
- anything else in order of first appearance (answers that fit none of
  the above go after those that do).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqresearch.clean.similarity import unify_dashes

_BELOW = re.compile(
    r"以下|以内|之内|及以下|不足|不到|少于|低于|未满|under|less than|below|or less|or fewer|fewer than|up to|<|≤",
    re.I,
)
_ABOVE = re.compile(
    r"以上|及以上|或以上|多于|超过|more than|over|or more|or older|or above|and above|\+|>|≥", re.I
)
_CN_DIGITS = {"一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
              "八": "8", "九": "9", "十": "10"}  # fmt: skip
_NUMBER = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<mult>万|千|k\b|K\b)?\s*"
    r"(?P<unit>个月|月|周岁|岁|年|元|天|周|小时|months?|years?|yrs?|days?|weeks?|hours?)?",
    re.I,
)
#: Months per unit, so that "半年" and "1年" and "3个月" compare.
_UNIT_SCALE = {"年": 12.0, "year": 12.0, "yr": 12.0, "个月": 1.0, "月": 1.0, "month": 1.0,
               "周": 0.25, "week": 0.25, "天": 1 / 30, "day": 1 / 30, "小时": 1 / 720, "hour": 1 / 720}  # fmt: skip

#: Education levels low -> high (first matching pattern wins; searched in order).
EDUCATION = [
    r"博士|doctor|phd|ph\.d",
    r"硕士|研究生|master|mba|postgraduate|graduate degree",
    r"本科|学士|bachelor|undergraduate|university degree|college degree",
    r"大专|专科|高职|associate|junior college|vocational college",
    r"高中|中专|职高|技校|high school|secondary",
    r"初中|小学|middle school|primary|junior high",
]
GENDER = [r"^(男|男性|male|man|m)$", r"^(女|女性|female|woman|f)$"]


def range_bounds(label: Any) -> tuple[float, float] | None:
    """(lower, upper) bound of a range answer in a common unit (months for durations), or None.

    Examples
    --------
    >>> range_bounds("41–50岁"), range_bounds("50岁以上"), range_bounds("半年以内")
    ((41.0, 50.0), (50.0, inf), (-inf, 6.0))
    >>> range_bounds("1-3年"), range_bounds("3001-5000元"), range_bounds("1万以上")
    ((12.0, 36.0), (3001.0, 5000.0), (10000.0, inf))
    >>> range_bounds("本科") is None
    True
    """
    text = unify_dashes(label).strip()
    text = text.replace("半年", "6个月").replace("一年半", "18个月")
    for cn, digit in _CN_DIGITS.items():
        text = re.sub(rf"(?<![\d]){cn}(?=(个月|年|岁|周|天))", digit, text)
    found = list(_NUMBER.finditer(text))
    if not found:
        return None
    values, units = [], []
    for match in found:
        value = float(match["n"])
        if match["mult"]:
            value *= {"万": 10000.0, "千": 1000.0}.get(match["mult"], 1000.0)
        values.append(value)
        units.append((match["unit"] or "").lower().rstrip("s"))
    # a number without its own unit takes the next one's ("1-3年"), else the last one's
    for i in range(len(units) - 1, -1, -1):
        if not units[i]:
            units[i] = next((u for u in units[i + 1 :] if u), "") or next(
                (u for u in reversed(units[:i]) if u), ""
            )
    values = [v * _UNIT_SCALE.get(u, 1.0) for v, u in zip(values, units, strict=True)]
    if len(values) >= 2:
        return values[0], values[1]
    if _BELOW.search(text):
        return float("-inf"), values[0]
    if _ABOVE.search(text):
        return values[0], float("inf")
    return values[0], values[0]


def _rank(label: Any, patterns: list[str]) -> int | None:
    text = unify_dashes(label).strip().lower()
    return next((i for i, p in enumerate(patterns) if re.search(p, text, re.I)), None)


def natural_order(answers: Iterable[Any]) -> list[Any]:
    """Distinct answers (missing left out) in their natural order; see the module docstring.

    Examples
    --------
    >>> natural_order(["50岁以上", "26-30岁", "18-25岁", "41-50岁", "31-40岁"])
    ['18-25岁', '26-30岁', '31-40岁', '41-50岁', '50岁以上']
    >>> natural_order(["3年以上", "1-3年", "半年以内", "半年到1年"])
    ['半年以内', '半年到1年', '1-3年', '3年以上']
    >>> natural_order(["本科", "硕士及以上", "大专", "高中/中专及以下"])
    ['高中/中专及以下', '大专', '本科', '硕士及以上']
    >>> natural_order(["女", "男"]), natural_order(["北京", "上海", "北京"])
    (['男', '女'], ['北京', '上海'])
    """
    distinct = list(
        dict.fromkeys(a for a in answers if a is not None and a == a and str(a).strip())
    )
    if not distinct:
        return []
    bounds = {a: range_bounds(a) for a in distinct}
    if sum(b is not None for b in bounds.values()) * 2 > len(distinct):
        known = sorted(
            (a for a in distinct if bounds[a] is not None),
            key=lambda a: (bounds[a][0], bounds[a][1]),
        )
        return known + [a for a in distinct if bounds[a] is None]
    for patterns, reverse in ((EDUCATION, True), (GENDER, False)):
        ranks = {a: _rank(a, patterns) for a in distinct}
        if sum(r is not None for r in ranks.values()) * 2 > len(distinct):
            known = sorted(
                (a for a in distinct if ranks[a] is not None),
                key=lambda a: -ranks[a] if reverse else ranks[a],
            )
            return known + [a for a in distinct if ranks[a] is None]
    return distinct
