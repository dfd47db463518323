"""The construct catalogue: scales, constructs with their items, demographics.

The data live in YAML files beside this module (``scales.yaml``,
``catalogue.yaml``, ``demographics.yaml``, ``instrument.yaml``,
``frameworks.yaml``); :func:`sqresearch.constructs.load_catalogue` reads and
validates them into the frozen dataclasses defined here.  Every validation
error is an :class:`~sqresearch.errors.InputError` naming the file and the
offending code and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqresearch.errors import InputError
from sqresearch.io.config import read_yaml as _read_yaml

if TYPE_CHECKING:
    from sqresearch.constructs.framework import Framework

LANGS = ("zh", "en")
LIKERT_POINTS = (5, 7)
ITEMS_MIN, ITEMS_MAX = 3, 6
CODE_PATTERN = re.compile(r"^[A-Z][A-Z_]*$")


def pick(zh: str, en: str, lang: str) -> str:
    """The Chinese or English text, by ``lang`` ("zh" | "en").

    Examples
    --------
    >>> pick("同意", "Agree", "en")
    'Agree'
    """
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    raise InputError(f"unknown language {lang!r}", hint="use 'zh' or 'en'")


@dataclass(frozen=True)
class Scale:
    """A response scale: ``points`` categories scored 1..points, anchors low -> high."""

    code: str
    points: int
    anchors_zh: list[str]
    anchors_en: list[str]

    def anchors(self, lang: str = "zh") -> list[str]:
        """Anchor labels in ``lang``, from 1 to ``points``."""
        return pick(self.anchors_zh, self.anchors_en, lang)


@dataclass(frozen=True)
class Item:
    """One questionnaire item.

    ``code`` is the construct code plus a number (``CVA1``); a single-item
    construct's item and the attention check carry their own code (``STAGE``,
    ``ATT1``).  ``expected`` is the answer an attentive respondent gives
    (attention checks only).
    """

    code: str
    construct: str
    text_zh: str
    text_en: str
    reverse: bool
    scale: Scale
    facet: str = ""
    expected: int | None = None

    def text(self, lang: str = "zh") -> str:
        """The wording in ``lang``."""
        return pick(self.text_zh, self.text_en, lang)


@dataclass(frozen=True)
class Construct:
    """A construct: latent (3-6 Likert items), single (one observed question) or
    second_order (a factor measured by first-order constructs, its ``dimensions``)."""

    code: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    source: str
    adapted_from: str
    bibkey: str
    kind: str
    items: list[Item]
    #: A second-order construct's first-order constructs (its items are theirs).
    dimensions: tuple[str, ...] = ()

    def name(self, lang: str = "zh") -> str:
        """The construct's name in ``lang``."""
        return pick(self.name_zh, self.name_en, lang)

    def definition(self, lang: str = "zh") -> str:
        """The construct's definition in ``lang``."""
        return pick(self.definition_zh, self.definition_en, lang)

    @property
    def item_codes(self) -> list[str]:
        """Codes of the construct's items, in order."""
        return [item.code for item in self.items]


class Level(NamedTuple):
    """One option of a single-choice question: integer code and its labels."""

    value: int
    label_zh: str
    label_en: str

    def label(self, lang: str = "zh") -> str:
        """The option's label in ``lang``."""
        return pick(self.label_zh, self.label_en, lang)


@dataclass(frozen=True)
class Demographic:
    """A single-choice question with integer-coded levels (GENDER, AGE, ...)."""

    code: str
    question_zh: str
    question_en: str
    levels: list[Level]

    def question(self, lang: str = "zh") -> str:
        """The question in ``lang``."""
        return pick(self.question_zh, self.question_en, lang)

    def labels(self, lang: str = "zh") -> dict[int, str]:
        """``{value: label}`` in ``lang`` (what a codebook maps text answers to)."""
        return {level.value: level.label(lang) for level in self.levels}


@dataclass(frozen=True)
class Instrument:
    """The questionnaire's fixed texts: title, consent, instructions, screening, closing."""

    title_zh: str
    title_en: str
    consent_zh: str
    consent_en: str
    instructions_zh: str
    instructions_en: str
    closing_zh: str
    closing_en: str
    screening: Demographic | None  # None: the questionnaire has no screening question
    screening_eligible: list[int]
    screen_out_zh: str
    screen_out_en: str

    def text(self, part: str, lang: str = "zh") -> str:
        """One of ``title``, ``consent``, ``instructions``, ``closing``, ``screen_out``."""
        return pick(getattr(self, f"{part}_zh"), getattr(self, f"{part}_en"), lang)


@dataclass(frozen=True)
class Catalogue:
    """Everything the YAML files define, validated; treat it as read-only."""

    constructs: dict[str, Construct]
    scales: dict[str, Scale]
    demographics: dict[str, Demographic]
    attention_checks: list[Item]
    instrument: Instrument
    frameworks: dict[str, Framework] = field(default_factory=dict)
    directory: Path | None = None

    def item(self, code: str) -> Item:
        """The item with this code (construct items, single items, attention checks).

        Examples
        --------
        >>> from sqresearch.constructs import load_catalogue
        >>> load_catalogue().item("CVA1").construct
        'CVA'
        """
        for construct in self.constructs.values():
            for item in construct.items:
                if item.code == code:
                    return item
        for item in self.attention_checks:
            if item.code == code:
                return item
        raise InputError(
            f"unknown item code {code!r}", hint="see Catalogue.constructs for the codes"
        )


# ---------------------------------------------------------------------------
# reading and validating


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML file of the catalogue as a mapping, with located errors."""
    return _read_yaml(path, what="catalogue file")


class Checker:
    """Validation helpers that raise InputError naming one file."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, where: str, message: str, value: Any = None, hint: str | None = None):
        if value is not None and repr(value) not in message:
            message = f"{message} (got {value!r})"
        raise InputError(f"{where}: {message}", file=self.file, hint=hint)

    def fields(self, entry: Any, where: str, required: set[str], optional: set[str] = frozenset()):
        if not isinstance(entry, dict):
            self.fail(where, "expected a mapping of fields", value=entry)
        unknown = sorted(set(entry) - required - set(optional))
        if unknown:
            self.fail(
                where,
                f"unknown field {unknown[0]!r}",
                hint=f"allowed: {', '.join(sorted(required | set(optional)))}",
            )
        missing = sorted(required - set(entry))
        if missing:
            self.fail(where, f"missing field {missing[0]!r}")
        return entry

    def text(self, entry: dict, key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            lang = {"_zh": " (Chinese)", "_en": " (English)"}.get(key[-3:], "")
            self.fail(
                where, f"missing wording {key!r}{lang}", hint="every text needs both zh and en"
            )
        return value.strip()

    def pair(self, entry: dict, key: str, where: str) -> tuple[str, str]:
        return self.text(entry, f"{key}_zh", where), self.text(entry, f"{key}_en", where)

    def code(self, entry: dict, where: str, seen: dict[str, str], pattern=CODE_PATTERN) -> str:
        code = entry.get("code")
        if not isinstance(code, str) or not pattern.match(code):
            self.fail(
                where,
                "code must be upper-case letters (items: the construct code plus a number)",
                value=code,
            )
        if code in seen:
            self.fail(where, f"duplicate code {code!r} (already used by {seen[code]})", value=code)
        seen[code] = where
        return code

    def entries(self, data: dict, key: str) -> list:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.fail(key, "expected a non-empty list")
        return value


def parse_scales(data: dict, file: Path) -> dict[str, Scale]:
    check = Checker(file)
    scales: dict[str, Scale] = {}
    seen: dict[str, str] = {}
    for i, entry in enumerate(check.entries(data, "scales")):
        where = f"scale #{i + 1}"
        check.fields(entry, where, {"code", "points", "anchors_zh", "anchors_en"})
        code = entry.get("code")
        if not isinstance(code, str) or not code:
            check.fail(where, "missing code", value=code)
        if code in seen:
            check.fail(f"scale {code!r}", f"duplicate code {code!r}", value=code)
        seen[code] = where
        where = f"scale {code!r}"
        points = entry["points"]
        if points not in LIKERT_POINTS or isinstance(points, bool):
            check.fail(where, "points must be 5 or 7", value=points)
        anchors = {}
        for lang in LANGS:
            labels = entry[f"anchors_{lang}"]
            if (
                not isinstance(labels, list)
                or len(labels) != points
                or not all(isinstance(a, str) and a.strip() for a in labels)
            ):
                check.fail(
                    where, f"anchors_{lang} must list {points} non-empty labels", value=labels
                )
            anchors[lang] = [a.strip() for a in labels]
        scales[code] = Scale(code, points, anchors["zh"], anchors["en"])
    return scales


def parse_levels(check: Checker, entry: dict, where: str) -> list[Level]:
    raw = entry.get("levels")
    if not isinstance(raw, list) or len(raw) < 2:
        check.fail(where, "levels must list at least two [value, label_zh, label_en] options")
    levels, values = [], set()
    for level in raw:
        if not (isinstance(level, list) and len(level) == 3):
            check.fail(where, "each level is [value, label_zh, label_en]", value=level)
        value, zh, en = level
        if not isinstance(value, int) or isinstance(value, bool) or value in values:
            check.fail(where, "level values must be distinct integers", value=value)
        for label, lang in ((zh, "Chinese"), (en, "English")):
            if not isinstance(label, str) or not label.strip():
                check.fail(where, f"level {value}: missing {lang} label", value=level)
        values.add(value)
        levels.append(Level(value, zh.strip(), en.strip()))
    return levels


def parse_demographics(data: dict, file: Path) -> dict[str, Demographic]:
    check = Checker(file)
    out: dict[str, Demographic] = {}
    seen: dict[str, str] = {}
    for i, entry in enumerate(check.entries(data, "demographics")):
        check.fields(
            entry, f"demographic #{i + 1}", {"code", "question_zh", "question_en", "levels"}
        )
        code = check.code(entry, f"demographic #{i + 1}", seen)
        where = f"demographic {code!r}"
        zh, en = check.pair(entry, "question", where)
        out[code] = Demographic(code, zh, en, parse_levels(check, entry, where))
    return out


def parse_constructs(
    data: dict, file: Path, scales: dict[str, Scale], demographics: dict[str, Demographic]
) -> dict[str, Construct]:
    check = Checker(file)
    constructs: dict[str, Construct] = {}
    seen: dict[str, str] = {f"{c}": f"demographic {c!r}" for c in demographics if c != "STAGE"}
    common = {"code", "kind", "name_zh", "name_en", "definition_zh", "definition_en", "source",
              "adapted_from", "bibkey"}  # fmt: skip
    for i, entry in enumerate(check.entries(data, "constructs")):
        if not isinstance(entry, dict):
            check.fail(f"construct #{i + 1}", "expected a mapping of fields", value=entry)
        kind = entry.get("kind")
        where = f"construct {entry.get('code', f'#{i + 1}')!r}"
        if kind == "latent":
            check.fields(entry, where, common | {"scale", "items"})
        elif kind == "single":
            check.fields(entry, where, common | {"demographic"})
        else:
            check.fail(where, "kind must be 'latent' or 'single'", value=kind)
        code = check.code(entry, where, seen)
        where = f"construct {code!r}"
        texts = {key: check.text(entry, key, where) for key in sorted(common - {"code", "kind"})}
        if kind == "latent":
            items = _parse_items(check, entry, code, where, scales, seen)
        else:
            items = [_single_item(check, entry, code, where, demographics)]
        constructs[code] = Construct(
            code=code,
            name_zh=texts["name_zh"],
            name_en=texts["name_en"],
            definition_zh=texts["definition_zh"],
            definition_en=texts["definition_en"],
            source=texts["source"],
            adapted_from=texts["adapted_from"],
            bibkey=texts["bibkey"],
            kind=kind,
            items=items,
        )
    return constructs


def _scale(check: Checker, code: Any, where: str, scales: dict[str, Scale]) -> Scale:
    if code not in scales:
        check.fail(
            where, f"unknown scale {code!r}", value=code, hint=f"known scales: {', '.join(scales)}"
        )
    return scales[code]


def _parse_items(check, entry, code, where, scales, seen) -> list[Item]:
    scale = _scale(check, entry["scale"], where, scales)
    raw = entry["items"]
    if not isinstance(raw, list) or not ITEMS_MIN <= len(raw) <= ITEMS_MAX:
        n = len(raw) if isinstance(raw, list) else 0
        check.fail(
            where, f"a latent construct needs {ITEMS_MIN}-{ITEMS_MAX} items, found {n}", value=n
        )
    pattern = re.compile(rf"^{code}[1-9][0-9]*$")
    items = []
    for j, item in enumerate(raw):
        item_where = f"{where} item #{j + 1}"
        check.fields(
            item, item_where, {"code", "text_zh", "text_en", "reverse"}, {"facet", "scale"}
        )
        item_code = check.code(item, item_where, seen, pattern)
        item_where = f"{where} item {item_code!r}"
        zh, en = check.pair(item, "text", item_where)
        if not isinstance(item["reverse"], bool):
            check.fail(item_where, "reverse must be true or false", value=item["reverse"])
        item_scale = _scale(check, item["scale"], item_where, scales) if "scale" in item else scale
        facet = item.get("facet", "")
        if not isinstance(facet, str):
            check.fail(item_where, "facet must be text", value=facet)
        items.append(Item(item_code, code, zh, en, item["reverse"], item_scale, facet))
    return items


def _single_item(check, entry, code, where, demographics) -> Item:
    name = entry["demographic"]
    if name not in demographics:
        check.fail(
            where,
            f"unknown demographic {name!r}",
            value=name,
            hint="define it in demographics.yaml",
        )
    question = demographics[name]
    values = [level.value for level in question.levels]
    if values != list(range(1, len(values) + 1)):
        check.fail(
            where,
            f"demographic {name!r} must be coded 1..{len(values)} to serve as an ordinal item",
        )
    scale = Scale(
        name,
        len(values),
        [level.label_zh for level in question.levels],
        [level.label_en for level in question.levels],
    )
    return Item(name, code, question.question_zh, question.question_en, False, scale)


def parse_instrument(
    data: dict, file: Path, scales: dict[str, Scale], seen_codes: set[str]
) -> tuple[Instrument, list[Item]]:
    check = Checker(file)
    parts = ("title", "consent", "instructions", "closing")
    check.fields(
        data,
        "instrument",
        {f"{p}_{lang}" for p in parts for lang in LANGS} | {"screening", "attention_checks"},
    )
    texts = {
        f"{p}_{lang}": check.text(data, f"{p}_{lang}", "instrument")
        for p in parts
        for lang in LANGS
    }
    screening = check.fields(
        data["screening"],
        "screening",
        {
            "code",
            "question_zh",
            "question_en",
            "levels",
            "eligible",
            "screen_out_zh",
            "screen_out_en",
        },
    )
    code = check.code(screening, "screening", {c: "catalogue" for c in seen_codes})
    question = Demographic(code, *check.pair(screening, "question", "screening"),
                           parse_levels(check, screening, "screening"))  # fmt: skip
    eligible = screening["eligible"]
    if (
        not isinstance(eligible, list)
        or not eligible
        or not set(eligible) <= set(question.labels())
    ):
        check.fail(
            "screening", "eligible must list level values of the screening question", value=eligible
        )
    screen_out = check.pair(screening, "screen_out", "screening")

    checks, seen = [], {c: "catalogue" for c in seen_codes | {code}}
    for i, entry in enumerate(check.entries(data, "attention_checks")):
        where = f"attention check #{i + 1}"
        check.fields(entry, where, {"code", "text_zh", "text_en", "scale", "expected"})
        att = check.code(entry, where, seen, re.compile(r"^ATT[1-9][0-9]*$"))
        where = f"attention check {att!r}"
        zh, en = check.pair(entry, "text", where)
        scale = _scale(check, entry["scale"], where, scales)
        expected = entry["expected"]
        if (
            not isinstance(expected, int)
            or isinstance(expected, bool)
            or not 1 <= expected <= scale.points
        ):
            check.fail(where, f"expected must be an answer 1..{scale.points}", value=expected)
        checks.append(Item(att, "ATT", zh, en, False, scale, expected=expected))
    instrument = Instrument(
        **texts,
        screening=question,
        screening_eligible=list(eligible),
        screen_out_zh=screen_out[0],
        screen_out_en=screen_out[1],
    )
    return instrument, checks
