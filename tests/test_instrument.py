"""A study's own instrument.yaml: what it may declare, and one clear error per mistake."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from sqresearch.constructs import get_framework, list_frameworks
from sqresearch.constructs.instrument import instrument_template, load_instrument
from sqresearch.errors import InputError
from sqresearch.plan import analysis_plan, conditional_processes

BASE = """
constructs:
  - code: SOB
    items: [SOB1, SOB2, SOB3]
  - code: TRU
    name_zh: 信任
    scale: agree5
    items:
      - {code: TRU1, text_zh: 我信任这个品牌。}
      - {code: TRU2, text_zh: 这个品牌值得信赖。, reverse: 是}
      - {code: TRU3, text_zh: 这个品牌说到做到。}
  - {code: LOY}
demographics:
  - code: AGE
    levels: [25岁及以下, 26-35岁, 36岁及以上]
  - code: MAJOR
    question_zh: 您的专业是？
    levels: [[1, 文科, Humanities], [2, 理工科, Sciences]]
groups: [MAJOR]
controls: [AGE]
hypotheses:
  - {id: H1, kind: path, lhs: SOB, rhs: TRU, text_zh: 信任正向影响归属感。}
  - {id: H2a, kind: indirect, x: TRU, m: SOB, y: LOY, text_en: SOB mediates.}
"""


def write(tmp_path, text):
    path = tmp_path / "instrument.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_student_instrument_owns_its_constructs_levels_and_wording(tmp_path):
    fw = load_instrument(write(tmp_path, BASE))
    cat = fw.catalogue
    assert fw.constructs == ["SOB", "TRU", "LOY"]
    assert fw.blocks()["SOB"] == ["SOB1", "SOB2", "SOB3"]  # a subset of the catalogue's items
    assert cat.item("TRU2").reverse and not cat.item("TRU1").reverse  # 是/否 read as yes/no
    assert cat.item("TRU1").text("en") == "我信任这个品牌。"  # one language is enough
    assert cat.demographics["AGE"].labels("zh") == {1: "25岁及以下", 2: "26-35岁", 3: "36岁及以上"}
    assert list(cat.demographics) == ["AGE", "MAJOR"] and fw.groups == ["MAJOR"]
    assert set(cat.constructs) == {"SOB", "TRU", "LOY"}  # nothing else of the catalogue
    assert fw.hypotheses[1].id == "H2a" and fw.hypotheses[1].text("zh") == "SOB mediates."
    syntax = fw.model_syntax()
    assert "ind_TRU_SOB_LOY := a1*b1" in syntax and "TRU =~ TRU1 + TRU2 + TRU3" in syntax


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["constructs"].append({"code": "XYZ"}), r"'XYZ' is not in the catalogue"),
        (lambda d: d["hypotheses"].append({"id": "H3", "kind": "path", "lhs": "SOB", "rhs": "PIN",
                                           "text_zh": "x"}),
         r"hypotheses H3: rhs names 'PIN', which is not a declared construct"),
        (lambda d: d["constructs"][1]["items"].pop(), r"construct 'TRU': a latent construct needs 3"),
        (lambda d: d["hypotheses"].append(dict(d["hypotheses"][0], lhs="LOY")),
         r"duplicate hypothesis id 'H1'"),
        (lambda d: d["constructs"][1]["items"].append({"code": "SOB1", "text_zh": "x"}),
         r"code 'SOB1' is used twice"),
        (lambda d: d.update(controls=["INCOME"]), r"unknown fielded demographic 'INCOME' in controls"),
        (lambda d: d["constructs"][1]["items"][0].update(reverse="maybe"),
         r"reverse must be true or false"),
        (lambda d: d["hypotheses"].append({"id": "H9", "kind": "difference", "construct": "SOB",
                                           "by": "GENDER", "text_zh": "x"}),
         r"by names 'GENDER', which is not a fielded demographic"),
        (lambda d: d.update(colour="blue"), r"unknown key 'colour'"),
    ],
)
def test_each_mistake_is_one_line_naming_file_key_and_value(tmp_path, change, message):
    doc = yaml.safe_load(BASE)
    change(doc)
    path = tmp_path / "instrument.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_instrument(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_every_hypothesis_kind_and_the_plan_it_implies(tmp_path):
    doc = yaml.safe_load(BASE)
    doc["constructs"] += [{"code": "NBL"}, {"code": "ENG"}]
    doc["hypotheses"] = [
        {"id": "H1", "kind": "indirect", "x": "TRU", "m": ["SOB", "ENG"], "y": "LOY", "text_zh": "并行"},
        {"id": "H2", "kind": "indirect", "x": "NBL", "m": ["SOB", "ENG"], "y": "LOY", "serial": True,
         "text_zh": "链式"},
        {"id": "H3", "kind": "moderated_mediation", "x": "TRU", "m": "SOB", "y": "LOY", "w": "NBL",
         "stage": "second", "text_zh": "有调节的中介"},
        {"id": "H4", "kind": "difference", "construct": "LOY", "by": "MAJOR", "text_zh": "差异"},
    ]  # fmt: skip
    path = tmp_path / "instrument.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    fw = load_instrument(path)
    syntax = fw.model_syntax()
    assert "tind_TRU_LOY" in syntax  # parallel: the total indirect effect is tested
    assert "ind_NBL_SOB_ENG_LOY" in syntax and "ENG ~ " in syntax  # serial chain
    assert fw.hypothesis_parameters() == {"H1": "tind_TRU_LOY", "H2": "ind_NBL_SOB_ENG_LOY",
                                          "H3": None, "H4": None}  # fmt: skip
    assert [(c.model, c.hypothesis) for c in conditional_processes(fw)] == [(14, "H3")]
    plan = analysis_plan(fw, lang="en")
    assert plan.runs("mediation") and plan.runs("moderated_mediation") and plan.runs("differences")
    assert not plan.runs("moderation") and not plan.runs("regression")
    assert plan.why("regression") == "skipped: the study has no regression hypothesis"


def test_second_order_construct(tmp_path):
    doc = yaml.safe_load(BASE)
    doc["constructs"] += [{"code": "BRD"}, {"code": "CUL"}, {"code": "PRO"},
                          {"code": "MKT", "name_zh": "营销组合", "dimensions": ["BRD", "CUL", "PRO"]}]
    doc["hypotheses"].append({"id": "H3", "kind": "path", "lhs": "LOY", "rhs": "MKT", "text_zh": "x"})
    path = tmp_path / "instrument.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    fw = load_instrument(path)
    assert fw.higher() == {"MKT": ["BRD", "CUL", "PRO"]} and "MKT" not in fw.blocks()
    syntax = fw.model_syntax()
    assert "MKT =~ BRD + CUL + PRO" in syntax and syntax.index("BRD =~") < syntax.index("MKT =~")
    assert fw.score_blocks()["MKT"][:2] == ["BRD1", "BRD2"]
    assert analysis_plan(fw).runs("second_order")
    doc["constructs"][-1]["dimensions"] = ["BRD", "CUL"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="at least 3 dimensions"):
        load_instrument(path)


@pytest.mark.parametrize("name", [*list_frameworks(), None])
def test_templates_round_trip(tmp_path, name):
    fw = load_instrument(write(tmp_path, instrument_template(name)))
    if name is not None:
        template = get_framework(name)
        assert fw.model_syntax() == template.model_syntax()
        assert fw.demographics == template.demographics and fw.groups == template.groups
