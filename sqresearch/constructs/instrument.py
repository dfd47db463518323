"""A study's own instrument: the questionnaire it fielded and the hypotheses it tests.

Every study holds one ``instrument.yaml`` (named by ``instrument:`` in
``study.yaml``). It declares, in the order the questionnaire fielded them:

``constructs``
    each either taken from the shipped catalogue by ``code`` (all its items,
    a subset ``items: [CVA1, CVA3, CVA4]``, or items reworded in place:
    ``{code: CVA1, text_zh: ...}``), or entirely new: a ``code`` the
    catalogue does not have with ``name_zh``/``name_en``, a ``scale`` and its
    ``items`` (``code``, ``text_zh``/``text_en``, ``reverse``), optionally
    ``definition_*``, ``source``, ``adapted_from`` and ``bibkey`` (its BibTeX
    entry goes under ``references``); or second-order: a ``code``, a name and
    its ``dimensions`` (three or more declared constructs it is measured by);
``demographics``
    each a catalogue code (``{code: GENDER}``) or a question with its own
    ``levels`` in the order fielded, ``[value, label_zh, label_en]`` or just
    labels (valued 1, 2, ...); a catalogue code with ``levels`` uses the
    study's levels;
``attention_checks``, ``screening``
    as the questionnaire has them (both optional);
``controls``, ``groups``, ``invariance``
    demographics entered first in the hierarchical regression, compared in
    the difference analysis, and across which measurement invariance is tested;
``hypotheses``
    of the kinds of :mod:`sqresearch.constructs.framework` (``path``,
    ``indirect`` with one or several mediators, ``moderation``,
    ``moderated_mediation``, ``regression``, ``difference``); ``id`` any
    distinct names, one of ``text_zh``/``text_en`` enough;
``title_*``, ``consent_*``, ``instructions_*``, ``closing_*``
    the questionnaire's texts (optional: neutral defaults);
``scales``
    extra response scales beside the shipped ``agree5``/``agree7``;
``references``
    BibTeX entries the new constructs cite.

:func:`load_instrument` turns the file into a
:class:`~sqresearch.constructs.framework.Framework` whose catalogue holds only
what the study declared, so nothing of the shipped catalogue reaches the
chapter unless the study uses it. The shipped frameworks are templates:
:func:`instrument_template` writes one out, expanded, ready to edit.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "instrument.yaml"
>>> _ = path.write_text('''
... constructs:
...   - code: SOB
...     items: [SOB1, SOB2, SOB3]
...   - code: TRU
...     name_zh: 信任
...     name_en: Trust
...     scale: agree5
...     items:
...       - {code: TRU1, text_zh: 我信任这个品牌。, text_en: I trust this brand.}
...       - {code: TRU2, text_zh: 这个品牌值得信赖。, text_en: This brand is reliable.}
...       - {code: TRU3, text_zh: 这个品牌说到做到。, text_en: This brand keeps its word.}
... demographics:
...   - code: GENDER
... hypotheses:
...   - {id: H1, kind: path, lhs: SOB, rhs: TRU, text_zh: 信任正向影响社群归属感。}
... ''', encoding="utf-8")
>>> fw = load_instrument(path)
>>> fw.constructs, fw.blocks()["TRU"], fw.demographics
(['SOB', 'TRU'], ['TRU1', 'TRU2', 'TRU3'], ['GENDER'])
>>> print(fw.model_syntax().splitlines()[5])
SOB ~ p1*TRU
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sqresearch.constructs.catalogue import (
    LANGS,
    Catalogue,
    Checker,
    Construct,
    Demographic,
    Instrument,
    Item,
    Level,
    Scale,
    parse_scales,
)
from sqresearch.constructs.framework import Framework, codes_of, parse_hypotheses
from sqresearch.constructs.load import get_framework, load_catalogue
from sqresearch.io.config import read_yaml

#: Items a latent construct may have in a study's instrument.
ITEMS_MIN, ITEMS_MAX = 3, 15
CONSTRUCT_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")
ITEM_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
DEMOGRAPHIC_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

TOP_KEYS = {
    "constructs", "demographics", "attention_checks", "screening", "controls", "groups",
    "invariance", "hypotheses", "scales", "references", "name",
    *(f"{part}_{lang}" for part in ("title", "consent", "instructions", "closing") for lang in LANGS),
}  # fmt: skip

#: Neutral questionnaire texts for an instrument that gives none.
DEFAULT_TEXTS = {
    "title_zh": "调查问卷",
    "title_en": "Questionnaire",
    "consent_zh": "您好！本问卷用于学术研究，匿名填写，您的回答仅用于统计分析并将严格保密。"
    "参与完全自愿，您可以随时退出。继续作答即表示您同意参与本研究。",
    "consent_en": "Hello! This anonymous questionnaire is for academic research; your answers are "
    "used only for statistical analysis and kept confidential. Taking part is voluntary and you "
    "may stop at any time. By continuing you agree to take part.",
    "instructions_zh": "请根据您的真实感受，选择最符合您看法的选项。",
    "instructions_en": "Please choose the option that best matches your view.",
    "closing_zh": "问卷到此结束，感谢您的参与！",
    "closing_en": "This is the end of the questionnaire. Thank you for taking part!",
}


def load_instrument(path: str | Path, *, name: str | None = None) -> Framework:
    """Read and check a study's ``instrument.yaml``.

    Parameters
    ----------
    path : str or Path
        The instrument file.
    name : str, optional
        The framework's name (default: the file's ``name`` key, else its folder's name).

    Returns
    -------
    Framework
        With a study catalogue holding only the declared constructs,
        demographics and attention checks.

    Raises
    ------
    InputError
        One line naming the file, the entry and the value: an unknown
        construct code without a definition, a construct with too few items,
        an item or construct code used twice, a hypothesis naming an
        undeclared construct, a control that is not a fielded demographic, ...
    """
    path = Path(path)
    doc = read_yaml(path, what="instrument")
    return parse_instrument(doc, path, name=name)


def parse_instrument(doc: dict, file: Path, *, name: str | None = None) -> Framework:
    """Build a study's framework from the parsed ``instrument.yaml`` (see the module docstring)."""
    check = Checker(file)
    base = load_catalogue()
    unknown = sorted(set(doc) - TOP_KEYS)
    if unknown:
        check.fail("instrument", f"unknown key {unknown[0]!r}",
                   hint=f"allowed: {', '.join(sorted(TOP_KEYS))}")  # fmt: skip
    if not isinstance(doc.get("constructs"), list) or not doc["constructs"]:
        check.fail("constructs", "list at least one construct")
    scales = dict(base.scales)
    if doc.get("scales"):
        scales.update(parse_scales({"scales": doc["scales"]}, file))
    demographics = _demographics(check, doc.get("demographics") or [], base)
    seen: dict[str, str] = {code: f"demographic {code!r}" for code in demographics}
    constructs: dict[str, Construct | None] = {}
    higher = {}
    for i, entry in enumerate(doc["constructs"]):
        if isinstance(entry, dict) and "dimensions" in entry:
            code = _second_order_code(check, entry, i, seen)
            constructs[code], higher[code] = None, entry  # built once its dimensions are
            continue
        construct = _construct(check, entry, i, base, scales, demographics, seen)
        constructs[construct.code] = construct
    for code, entry in higher.items():
        constructs[code] = _second_order(check, entry, code, constructs)
    checks = _attention_checks(check, doc.get("attention_checks") or [], scales, seen)
    screening, eligible, screen_out = _screening(check, doc.get("screening"), seen)
    texts = {}
    for key, default in DEFAULT_TEXTS.items():
        value = doc.get(key, default)
        if not isinstance(value, str) or not value.strip():
            check.fail(key, "must be a non-empty text", value=value)
        texts[key] = value.strip()
    instrument = Instrument(
        **{k: texts[k] for k in DEFAULT_TEXTS},
        screening=screening,
        screening_eligible=eligible,
        screen_out_zh=screen_out[0],
        screen_out_en=screen_out[1],
    )
    catalogue = Catalogue(constructs, scales, demographics, checks, instrument, {}, file.parent)
    fielded = list(demographics)
    controls = codes_of(check, {"controls": [], **doc}, "controls", "instrument", fielded,
                        "fielded demographic", empty=True)  # fmt: skip
    groups = codes_of(check, {"groups": [], **doc}, "groups", "instrument", fielded,
                      "fielded demographic", empty=True)  # fmt: skip
    invariance = doc.get("invariance")
    if invariance is not None and invariance not in fielded:
        check.fail("invariance", f"{invariance!r} is not a fielded demographic", value=invariance,
                   hint=f"fielded: {', '.join(fielded) or 'none'}")  # fmt: skip
    hypotheses = parse_hypotheses(
        check, doc.get("hypotheses"), "hypotheses", list(constructs), fielded,
        numbered=False, texts_required=False,
    )  # fmt: skip
    for h in hypotheses:
        if h.kind == "difference" and h.by not in groups:
            groups.append(h.by)
    references = doc.get("references", "")
    if not isinstance(references, str):
        check.fail("references", "must be BibTeX text (use `references: |` and paste the entries)")
    name = name or doc.get("name") or file.parent.name
    return Framework(
        str(name), texts["title_zh"], texts["title_en"], str(file), list(constructs), hypotheses,
        controls, catalogue, fielded, groups, invariance, references,
    )  # fmt: skip


def _levels(check: Checker, raw: Any, where: str) -> list[Level]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.fail(where, "levels must list at least two options, in the order fielded",
                   value=raw)  # fmt: skip
    levels, values, labels = [], set(), set()
    for i, level in enumerate(raw, 1):
        if isinstance(level, str | int | float) and not isinstance(level, bool):
            value, zh, en = i, str(level), str(level)
        elif isinstance(level, list) and len(level) == 3:
            value, zh, en = level
        else:
            check.fail(where, "each level is a label or [value, label_zh, label_en]", value=level)
        if not isinstance(value, int) or isinstance(value, bool) or value in values:
            check.fail(where, "level values must be distinct whole numbers", value=value)
        for label in (zh, en):
            if not isinstance(label, str | int | float) or not str(label).strip():
                check.fail(where, f"level {value}: missing label", value=level)
        if str(zh).strip() in labels:
            check.fail(where, f"level label {str(zh).strip()!r} is listed twice", value=level)
        values.add(value)
        labels.add(str(zh).strip())
        levels.append(Level(value, str(zh).strip(), str(en).strip()))
    return levels


def _demographics(check: Checker, raw: Any, base: Catalogue) -> dict[str, Demographic]:
    if not isinstance(raw, list):
        check.fail("demographics", "must be a list of demographic questions", value=raw)
    out: dict[str, Demographic] = {}
    for i, entry in enumerate(raw):
        where = f"demographics #{i + 1}"
        if isinstance(entry, str):
            entry = {"code": entry}
        check.fields(entry, where, {"code"}, {"question_zh", "question_en", "levels"})
        code = entry["code"]
        if not isinstance(code, str) or not DEMOGRAPHIC_CODE.match(code):
            check.fail(where, "code must be letters, digits or _ (e.g. GENDER)", value=code)
        if code in out:
            check.fail(where, f"demographic {code!r} is declared twice", value=code)
        where = f"demographic {code!r}"
        known = base.demographics.get(code)
        if known is None and not {"question_zh", "question_en", "levels"} & set(entry):
            check.fail(where, f"{code!r} is not a catalogue demographic; give its question and "
                       "levels", value=code, hint=f"catalogue: {', '.join(base.demographics)}")
        question = [entry.get(f"question_{lang}") or (known.question(lang) if known else None)
                    for lang in LANGS]  # fmt: skip
        if not all(isinstance(q, str) and q.strip() for q in question):
            given = next((q for q in question if isinstance(q, str) and q.strip()), None)
            if given is None:
                check.fail(where, "give the question: question_zh or question_en")
            question = [q if isinstance(q, str) and q.strip() else given for q in question]
        levels = _levels(check, entry["levels"], where) if "levels" in entry else known.levels
        out[code] = Demographic(code, question[0].strip(), question[1].strip(), list(levels))
    return out


def _item(check, raw, where, construct, scale, scales, base_items, seen) -> Item:
    if isinstance(raw, str):
        raw = {"code": raw}
    check.fields(raw, where, {"code"}, {"text_zh", "text_en", "reverse", "scale", "facet"})
    code = raw["code"]
    if not isinstance(code, str) or not ITEM_CODE.match(code):
        check.fail(where, "item code must be letters and digits (e.g. TRU1)", value=code)
    if code in seen:
        check.fail(where, f"code {code!r} is used twice (also by {seen[code]})", value=code)
    seen[code] = f"item {code!r}"
    where = f"{where.rsplit(' item', 1)[0]} item {code!r}"
    known = base_items.get(code)
    texts = [raw.get(f"text_{lang}") for lang in LANGS]
    if known is None and not any(isinstance(t, str) and t.strip() for t in texts):
        check.fail(where, "a new item needs its wording: text_zh or text_en", value=code,
                   hint=f"catalogue items of {construct}: {', '.join(base_items) or 'none'}")  # fmt: skip
    if known is not None:
        texts = [t if isinstance(t, str) and t.strip() else known.text(lang)
                 for t, lang in zip(texts, LANGS, strict=True)]  # fmt: skip
    given = next(t for t in texts if isinstance(t, str) and t.strip())
    texts = [(t if isinstance(t, str) and t.strip() else given).strip() for t in texts]
    reverse = raw.get("reverse", known.reverse if known else False)
    reverse = _flag(check, reverse, where, "reverse")
    item_scale = scale
    if "scale" in raw:
        if raw["scale"] not in scales:
            check.fail(where, f"unknown scale {raw['scale']!r}", value=raw["scale"],
                       hint=f"known scales: {', '.join(scales)}")  # fmt: skip
        item_scale = scales[raw["scale"]]
    elif known is not None and known.scale.code in scales:
        item_scale = known.scale
    facet = raw.get("facet", known.facet if known else "")
    return Item(code, construct, texts[0], texts[1], reverse, item_scale, str(facet or ""))


def _flag(check: Checker, value: Any, where: str, key: str) -> bool:
    """A yes/no field: true/false or 是/否, nothing else."""
    if isinstance(value, bool):
        return value
    if value in ("是", "否"):
        return value == "是"
    check.fail(where, f"{key} must be true or false (or 是/否)", value=value)


def _construct(check, entry, i, base, scales, demographics, seen) -> Construct:
    where = f"constructs #{i + 1}"
    if isinstance(entry, str):
        entry = {"code": entry}
    optional = {"items", "kind", "scale", "demographic", "source", "adapted_from", "bibkey",
                *(f"{p}_{lang}" for p in ("name", "definition") for lang in LANGS)}  # fmt: skip
    check.fields(entry, where, {"code"}, optional)
    code = entry["code"]
    if not isinstance(code, str) or not CONSTRUCT_CODE.match(code):
        check.fail(where, "construct code must be upper-case letters and digits (e.g. TRU)",
                   value=code)  # fmt: skip
    if code in seen:
        check.fail(where, f"code {code!r} is used twice (also by {seen[code]})", value=code)
    seen[code] = f"construct {code!r}"
    where = f"construct {code!r}"
    known = base.constructs.get(code)
    names = {key: entry.get(key) for key in ("name_zh", "name_en")}
    if known is None and not any(isinstance(v, str) and v.strip() for v in names.values()):
        check.fail(where, f"{code!r} is not in the catalogue; to declare a new construct give "
                   "name_zh or name_en, a scale and its items", value=code,
                   hint=f"catalogue codes: {', '.join(base.constructs)}")  # fmt: skip
    kind = entry.get("kind", known.kind if known else "latent")
    if kind not in ("latent", "single"):
        check.fail(where, "kind must be latent or single", value=kind)

    def text(key: str, fallback: str = "") -> str:
        pair = [entry.get(f"{key}_{lang}") for lang in LANGS]
        if known is not None:
            pair = [p if isinstance(p, str) and p.strip() else getattr(known, f"{key}_{lang}")
                    for p, lang in zip(pair, LANGS, strict=True)]  # fmt: skip
        given = next((p for p in pair if isinstance(p, str) and p.strip()), fallback)
        return tuple((p if isinstance(p, str) and p.strip() else given).strip() for p in pair)

    name_zh, name_en = text("name")
    definition_zh, definition_en = text("definition")
    extra = {key: str(entry.get(key, getattr(known, key) if known else "") or "")
             for key in ("source", "adapted_from", "bibkey")}  # fmt: skip
    if kind == "single":
        demo = entry.get("demographic", known.items[0].scale.code if known else code)
        question = demographics.get(demo) or base.demographics.get(demo)
        if question is None:
            check.fail(where, f"a single-item construct names its question in demographic; "
                       f"{demo!r} is not declared", value=demo)  # fmt: skip
        scale = Scale(demo, len(question.levels), [lv.label_zh for lv in question.levels],
                      [lv.label_en for lv in question.levels])  # fmt: skip
        items = [Item(demo, code, question.question_zh, question.question_en, False, scale)]
        return Construct(code, name_zh, name_en, definition_zh, definition_en, items=items,
                         kind=kind, **extra)  # fmt: skip
    scale_code = entry.get("scale", known.items[0].scale.code if known else None)
    if scale_code not in scales:
        check.fail(where, f"unknown scale {scale_code!r}", value=scale_code,
                   hint=f"known scales: {', '.join(scales)}")  # fmt: skip
    scale = scales[scale_code]
    base_items = {item.code: item for item in known.items} if known else {}
    raw_items = entry.get("items", list(base_items))
    if not isinstance(raw_items, list):
        check.fail(where, "items must be a list", value=raw_items)
    if not ITEMS_MIN <= len(raw_items) <= ITEMS_MAX:
        check.fail(where, f"a latent construct needs {ITEMS_MIN} to {ITEMS_MAX} items, found "
                   f"{len(raw_items)}", value=len(raw_items),
                   hint="a CFA needs at least 3 indicators per factor; "
                   "declare a single question as kind: single")  # fmt: skip
    items = [
        _item(check, raw, f"{where} item #{j + 1}", code, scale, scales, base_items, seen)
        for j, raw in enumerate(raw_items)
    ]
    return Construct(code, name_zh, name_en, definition_zh, definition_en, items=items,
                     kind=kind, **extra)  # fmt: skip


def _second_order_code(check, entry, i, seen) -> str:
    where = f"constructs #{i + 1}"
    optional = {"source", "adapted_from", "bibkey",
                *(f"{p}_{lang}" for p in ("name", "definition") for lang in LANGS)}  # fmt: skip
    check.fields(entry, where, {"code", "dimensions"}, optional)
    code = entry["code"]
    if not isinstance(code, str) or not CONSTRUCT_CODE.match(code):
        check.fail(where, "construct code must be upper-case letters and digits (e.g. BRAND)",
                   value=code)  # fmt: skip
    if code in seen:
        check.fail(where, f"code {code!r} is used twice (also by {seen[code]})", value=code)
    seen[code] = f"construct {code!r}"
    return code


def _second_order(check, entry, code, constructs) -> Construct:
    """A factor measured by declared first-order constructs (its ``dimensions``)."""
    where = f"construct {code!r}"
    dims = entry["dimensions"]
    if not isinstance(dims, list) or len(dims) < 3:
        check.fail(where, "a second-order construct needs at least 3 dimensions (first-order "
                   "constructs)", value=dims)  # fmt: skip
    for dim in dims:
        part = constructs.get(dim)
        if part is None or part.kind != "latent":
            check.fail(where, f"dimension {dim!r} is not a declared multi-item construct",
                       value=dim, hint="declare each dimension as a construct of its own")  # fmt: skip
    if len(set(dims)) != len(dims):
        check.fail(where, "a dimension is listed twice", value=dims)
    names = [entry.get(f"name_{lang}") for lang in LANGS]
    given = next((n for n in names if isinstance(n, str) and n.strip()), None)
    if given is None:
        check.fail(where, "give its name: name_zh or name_en")
    name_zh, name_en = ((n if isinstance(n, str) and n.strip() else given).strip() for n in names)
    definitions = [str(entry.get(f"definition_{lang}", "") or "") for lang in LANGS]
    items = [item for dim in dims for item in constructs[dim].items]
    return Construct(
        code, name_zh, name_en, definitions[0], definitions[1],
        source=str(entry.get("source", "") or ""), adapted_from=str(entry.get("adapted_from", "") or ""),
        bibkey=str(entry.get("bibkey", "") or ""), kind="second_order", items=items,
        dimensions=tuple(dims),
    )  # fmt: skip


def _attention_checks(check, raw, scales, seen) -> list[Item]:
    if not isinstance(raw, list):
        check.fail("attention_checks", "must be a list", value=raw)
    out = []
    for i, entry in enumerate(raw):
        where = f"attention check #{i + 1}"
        check.fields(entry, where, {"code", "scale", "expected"}, {"text_zh", "text_en"})
        code = entry["code"]
        if not isinstance(code, str) or not ITEM_CODE.match(code) or code in seen:
            check.fail(where, "code must be a new item code (e.g. ATT1)", value=code)
        seen[code] = f"attention check {code!r}"
        where = f"attention check {code!r}"
        if entry["scale"] not in scales:
            check.fail(where, f"unknown scale {entry['scale']!r}", value=entry["scale"])
        scale = scales[entry["scale"]]
        expected = entry["expected"]
        if not isinstance(expected, int) or isinstance(expected, bool) or not (
            1 <= expected <= scale.points
        ):
            check.fail(where, f"expected must be an answer 1..{scale.points}", value=expected)
        texts = [entry.get(f"text_{lang}") for lang in LANGS]
        given = next((t for t in texts if isinstance(t, str) and t.strip()), None)
        if given is None:
            check.fail(where, "give its wording: text_zh or text_en")
        zh, en = ((t if isinstance(t, str) and t.strip() else given).strip() for t in texts)
        out.append(Item(code, "ATT", zh, en, False, scale, expected=expected))
    return out


def _screening(check, raw, seen) -> tuple[Demographic | None, list[int], tuple[str, str]]:
    if raw is None:
        return None, [], ("", "")
    where = "screening"
    check.fields(raw, where, {"code", "levels", "eligible"},
                 {"question_zh", "question_en", "screen_out_zh", "screen_out_en"})  # fmt: skip
    code = raw["code"]
    if not isinstance(code, str) or not DEMOGRAPHIC_CODE.match(code) or code in seen:
        check.fail(where, "code must be a new code (e.g. SCREEN)", value=code)
    seen[code] = "screening"
    levels = _levels(check, raw["levels"], where)
    texts = [raw.get(f"question_{lang}") for lang in LANGS]
    given = next((t for t in texts if isinstance(t, str) and t.strip()), None)
    if given is None:
        check.fail(where, "give the question: question_zh or question_en")
    zh, en = ((t if isinstance(t, str) and t.strip() else given).strip() for t in texts)
    eligible = raw["eligible"]
    if not isinstance(eligible, list) or not eligible or not set(eligible) <= {
        lv.value for lv in levels
    }:
        check.fail(where, "eligible must list level values of the screening question",
                   value=eligible)  # fmt: skip
    outs = [raw.get(f"screen_out_{lang}") or DEFAULT_TEXTS[f"closing_{lang}"] for lang in LANGS]
    return Demographic(code, zh, en, levels), list(eligible), (outs[0], outs[1])


# ---------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, but short lists of scalars (levels, codes) on one line."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(x, str | int | float | bool) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)

HEADER = """\
# The study's instrument: the questionnaire as fielded and the hypotheses it tests.
# `sqresearch build` and every notebook read it; edit it freely (see the guide):
#   constructs   from the catalogue by code (keep, drop or reword items in place)
#                or new ones (code, name_zh/name_en, scale, items with reverse keys)
#   demographics in the order fielded, each with its levels (value, 中文, English)
#   attention_checks, screening, controls, groups (difference analysis), invariance
#   hypotheses   path | indirect (m: one or a list; serial: true) | moderation |
#                moderated_mediation (stage: first|second) | regression | difference
# Check it with `sqresearch check study.yaml`.
"""


def _construct_dict(construct: Construct) -> dict:
    out: dict[str, Any] = {"code": construct.code}
    if construct.dimensions:
        return {**out, "name_zh": construct.name_zh, "name_en": construct.name_en,
                "dimensions": list(construct.dimensions)}  # fmt: skip
    if construct.kind == "single":
        out["kind"] = "single"
        out["demographic"] = construct.items[0].code
    out.update(name_zh=construct.name_zh, name_en=construct.name_en)
    out.update(definition_zh=construct.definition_zh, definition_en=construct.definition_en)
    out.update(source=construct.source, adapted_from=construct.adapted_from,
               bibkey=construct.bibkey)  # fmt: skip
    if construct.kind == "latent":
        out["scale"] = construct.items[0].scale.code
        out["items"] = [
            {"code": i.code, "text_zh": i.text_zh, "text_en": i.text_en, "reverse": i.reverse}
            for i in construct.items
        ]
    return out


def _demographic_dict(demo: Demographic) -> dict:
    return {
        "code": demo.code,
        "question_zh": demo.question_zh,
        "question_en": demo.question_en,
        "levels": [[lv.value, lv.label_zh, lv.label_en] for lv in demo.levels],
    }


def _hypothesis_dict(h) -> dict:
    out: dict[str, Any] = {"id": h.id, "kind": h.kind}
    if h.kind in ("indirect", "moderated_mediation"):
        out.update(x=h.x, m=list(h.mediators) if len(h.mediators) > 1 else h.m, y=h.y)
        if h.serial:
            out["serial"] = True
    elif h.kind == "difference":
        out.update(construct=h.lhs, by=h.by)
    else:
        out.update(lhs=h.lhs, rhs=h.rhs)
    if h.w is not None:
        out["w"] = h.w
    if h.kind == "moderated_mediation":
        out["stage"] = h.stage
    out.update(sign=h.sign, text_zh=h.text_zh, text_en=h.text_en)
    return out


def framework_document(framework: Framework) -> dict:
    """The instrument document (a mapping) of a framework, every construct written out."""
    cat = framework.catalogue
    ins = cat.instrument
    doc: dict[str, Any] = {"name": framework.name}
    for part in ("title", "consent", "instructions", "closing"):
        for lang in LANGS:
            doc[f"{part}_{lang}"] = (
                getattr(framework, f"title_{lang}") if part == "title" else ins.text(part, lang)
            )
    if ins.screening is not None:
        doc["screening"] = {
            "code": ins.screening.code,
            "question_zh": ins.screening.question_zh,
            "question_en": ins.screening.question_en,
            "levels": [[lv.value, lv.label_zh, lv.label_en] for lv in ins.screening.levels],
            "eligible": list(ins.screening_eligible),
            "screen_out_zh": ins.screen_out_zh,
            "screen_out_en": ins.screen_out_en,
        }
    doc["constructs"] = [_construct_dict(cat.constructs[c]) for c in framework.constructs]
    doc["demographics"] = [_demographic_dict(cat.demographics[d]) for d in framework.demographics]
    doc["attention_checks"] = [
        {"code": a.code, "text_zh": a.text_zh, "text_en": a.text_en, "scale": a.scale.code,
         "expected": a.expected}
        for a in cat.attention_checks
    ]  # fmt: skip
    doc["controls"] = list(framework.controls)
    doc["groups"] = list(framework.groups)
    if framework.invariance is not None:
        doc["invariance"] = framework.invariance
    doc["hypotheses"] = [_hypothesis_dict(h) for h in framework.hypotheses]
    if framework.references:
        doc["references"] = framework.references
    return doc


def dump_instrument(doc: dict) -> str:
    """YAML text of an instrument document, with the explanatory header."""
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


BLANK = {
    "name": "my_study",
    "title_zh": "（请填写问卷标题）",
    "title_en": "(your questionnaire's title)",
    "constructs": [
        {
            "code": "X",
            "name_zh": "自变量（请改名）",
            "name_en": "Predictor (rename)",
            "scale": "agree5",
            "items": [
                {"code": f"X{i}", "text_zh": f"（X 的第{i}个题项）", "text_en": f"(item {i} of X)",
                 "reverse": False}
                for i in (1, 2, 3)
            ],
        },
        {
            "code": "Y",
            "name_zh": "因变量（请改名）",
            "name_en": "Outcome (rename)",
            "scale": "agree5",
            "items": [
                {"code": f"Y{i}", "text_zh": f"（Y 的第{i}个题项）", "text_en": f"(item {i} of Y)",
                 "reverse": False}
                for i in (1, 2, 3)
            ],
        },
    ],
    "demographics": [{"code": "GENDER"}, {"code": "AGE"}],
    "attention_checks": [],
    "controls": ["GENDER", "AGE"],
    "groups": ["GENDER"],
    "hypotheses": [
        {"id": "H1", "kind": "path", "lhs": "Y", "rhs": "X", "sign": 1,
         "text_zh": "X 对 Y 有显著正向影响。", "text_en": "X has a positive effect on Y."},
    ],
}  # fmt: skip


def instrument_template(framework: str | None = None) -> str:
    """The ``instrument.yaml`` text of a shipped framework (or the blank template).

    Parameters
    ----------
    framework : str, optional
        A framework of ``frameworks.yaml``; ``None`` gives a blank study with
        two placeholder constructs and one hypothesis.

    Examples
    --------
    >>> text = instrument_template("maslow_belonging")
    >>> "code: NBL" in text and "kind: single" in text
    True
    """
    if framework is None:
        doc = dict(BLANK)
        doc["demographics"] = [
            _demographic_dict(load_catalogue().demographics[d["code"]]) for d in BLANK["demographics"]
        ]
        return dump_instrument(doc)
    return dump_instrument(framework_document(get_framework(framework)))
