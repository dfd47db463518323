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
    drop: [来源, 来源详情]
    unmatched: []

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
    """A response scale: ``points`` and label -> number."""

    code: str
    points: int
    labels: dict[str, int]

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
        """Build a codebook from its YAML mapping, checking every entry."""
        if not isinstance(doc, dict):
            raise InputError("codebook must be a YAML mapping", file=file)
        if doc.get("version", CODEBOOK_VERSION) != CODEBOOK_VERSION:
            raise InputError(f"unsupported codebook version {doc.get('version')!r}", file=file)

        def need(entry: Any, key: str, where: str) -> Any:
            if not isinstance(entry, dict) or entry.get(key) in (None, ""):
                raise InputError(f"codebook entry {where} lacks '{key}'", file=file)
            return entry[key]

        scales = {}
        for code, entry in (doc.get("scales") or {}).items():
            labels = need(entry, "labels", f"scales.{code}")
            if not isinstance(labels, dict):
                raise InputError(f"scales.{code}.labels must map label -> number", file=file)
            scales[str(code)] = ScaleSpec(
                str(code),
                int(need(entry, "points", f"scales.{code}")),
                {str(k): int(v) for k, v in labels.items()},
            )
        items = {}
        for code, entry in (doc.get("items") or {}).items():
            scale = str(need(entry, "scale", f"items.{code}"))
            if scale not in scales:
                raise InputError(
                    f"items.{code} uses scale {scale!r}, which scales does not define", file=file
                )
            items[str(code)] = ItemSpec(
                str(code),
                str(need(entry, "column", f"items.{code}")),
                scale,
                bool(entry.get("reverse", False)),
            )
        if not items:
            raise InputError("codebook maps no items", file=file, hint="add an items: section")
        demographics = {
            str(code): DemographicSpec(
                str(code),
                str(need(entry, "column", f"demographics.{code}")),
                {str(k): int(v) for k, v in (entry.get("levels") or {}).items()},
            )
            for code, entry in (doc.get("demographics") or {}).items()
        }
        attention = {}
        for code, entry in (doc.get("attention_checks") or {}).items():
            scale = str(need(entry, "scale", f"attention_checks.{code}"))
            if scale not in scales:
                raise InputError(
                    f"attention_checks.{code} uses undefined scale {scale!r}", file=file
                )
            expected = need(entry, "expected", f"attention_checks.{code}")
            if not isinstance(expected, int):
                lookup = scales[scale].lookup()
                if normalize_label(expected) not in lookup:
                    raise InputError(
                        f"attention_checks.{code}: expected answer {expected!r} is not a label of {scale}",
                        file=file,
                    )
                expected = lookup[normalize_label(expected)]
            attention[str(code)] = AttentionSpec(
                str(code),
                str(need(entry, "column", f"attention_checks.{code}")),
                scale,
                int(expected),
            )
        screening = None
        if doc.get("screening"):
            entry = doc["screening"]
            eligible = need(entry, "eligible", "screening")
            screening = ScreeningSpec(
                str(need(entry, "column", "screening")),
                list(eligible if isinstance(eligible, list) else [eligible]),
            )
        careless = {k: dict(v) for k, v in DEFAULT_RULES.items()}
        for rule, settings in (doc.get("careless") or {}).items():
            if rule not in DEFAULT_RULES:
                raise InputError(
                    f"unknown careless-response rule {rule!r}",
                    file=file,
                    hint=f"one of {', '.join(DEFAULT_RULES)}",
                )
            settings = dict(settings or {})
            if settings.get("action", careless[rule]["action"]) not in ACTIONS:
                raise InputError(
                    f"careless.{rule}.action must be one of {', '.join(ACTIONS)}",
                    file=file,
                    value=settings.get("action"),
                )
            careless[rule].update(settings)
        order = doc.get("careless_order")
        if order:
            if sorted(order) != sorted(DEFAULT_RULES):
                raise InputError(
                    "careless_order must list every rule once",
                    file=file,
                    hint=", ".join(DEFAULT_RULES),
                )
            careless = {rule: careless[rule] for rule in order}
        keep = doc.get("keep") or {}
        if isinstance(keep, list):
            keep = {str(c): str(c) for c in keep}
        book = cls(
            items=items,
            scales=scales,
            id=doc.get("id"),
            duration=doc.get("duration"),
            submitted=doc.get("submitted"),
            framework=doc.get("framework"),
            platform=doc.get("platform"),
            demographics=demographics,
            attention_checks=attention,
            screening=screening,
            missing_codes=list(doc.get("missing_codes") or []),
            careless=careless,
            drop=[str(c) for c in doc.get("drop") or []],
            keep={str(k): str(v) for k, v in keep.items()},
            keep_province=bool(doc.get("keep_province", False)),
            unmatched=[str(c) for c in doc.get("unmatched") or []],
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
        doc["scales"] = {
            c: {"points": s.points, "labels": dict(s.labels)} for c, s in self.scales.items()
        }
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
