"""The codebook: how the columns of a raw export become analysis variables.

A codebook is a YAML file the student can read and edit.  It names the
respondent-id and completion-time columns, maps each question column to an
item code of the construct library (CVA1, ...), each response label to a
number (非常不同意 ... 非常同意 -> 1 ... 5, English too), lists the
reverse-keyed items, the attention checks with their expected answers, the
demographic recodes (text -> code), the missing-value codes, the screening
(consent) question, and the careless-response rules with their settings::

    version: 1
    framework: tea_brand_community
    platform: wjx
    id: 序号
    duration: 所用时间
    missing_codes: ["(跳过)", -3]
    scales:
      agree5: {points: 5, labels: {非常不同意: 1, 不同意: 2, 一般: 3, 同意: 4, 非常同意: 5}}
    items:
      CVA1: {column: "8、...—我觉得...", scale: agree5, reverse: false}
    attention_checks:
      ATT1: {column: "...", scale: agree5, expected: 4}
    demographics:
      GENDER: {column: "1、您的性别是?", levels: {男: 1, 女: 2}}
    screening: {column: "...", eligible: [是]}
    careless:
      speeder: {action: exclude}
    max_exclusion_share: 0.5   # a rule excluding more stops the cleaning
    drop: [来源, 来源详情]
    unmatched: []

Flags (``reverse``, ``synonyms``, ``keep_province``) are ``true``/``false``
or 是/否, nothing else; a scale whose labels share numbers (synonyms, e.g.
同意 and Agree) says ``synonyms: true``.

Processed data keeps items *as answered*: reverse-keyed items are listed
here (``reverse: true``) and recoded by the measurement stage
(:func:`sqresearch.measure.items.reverse_code`), never twice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sqresearch.errors import InputError
from sqresearch.io.config import read_yaml
from sqresearch.thresholds import threshold

CODEBOOK_VERSION = 1

#: Extra labels read on agreement scales, beside the catalogue's anchors
#: (synonyms Chinese platforms and templates use).  Keyed by points.
LABEL_SYNONYMS: dict[int, dict[str, int]] = {
    5: {
        "完全不同意": 1,
        "比较不同意": 2,
        "不太同意": 2,
        "中立": 3,
        "不确定": 3,
        "说不清": 3,
        "比较同意": 4,
        "完全同意": 5,
        "非常不符合": 1,
        "不符合": 2,
        "一般符合": 3,
        "符合": 4,
        "非常符合": 5,
        "strongly disagree": 1,
        "disagree": 2,
        "neither agree nor disagree": 3,
        "neutral": 3,
        "agree": 4,
        "strongly agree": 5,
    },
    7: {
        "完全不同意": 1,
        "比较不同意": 3,
        "中立": 4,
        "不确定": 4,
        "比较同意": 5,
        "完全同意": 7,
        "strongly disagree": 1,
        "disagree": 2,
        "somewhat disagree": 3,
        "neither agree nor disagree": 4,
        "neutral": 4,
        "somewhat agree": 5,
        "agree": 6,
        "strongly agree": 7,
    },
}

#: Careless-response rules, in the default order of the participant flow,
#: with their default action and settings (thresholds: sqresearch.thresholds).
DEFAULT_RULES: dict[str, dict[str, Any]] = {
    "screening": {"action": "exclude"},
    "duplicates": {"action": "exclude"},
    "attention": {"action": "exclude"},
    "speeder": {"action": "exclude"},
    "longstring": {"action": "exclude"},
    "irv": {"action": "flag"},
    "mahalanobis": {"action": "flag"},
}
ACTIONS = ("exclude", "flag", "off")


def normalize_label(value: Any) -> str:
    """Text of a label as compared: NFKC, no spaces or zero-width marks, lower case.

    Examples
    --------
    >>> normalize_label(" 非常 同意\\u200b"), normalize_label("Strongly  Agree")
    ('非常同意', 'stronglyagree')
    """
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")
    return text.lower()


@dataclass
class ScaleSpec:
    """A response scale: ``points`` and label -> number.

    ``synonyms`` declares that several labels may share a number (非常同意
    and Strongly agree both 5); without it, two labels on one number are an
    error, since they would merge two answer categories silently.
    """

    code: str
    points: int
    labels: dict[str, int]
    synonyms: bool = False

    def lookup(self) -> dict[str, int]:
        """Normalised label -> number."""
        return {normalize_label(k): int(v) for k, v in self.labels.items()}


@dataclass
class ItemSpec:
    """A construct item: its raw column, scale and keying."""

    code: str
    column: str
    scale: str
    reverse: bool = False


@dataclass
class DemographicSpec:
    """A coded categorical question (text -> code), or a numeric one (``levels`` empty)."""

    code: str
    column: str
    levels: dict[str, int] = field(default_factory=dict)


@dataclass
class AttentionSpec:
    """An attention check: passes when the coded answer equals ``expected``."""

    code: str
    column: str
    scale: str
    expected: int


@dataclass
class ScreeningSpec:
    """The screening/consent question and the answers that qualify."""

    column: str
    eligible: list[Any]


@dataclass
class Codebook:
    """A parsed codebook; see the module docstring for the YAML layout."""

    items: dict[str, ItemSpec]
    scales: dict[str, ScaleSpec]
    id: str | None = None
    duration: str | None = None
    submitted: str | None = None
    framework: str | None = None
    platform: str | None = None
    demographics: dict[str, DemographicSpec] = field(default_factory=dict)
    attention_checks: dict[str, AttentionSpec] = field(default_factory=dict)
    screening: ScreeningSpec | None = None
    missing_codes: list[Any] = field(default_factory=list)
    careless: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_RULES.items()}
    )
    drop: list[str] = field(default_factory=list)
    keep: dict[str, str] = field(default_factory=dict)
    keep_province: bool = False
    unmatched: list[str] = field(default_factory=list)
    max_exclusion_share: float = field(default_factory=lambda: threshold("exclusion_share"))
    path: Path | None = None

    # -- reading and writing ------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> Codebook:
        """Read and check a codebook YAML file.

        Raises
        ------
        InputError
            If the file is missing, is not YAML, or an entry is incomplete
            (naming the entry).
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(
                "codebook not found",
                file=path,
                hint="draft one with `sqresearch codebook infer RAW`",
            )
        doc = read_yaml(path, what="codebook", mapping=False)
        book = cls.from_dict(doc, file=path)
        book.path = path
        return book

    @classmethod
    def from_dict(cls, doc: Any, *, file: Any = None) -> Codebook:
        """Build a codebook from its YAML mapping, checking every entry and its type.

        Raises
        ------
        InputError
            Naming the file, the key (``scales.agree5.points``) and the value:
            a missing entry, a wrong type (``points: five``, items as a list),
            a flag that is not true/false or 是/否, a label mapped outside
            1..points, two labels on one number without ``synonyms: true``,
            an expected answer outside the scale.
        """
        check = _Checker(file)
        doc = check.mapping(doc, "the codebook", required=True)
        if doc.get("version", CODEBOOK_VERSION) != CODEBOOK_VERSION:
            raise InputError(f"unsupported codebook version {doc.get('version')!r}", file=file)

        scales = {}
        for code, entry in check.mapping(doc.get("scales"), "scales").items():
            where = f"scales.{code}"
            entry = check.mapping(entry, where, required=True)
            points = check.integer(check.need(entry, "points", where), f"{where}.points", low=2)
            labels = check.mapping(
                check.need(entry, "labels", where), f"{where}.labels", required=True
            )
            synonyms = check.flag(entry.get("synonyms", False), f"{where}.synonyms")
            numbers = {}
            for label, number in labels.items():
                numbers[str(label)] = check.integer(
                    number, f"{where}.labels.{label}", low=1, high=points
                )
            check.scale_numbers(numbers, synonyms, where)
            scales[str(code)] = ScaleSpec(str(code), points, numbers, synonyms)
        items = {}
        for code, entry in check.mapping(doc.get("items"), "items").items():
            where = f"items.{code}"
            entry = check.mapping(entry, where, required=True)
            scale = check.text(check.need(entry, "scale", where), f"{where}.scale")
            if scale not in scales:
                raise InputError(
                    f"{where} uses scale {scale!r}, which scales does not define", file=file
                )
            items[str(code)] = ItemSpec(
                str(code),
                check.text(check.need(entry, "column", where), f"{where}.column"),
                scale,
                check.flag(entry.get("reverse", False), f"{where}.reverse"),
            )
        if not items:
            raise InputError("codebook maps no items", file=file, hint="add an items: section")
        demographics = {}
        for code, entry in check.mapping(doc.get("demographics"), "demographics").items():
            where = f"demographics.{code}"
            entry = check.mapping(entry, where, required=True)
            levels = check.mapping(entry.get("levels"), f"{where}.levels")
            demographics[str(code)] = DemographicSpec(
                str(code),
                check.text(check.need(entry, "column", where), f"{where}.column"),
                {str(k): check.integer(v, f"{where}.levels.{k}") for k, v in levels.items()},
            )
        attention = {}
        for code, entry in check.mapping(doc.get("attention_checks"), "attention_checks").items():
            where = f"attention_checks.{code}"
            entry = check.mapping(entry, where, required=True)
            scale = check.text(check.need(entry, "scale", where), f"{where}.scale")
            if scale not in scales:
                raise InputError(f"{where} uses undefined scale {scale!r}", file=file)
            expected = check.need(entry, "expected", where)
            if isinstance(expected, str):
                lookup = scales[scale].lookup()
                if normalize_label(expected) not in lookup:
                    raise InputError(
                        f"{where}.expected is not a label of {scale}", file=file, value=expected
                    )
                expected = lookup[normalize_label(expected)]
            attention[str(code)] = AttentionSpec(
                str(code),
                check.text(check.need(entry, "column", where), f"{where}.column"),
                scale,
                check.integer(expected, f"{where}.expected", low=1, high=scales[scale].points),
            )
        screening = None
        if doc.get("screening"):
            entry = check.mapping(doc["screening"], "screening", required=True)
            eligible = check.need(entry, "eligible", "screening")
            screening = ScreeningSpec(
                check.text(check.need(entry, "column", "screening"), "screening.column"),
                list(eligible if isinstance(eligible, list) else [eligible]),
            )
        careless = {k: dict(v) for k, v in DEFAULT_RULES.items()}
        for rule, settings in check.mapping(doc.get("careless"), "careless").items():
            if rule not in DEFAULT_RULES:
                raise InputError(
                    f"unknown careless-response rule {rule!r}",
                    file=file,
                    hint=f"one of {', '.join(DEFAULT_RULES)}",
                )
            settings = dict(check.mapping(settings, f"careless.{rule}"))
            if settings.get("action", careless[rule]["action"]) not in ACTIONS:
                raise InputError(
                    f"careless.{rule}.action must be one of {', '.join(ACTIONS)}",
                    file=file,
                    value=settings.get("action"),
                )
            careless[rule].update(settings)
        order = doc.get("careless_order")
        if order:
            if not isinstance(order, list) or sorted(map(str, order)) != sorted(DEFAULT_RULES):
                raise InputError(
                    "careless_order must list every rule once",
                    file=file,
                    value=order,
                    hint=", ".join(DEFAULT_RULES),
                )
            careless = {rule: careless[rule] for rule in order}
        keep = doc.get("keep") or {}
        if isinstance(keep, list):
            keep = {str(c): str(c) for c in keep}
        keep = check.mapping(keep, "keep")
        share = doc.get("max_exclusion_share", threshold("exclusion_share"))
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise InputError(
                "max_exclusion_share must be a share between 0 and 1 (e.g. 0.5)",
                file=file,
                value=share,
            )
        book = cls(
            items=items,
            scales=scales,
            id=check.optional_text(doc.get("id"), "id"),
            duration=check.optional_text(doc.get("duration"), "duration"),
            submitted=check.optional_text(doc.get("submitted"), "submitted"),
            framework=check.optional_text(doc.get("framework"), "framework"),
            platform=check.optional_text(doc.get("platform"), "platform"),
            demographics=demographics,
            attention_checks=attention,
            screening=screening,
            missing_codes=check.sequence(doc.get("missing_codes"), "missing_codes"),
            careless=careless,
            drop=[str(c) for c in check.sequence(doc.get("drop"), "drop")],
            keep={str(k): str(v) for k, v in keep.items()},
            keep_province=check.flag(doc.get("keep_province", False), "keep_province"),
            unmatched=[str(c) for c in check.sequence(doc.get("unmatched"), "unmatched")],
            max_exclusion_share=float(share),
        )
        book.check_unique(file)
        return book

    def check_unique(self, file: Any = None) -> None:
        """Each output code and each raw column is used once."""
        codes = (
            list(self.items)
            + list(self.demographics)
            + list(self.attention_checks)
            + list(self.keep.values())
        )
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise InputError("codebook uses a variable code twice", file=file, value=dupes[0])
        columns = [c for c in self.source_columns().values()]
        dupes = sorted({c for c in columns if columns.count(c) > 1})
        if dupes:
            raise InputError(
                "codebook maps one raw column to two variables", file=file, column=dupes[0]
            )

    def to_dict(self) -> dict[str, Any]:
        """The YAML mapping of this codebook (round-trips through :meth:`from_dict`)."""
        doc: dict[str, Any] = {"version": CODEBOOK_VERSION}
        for key in ("framework", "platform", "id", "duration", "submitted"):
            if getattr(self, key) is not None:
                doc[key] = getattr(self, key)
        doc["missing_codes"] = list(self.missing_codes)
        doc["scales"] = {}
        for c, s in self.scales.items():
            doc["scales"][c] = {"points": s.points}
            if s.synonyms or len(set(s.labels.values())) < len(s.labels):
                doc["scales"][c]["synonyms"] = True
            doc["scales"][c]["labels"] = dict(s.labels)
        doc["items"] = {
            c: {"column": i.column, "scale": i.scale, "reverse": i.reverse}
            for c, i in self.items.items()
        }
        doc["attention_checks"] = {
            c: {"column": a.column, "scale": a.scale, "expected": a.expected}
            for c, a in self.attention_checks.items()
        }
        doc["demographics"] = {
            c: {"column": d.column, "levels": dict(d.levels)} for c, d in self.demographics.items()
        }
        if self.screening is not None:
            doc["screening"] = {
                "column": self.screening.column,
                "eligible": list(self.screening.eligible),
            }
        doc["careless"] = {rule: dict(settings) for rule, settings in self.careless.items()}
        doc["keep"] = dict(self.keep)
        doc["keep_province"] = self.keep_province
        doc["drop"] = list(self.drop)
        doc["unmatched"] = list(self.unmatched)
        if self.max_exclusion_share != threshold("exclusion_share"):
            doc["max_exclusion_share"] = self.max_exclusion_share
        return doc

    def dumps(self, header: str = "") -> str:
        """YAML text, with ``header`` as leading comment lines."""
        comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
        return comment + yaml.safe_dump(
            self.to_dict(), allow_unicode=True, sort_keys=False, width=120
        )

    def save(self, path: str | Path, header: str = "") -> Path:
        """Write the codebook as UTF-8 YAML."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.dumps(header), encoding="utf-8")
        return path

    # -- queries ------------------------------------------------------------
    def source_columns(self) -> dict[str, str]:
        """Output variable -> raw column, for every mapped variable (id and duration included)."""
        out = {}
        if self.id:
            out["ID"] = self.id
        if self.duration:
            out["DURATION"] = self.duration
        if self.submitted:
            out["SUBMITTED"] = self.submitted
        if self.screening:
            out["SCREEN"] = self.screening.column
        out.update({c: d.column for c, d in self.demographics.items()})
        out.update({c: i.column for c, i in self.items.items()})
        out.update({c: a.column for c, a in self.attention_checks.items()})
        out.update({new: old for old, new in self.keep.items()})
        return out

    def reverse_items(self) -> list[str]:
        """Codes of the reverse-keyed items."""
        return [c for c, i in self.items.items() if i.reverse]

    def constructs(self) -> dict[str, list[str]]:
        """Construct code -> its item codes (the code without its trailing number)."""
        out: dict[str, list[str]] = {}
        for code in self.items:
            out.setdefault(code.rstrip("0123456789") or code, []).append(code)
        return out


def scale_labels(points: int, anchors: list[list[str]] | tuple = ()) -> dict[str, int]:
    """Label -> number for a ``points``-point scale: the anchors given, then the usual synonyms.

    Examples
    --------
    >>> labels = scale_labels(5, [["非常不同意", "不同意", "一般", "同意", "非常同意"]])
    >>> labels["非常同意"], labels["比较同意"], labels["Strongly agree"]
    (5, 4, 5)
    """
    labels: dict[str, int] = {}
    for anchor_set in anchors:
        if len(anchor_set) != points:
            raise InputError(
                f"a {points}-point scale needs {points} anchors", value=list(anchor_set)
            )
        for i, label in enumerate(anchor_set, start=1):
            labels.setdefault(str(label), i)
    seen = {normalize_label(k) for k in labels}
    for label, number in LABEL_SYNONYMS.get(points, {}).items():
        english = " ".join(w.capitalize() if j == 0 else w for j, w in enumerate(label.split()))
        if normalize_label(label) not in seen:
            labels[english if label.isascii() else label] = number
            seen.add(normalize_label(label))
    return labels


#: Flag values a codebook may give (YAML true/false, or 是/否 as text).
FLAG_VALUES = {True: True, False: False, "是": True, "否": False}


class _Checker:
    """Type checks of codebook entries; each error names the file, the key and the value."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def fail(self, message: str, value: Any, hint: str | None = None) -> InputError:
        return InputError(message, file=self.file, value=value, hint=hint)

    def need(self, entry: dict, key: str, where: str) -> Any:
        if entry.get(key) in (None, ""):
            raise InputError(f"codebook entry {where} lacks '{key}'", file=self.file)
        return entry[key]

    def mapping(self, value: Any, where: str, *, required: bool = False) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail(
                f"{where} must be a mapping (key: value lines), not a {_kind(value)}",
                _shown(value),
            )
        return value

    def sequence(self, value: Any, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{where} must be a list ([a, b] or '- a' lines)", _shown(value))
        return list(value)

    def text(self, value: Any, where: str) -> str:
        if isinstance(value, (dict, list, bool)):
            raise self.fail(f"{where} must be a text, not a {_kind(value)}", _shown(value))
        return str(value)

    def optional_text(self, value: Any, where: str) -> str | None:
        return None if value is None else self.text(value, where)

    def integer(
        self, value: Any, where: str, *, low: int | None = None, high: int | None = None
    ) -> int:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if isinstance(value, float) and value.is_integer():
            value, whole = int(value), True
        if not whole:
            raise self.fail(
                f"{where} must be a whole number (e.g. 5), not a {_kind(value)}", _shown(value)
            )
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low}..{high}" if high is not None else f"at least {low}"
            raise self.fail(f"{where} must be {span}", value, hint="check the scale's points")
        return value

    def flag(self, value: Any, where: str) -> bool:
        try:
            return FLAG_VALUES[value]
        except (KeyError, TypeError):
            raise self.fail(f"{where} must be true or false (or 是/否)", _shown(value)) from None

    def scale_numbers(self, numbers: dict[str, int], synonyms: bool, where: str) -> None:
        if not synonyms:
            by_number: dict[int, list[str]] = {}
            for label, number in numbers.items():
                by_number.setdefault(number, []).append(label)
            shared = next((labels for labels in by_number.values() if len(labels) > 1), None)
            if shared:
                raise self.fail(
                    f"{where}.labels maps {len(shared)} labels to {numbers[shared[0]]}, which would "
                    "merge answer categories",
                    shared,
                    hint=f"give each its own number, or add 'synonyms: true' to {where} if they mean the same",
                )


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _shown(value: Any) -> Any:
    """A value as a message shows it (long mappings and lists cut short)."""
    text = repr(value)
    return value if len(text) <= 60 else text[:57] + "..."
