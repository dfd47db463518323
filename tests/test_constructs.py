"""The construct library: catalogue content, validation errors, frameworks and lavaan syntax."""

from __future__ import annotations

import re
import shutil

import pytest
import semopy
import yaml

from sqresearch.constructs import (
    REFERENCES_BIB,
    get_framework,
    list_frameworks,
    load_catalogue,
)
from sqresearch.constructs.load import FILES
from sqresearch.errors import InputError
from sqresearch.paths import CONSTRUCTS_DIR

# FRAMEWORKS.md: the three required frameworks and the outcomes.
REQUIRED = {
    "tea_brand_factors": ["BRD", "CUL", "PRO", "PUB"],
    "community_layers": ["CVA", "IRI", "CEX"],
    "maslow_belonging": ["NBL", "SOB", "STAGE"],
}
OUTCOMES = ["ENG", "LOY", "PIN", "WOM"]
DEMOGRAPHICS = ["GENDER", "AGE", "EDU", "INCOME", "TENURE", "STAGE"]
# HELPERS.md / the issue: references the paper cites for its methods.
METHOD_KEYS = [
    "fornell1981evaluating",
    "henseler2015new",
    "hayes2022introduction",
    "wen2014mediation",
    "chen2007sensitivity",
    "podsakoff2003common",
    "hu1999cutoff",
    "rosseel2012lavaan",
]


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


# -- content -------------------------------------------------------------


def test_every_required_code_is_present_in_both_languages(cat):
    codes = [c for group in REQUIRED.values() for c in group] + OUTCOMES
    for code in codes:
        construct = cat.constructs[code]
        for lang in ("zh", "en"):
            assert construct.name(lang).strip() and construct.definition(lang).strip()
        assert construct.source.startswith("seed 00")
        assert construct.adapted_from and construct.bibkey
        for item in construct.items:
            assert item.text("zh").strip() and item.text("en").strip()
            # Chinese wording is Chinese, English wording is not
            assert re.search(r"[\u4e00-\u9fff]", item.text_zh)
            assert not re.search(r"[\u4e00-\u9fff]", item.text_en)


def test_latent_constructs_have_3_to_6_numbered_items_on_a_5_or_7_point_scale(cat):
    for code, construct in cat.constructs.items():
        if construct.kind == "single":
            assert len(construct.items) == 1
            continue
        assert 3 <= len(construct.items) <= 6, code
        assert construct.item_codes == [f"{code}{i}" for i in range(1, len(construct.items) + 1)]
        for item in construct.items:
            assert item.construct == code
            assert item.scale.points in (5, 7)
            assert (
                len(item.scale.anchors("zh")) == len(item.scale.anchors("en")) == item.scale.points
            )


def test_item_texts_are_unique(cat):
    texts = [i.text_zh for c in cat.constructs.values() for i in c.items]
    texts_en = [i.text_en for c in cat.constructs.values() for i in c.items]
    assert len(set(texts)) == len(texts) and len(set(texts_en)) == len(texts_en)


def test_multifaceted_constructs_cover_their_sub_dimensions(cat):
    # FRAMEWORKS.md: CVA covers price, quality, emotional and social value; CEX sensory and peak.
    cva = {i.facet.split(" (")[0] for i in cat.constructs["CVA"].items}
    assert cva == {"price value", "quality value", "emotional value", "social value"}
    assert {i.facet for i in cat.constructs["CEX"].items} == {
        "sensory experience",
        "peak experience",
    }
    iri = {i.facet for i in cat.constructs["IRI"].items}
    assert {"mutual focus of attention", "shared mood", "emotional energy"} <= iri


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_required_framework_has_a_reverse_keyed_item(name):
    framework = get_framework(name)
    assert set(REQUIRED[name]) <= set(framework.constructs)
    reverse = framework.reverse_items()
    assert reverse, name
    assert all(load_catalogue().item(code).reverse for code in reverse)


def test_scales_anchor_labels(cat):
    assert cat.scales["agree5"].anchors("zh") == [
        "非常不同意",
        "不同意",
        "一般",
        "同意",
        "非常同意",
    ]
    assert cat.scales["agree5"].anchors("en")[0] == "Strongly disagree"
    assert cat.scales["agree7"].points == 7


def test_demographics_and_stage(cat):
    assert list(cat.demographics) == DEMOGRAPHICS
    for d in cat.demographics.values():
        assert [lv.value for lv in d.levels] == list(range(1, len(d.levels) + 1))
        assert d.question("zh") and d.question("en")
    stage = cat.demographics["STAGE"]
    assert [lv.label_zh[:2] for lv in stage.levels] == ["客户", "用户", "粉丝", "朋友"]
    # the STAGE construct is the same question, as an ordinal single item coded 1..4
    item = cat.item("STAGE")
    assert cat.constructs["STAGE"].kind == "single"
    assert item.text_zh == stage.question_zh and item.scale.points == 4
    assert "元" in cat.demographics["INCOME"].labels("zh")[1]


def test_attention_check_expects_the_answer_its_text_asks_for(cat):
    (att,) = cat.attention_checks
    assert att.code == "ATT1" and cat.item("ATT1") is att
    answer = att.scale.anchors("zh")[att.expected - 1]
    assert answer == "同意" and f"“{answer}”" in att.text_zh
    assert f'"{att.scale.anchors("en")[att.expected - 1]}"' in att.text_en


def test_instrument_texts(cat):
    ins = cat.instrument
    for part in ("title", "consent", "instructions", "closing", "screen_out"):
        assert ins.text(part, "zh") and ins.text(part, "en")
    assert ins.screening.labels("zh") == {1: "是", 2: "否"}
    assert ins.screening_eligible == [1]


def test_unknown_codes_and_languages_raise(cat):
    with pytest.raises(InputError, match="unknown item code 'XYZ1'"):
        cat.item("XYZ1")
    with pytest.raises(InputError, match="unknown language 'fr'"):
        cat.constructs["CVA"].name("fr")
    with pytest.raises(InputError, match="unknown framework 'nope'.*tea_brand_community"):
        get_framework("nope")


# -- references ----------------------------------------------------------


def _bib_keys() -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", REFERENCES_BIB.read_text(encoding="utf-8"), flags=re.M)


def test_references_bib_has_every_bibkey_once(cat):
    keys = _bib_keys()
    assert len(keys) == len(set(keys))
    for construct in cat.constructs.values():
        cited = construct.bibkey.split(",")
        assert set(cited) <= set(keys), construct.code
        # one full reference per key in adapted_from
        assert len(construct.adapted_from.split("; ")) == len(cited), construct.code
    assert set(METHOD_KEYS) <= set(keys)


def test_references_bib_braces_balance():
    text = REFERENCES_BIB.read_text(encoding="utf-8")
    for entry in re.split(r"\n(?=@)", text)[1:]:
        assert entry.count("{") == entry.count("}"), entry[:40]


# -- frameworks ----------------------------------------------------------


def test_frameworks_listed():
    assert list_frameworks() == [
        "tea_brand_factors",
        "community_layers",
        "maslow_belonging",
        "tea_brand_community",
    ]


@pytest.mark.parametrize(
    "name", ["tea_brand_factors", "community_layers", "maslow_belonging", "tea_brand_community"]
)
def test_hypotheses_reference_framework_constructs(name, cat):
    framework = get_framework(name)
    assert [h.id for h in framework.hypotheses] == [
        f"H{i}" for i in range(1, len(framework.hypotheses) + 1)
    ]
    for h in framework.hypotheses:
        assert set(h.constructs) <= set(framework.constructs) <= set(cat.constructs)
        assert h.sign in (1, -1) and h.text("zh") and h.text("en")
    assert set(framework.controls) <= set(cat.demographics)
    table = framework.hypotheses_table("en")
    assert list(table.columns) == ["id", "kind", "path", "sign", "parameter", "hypothesis"]
    assert len(table) == len(framework.hypotheses)


def test_default_study_model_syntax_is_exact():
    # Written by hand from FRAMEWORKS.md ("default study"): CVA, IRI, CEX -> SOB -> LOY, PIN;
    # the mediation block follows lavaan's tutorial (Y ~ c*X; M ~ a*X; Y ~ b*M; ab := a*b;
    # total := c + (a*b)).
    expected = """# 1. latent variables
CVA =~ CVA1 + CVA2 + CVA3 + CVA4 + CVA5
IRI =~ IRI1 + IRI2 + IRI3 + IRI4 + IRI5
CEX =~ CEX1 + CEX2 + CEX3 + CEX4
SOB =~ SOB1 + SOB2 + SOB3 + SOB4
LOY =~ LOY1 + LOY2 + LOY3 + LOY4
PIN =~ PIN1 + PIN2 + PIN3 + PIN4

# 2. regressions
SOB ~ a1*CVA + a2*IRI + a3*CEX
LOY ~ b1*SOB + c1*CVA + c2*IRI + c3*CEX
PIN ~ b2*SOB

# 3. defined parameters
ind_CVA_SOB_LOY := a1*b1
ind_IRI_SOB_LOY := a2*b1
ind_CEX_SOB_LOY := a3*b1
tot_CVA_LOY := c1 + a1*b1
tot_IRI_LOY := c2 + a2*b1
tot_CEX_LOY := c3 + a3*b1
"""
    framework = get_framework("tea_brand_community")
    assert framework.model_syntax() == expected
    assert framework.hypothesis_parameters()["H1"] == "a1"
    assert framework.hypothesis_parameters()["H6"] == "ind_CVA_SOB_LOY"
    assert framework.hypothesis_parameters()["H9"] is None
    # the CFA holds every latent construct, NBL and the four tea factors included
    cfa = framework.cfa_syntax()
    assert cfa.startswith("# 1. latent variables\n")
    assert re.findall(r"^(\w+) =~", cfa, flags=re.M) == [
        "CVA", "IRI", "CEX", "SOB", "LOY", "PIN", "NBL", "BRD", "CUL", "PRO", "PUB"
    ]  # fmt: skip


def _without_defined(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if ":=" not in line)


@pytest.mark.parametrize(
    "name", ["tea_brand_factors", "community_layers", "maslow_belonging", "tea_brand_community"]
)
def test_semopy_parses_the_model_and_lists_its_variables(name):
    framework = get_framework(name)
    model = semopy.Model(_without_defined(framework.model_syntax()))
    sem = framework.sem_constructs()
    latent = [c for c in sem if c in framework.latent()]
    single = [c for c in sem if c not in latent]
    assert model.vars["latent"] == set(latent)
    items = [code for c in latent for code in framework.blocks()[c]]
    assert set(model.vars["observed"]) == set(items) | set(single)
    # every structural path of the hypotheses is a regression semopy knows
    regressions = {(lhs, rhs) for lhs, rhs in framework._edges()}
    parsed = set()
    for line in _without_defined(framework.structural_syntax()).splitlines():
        lhs, rhs = line.split(" ~ ")
        parsed |= {(lhs, term.split("*")[1]) for term in rhs.split(" + ")}
    assert parsed == regressions
    # a CFA model with every latent construct parses too
    cfa = semopy.Model(framework.cfa_syntax())
    assert cfa.vars["latent"] == set(framework.latent())


@pytest.mark.parametrize(
    "name", ["tea_brand_factors", "community_layers", "maslow_belonging", "tea_brand_community"]
)
def test_defined_parameters_use_labels_of_the_regressions(name):
    framework = get_framework(name)
    text = framework.structural_syntax()
    labels = set(re.findall(r"\b([abcdp]\d+)\*\w+", _without_defined(text)))
    for line in text.splitlines():
        if ":=" in line:
            used = set(re.findall(r"\b[abcdp]\d+\b", line.split(":=")[1]))
            assert used and used <= labels, line
    indirect = [h for h in framework.hypotheses if h.kind == "indirect"]
    assert text.count(":=") == len(indirect) + len({(h.x, h.y) for h in indirect})


def test_maslow_framework_uses_stage_as_an_observed_outcome():
    framework = get_framework("maslow_belonging")
    assert "STAGE ~ p2*SOB" in framework.structural_syntax()
    assert framework.items()["STAGE"] == "STAGE"
    assert "STAGE" not in framework.blocks()


# -- validation errors ---------------------------------------------------


def _library(tmp_path):
    for name in FILES:
        shutil.copy(CONSTRUCTS_DIR / name, tmp_path / name)
    return tmp_path


def _edit(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _construct(data, code):
    return next(c for c in data["constructs"] if c["code"] == code)


def _framework(data, name):
    return next(f for f in data["frameworks"] if f["name"] == name)


BAD = [
    (
        "catalogue.yaml",
        lambda d: d["constructs"].append(dict(_construct(d, "CVA"))),
        r"catalogue\.yaml: construct 'CVA': duplicate code 'CVA'",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "IRI")["items"][1].update(code="IRI1"),
        r"catalogue\.yaml: construct 'IRI' item #2: duplicate code 'IRI1'",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "SOB")["items"][2].pop("text_en"),
        r"catalogue\.yaml: construct 'SOB' item #3: missing field 'text_en'",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "SOB")["items"][2].update(text_zh="  "),
        r"catalogue\.yaml: construct 'SOB' item 'SOB3': missing wording 'text_zh' \(Chinese\)",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "LOY").update(name_en=""),
        r"catalogue\.yaml: construct 'LOY': missing wording 'name_en' \(English\)",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "PIN").update(scale="agree6"),
        r"catalogue\.yaml: construct 'PIN': unknown scale 'agree6'",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "PIN")["items"][0].update(scale="likert5"),
        r"catalogue\.yaml: construct 'PIN' item 'PIN1': unknown scale 'likert5'",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "WOM").update(items=_construct(d, "WOM")["items"][:2]),
        r"catalogue\.yaml: construct 'WOM': a latent construct needs 3-6 items, found 2",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "CVA")["items"].extend(
            [
                dict(_construct(d, "CVA")["items"][0], code="CVA6", text_zh="新6", text_en="n6"),
                dict(_construct(d, "CVA")["items"][0], code="CVA7", text_zh="新7", text_en="n7"),
            ]
        ),
        r"construct 'CVA': a latent construct needs 3-6 items, found 7",
    ),  # fmt: skip
    (
        "catalogue.yaml",
        lambda d: _construct(d, "ENG")["items"][0].update(code="LOY9"),
        r"construct 'ENG' item #1: code must be",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "ENG")["items"][0].update(text_ch="错"),
        r"construct 'ENG' item #1: unknown field 'text_ch'",
    ),
    (
        "catalogue.yaml",
        lambda d: _construct(d, "ENG")["items"][0].update(reverse="yes"),
        r"construct 'ENG' item 'ENG1': reverse must be true or false",
    ),
    (
        "scales.yaml",
        lambda d: d["scales"][0].update(anchors_en=["a", "b", "c", "d"]),
        r"scales\.yaml: scale 'agree5': anchors_en must list 5 non-empty labels",
    ),
    (
        "frameworks.yaml",
        lambda d: _framework(d, "community_layers")["constructs"].append("XYZ"),
        r"frameworks\.yaml: framework 'community_layers': unknown construct 'XYZ' in constructs",
    ),
    (
        "frameworks.yaml",
        lambda d: _framework(d, "tea_brand_community")["hypotheses"][3].update(lhs="WOM"),
        r"frameworks\.yaml: framework 'tea_brand_community' H4: lhs names 'WOM', which is not a declared construct",
    ),
    (
        "frameworks.yaml",
        lambda d: _framework(d, "tea_brand_community")["hypotheses"][5].update(m="XYZ"),
        r"framework 'tea_brand_community' H6: m names 'XYZ', which is not a declared construct",
    ),
    (
        "frameworks.yaml",
        lambda d: _framework(d, "tea_brand_factors")["hypotheses"][1].update(id="H7"),
        r"framework 'tea_brand_factors' hypothesis #2: id must be 'H2'",
    ),
    (
        "frameworks.yaml",
        lambda d: _framework(d, "tea_brand_factors")["controls"].append("HEIGHT"),
        r"unknown demographic 'HEIGHT' in controls",
    ),
    (
        "frameworks.yaml",
        lambda d: _framework(d, "maslow_belonging")["hypotheses"][0].update(sign=2),
        r"framework 'maslow_belonging' H1: sign must be 1 or -1",
    ),
    (
        "instrument.yaml",
        lambda d: d["attention_checks"][0].update(expected=6),
        r"instrument\.yaml: attention check 'ATT1': expected must be an answer 1\.\.5",
    ),
    (
        "instrument.yaml",
        lambda d: d.pop("consent_en"),
        r"instrument\.yaml: instrument: missing field 'consent_en'",
    ),
    (
        "demographics.yaml",
        lambda d: d["demographics"][1]["levels"][2].__setitem__(0, 2),
        r"demographics\.yaml: demographic 'AGE': level values must be distinct integers",
    ),
]


@pytest.mark.parametrize(("file", "change", "message"), BAD, ids=[m for _, _, m in BAD])
def test_validation_errors_name_file_code_and_field(tmp_path, file, change, message):
    folder = _library(tmp_path)
    _edit(folder, file, change)
    with pytest.raises(InputError) as info:
        load_catalogue(folder)
    assert re.search(message, str(info.value)), str(info.value)
    assert str(folder / file) in str(info.value)


def test_duplicate_yaml_keys_are_refused_with_their_line(tmp_path):
    folder = _library(tmp_path)
    path = folder / "scales.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    points: 5\n", "    points: 5\n    points: 7\n", 1), encoding="utf-8"
    )
    line = text.splitlines().index("    points: 5") + 2
    with pytest.raises(InputError, match=rf"scales\.yaml: line {line}: duplicate key 'points'"):
        load_catalogue(folder)


def test_broken_yaml_and_missing_files(tmp_path):
    folder = _library(tmp_path)
    (folder / "frameworks.yaml").write_text("frameworks: [\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"frameworks\.yaml: line \d+: invalid YAML"):
        load_catalogue(folder)
    (folder / "frameworks.yaml").unlink()
    with pytest.raises(InputError, match=r"frameworks\.yaml: catalogue file not found"):
        load_catalogue(folder)
    with pytest.raises(InputError, match="not a folder"):
        load_catalogue(folder / "nowhere")


def test_a_valid_copy_loads_like_the_shipped_library(tmp_path):
    copy = load_catalogue(_library(tmp_path))
    shipped = load_catalogue()
    assert copy.constructs == shipped.constructs
    assert (
        copy.frameworks["tea_brand_community"].model_syntax()
        == shipped.frameworks["tea_brand_community"].model_syntax()
    )


def test_chinese_wording_uses_full_width_punctuation(cat):
    texts = [t for c in cat.constructs.values() for t in (c.name_zh, c.definition_zh)]
    texts += [i.text_zh for c in cat.constructs.values() for i in c.items] + [
        cat.item("ATT1").text_zh
    ]
    texts += [d.question_zh for d in cat.demographics.values()]
    texts += [lv.label_zh for d in cat.demographics.values() for lv in d.levels]
    texts += [
        cat.instrument.text(p, "zh")
        for p in ("title", "consent", "instructions", "closing", "screen_out")
    ]
    texts += [h.text_zh for f in cat.frameworks.values() for h in f.hypotheses]
    for text in texts:
        assert not re.search(r"[,():?!;]", text), text
