"""Codebook inference on the benchmark questionnaires (bench/infer_cases): the targets of issue 15.

The cases are questionnaires written for the benchmark (paraphrased items,
shuffled blocks, zh and en, 问卷星 text and numeric forms, Credamo,
Qualtrics, a plain table, a study's own instrument); their true mapping is
in ``<case>.truth.yaml``.  ``bench/bench_infer.py`` scores a draft against
it; these tests hold the default cutoff to the targets.
"""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest
import yaml

from sqresearch.clean.codebook import Codebook
from sqresearch.clean.infer import DEFAULT_CUTOFF, attention_answer, infer_codebook
from sqresearch.clean.levels import natural_order, range_bounds
from sqresearch.io import RawSurvey
from sqresearch.paths import ROOT

_spec = importlib.util.spec_from_file_location("bench_infer", ROOT / "bench" / "bench_infer.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def table():
    return bench.run(DEFAULT_CUTOFF)


def test_benchmark_targets_at_default_cutoff(table):
    total = table.loc["total"]
    assert len(table) - 1 >= 6
    assert total["construct_ok"] / total["items"] >= 0.95
    assert total["cross"] == 0
    assert total["attention_ok"] == total["attention"] == len(table) - 1
    assert total["demo_levelled"] == total["demo_answers"]
    assert total["dropped"] == total["to_drop"]


def test_every_case_meets_the_targets(table):
    cases = table.drop(index="total")
    assert (cases["cross"] == 0).all()
    assert (cases["construct_ok"] / cases["items"] >= 0.9).all(), cases


@pytest.mark.slow
def test_a_missing_construct_is_never_applied_to_another():
    """Leave one true construct out of the candidates: its items are unsure or unmatched, never mapped."""
    counts = bench.leave_one_out(DEFAULT_CUTOFF)
    assert counts["runs"] >= 30 and counts["applied"] == 0


@pytest.mark.parametrize(
    "text, answer",
    [
        ("9、为保证作答质量，本题请选择“同意”", "同意"),
        ("本题请选非常不同意", "非常不同意"),
        ("此题选择“非常同意”", "非常同意"),
        ("这道题请您勾选「比较同意」", "比较同意"),
        ("Please select 'Strongly agree' for this item.", "Strongly agree"),
        ('please select "Disagree"', "Disagree"),
        ("To show you read this, choose Strongly agree.", "Strongly agree"),
        ("请根据您的真实感受，选择最符合您看法的选项", None),
        ("我会选择这个品牌的茶叶", None),
        ("I choose this brand over others", None),
    ],
)
def test_attention_patterns(text, answer):
    assert attention_answer(text) == answer


def test_levels_in_natural_order():
    assert natural_order(["50岁以上", "41-50岁", "18-25岁", "31-40岁", "26-30岁"]) == [
        "18-25岁", "26-30岁", "31-40岁", "41-50岁", "50岁以上",
    ]  # fmt: skip
    assert natural_order(["3年以上", "1-3年", "半年以内", "半年到1年"]) == [
        "半年以内", "半年到1年", "1-3年", "3年以上",
    ]  # fmt: skip
    assert natural_order(["More than 2 years", "1-2 years", "Less than 6 months", "6-12 months"])[
        0
    ] == ("Less than 6 months")
    assert natural_order(["20,000 or more", "Below 5,000", "5,000-9,999"]) == [
        "Below 5,000", "5,000-9,999", "20,000 or more",
    ]  # fmt: skip
    assert natural_order(["研究生及以上", "本科", "初中及以下", "大专", "高中/中专"]) == [
        "初中及以下", "高中/中专", "大专", "本科", "研究生及以上",
    ]  # fmt: skip
    assert range_bounds("41–50岁") == range_bounds("41-50岁") == range_bounds("41—50岁")


def test_demographic_levels_come_from_the_data_not_the_catalogue():
    raw, framework, _ = bench.load_case("wjx_text_community")
    book = infer_codebook(raw, framework).codebook()
    assert book.demographics["AGE"].levels == {
        "18-25岁": 1, "26-30岁": 2, "31-40岁": 3, "41-50岁": 4, "50岁以上": 5,
    }  # fmt: skip
    assert list(book.demographics["TENURE"].levels) == ["半年以内", "半年到1年", "1-3年", "3年以上"]
    assert book.attention_checks["ATT1"].expected == 4
    assert book.screening is not None and book.screening.column.startswith("6、")
    assert {"12、如愿意参加后续访谈，请留下您的手机号", "13、您的微信号", "来自IP"} <= set(
        book.drop
    )


def test_a_framework_object_brings_the_studys_own_instrument():
    """Constructs, demographics and attention check come from framework.catalogue; WOM from the fallback."""
    raw, framework, _ = bench.load_case("study_instrument_live")
    assert "LIV" not in bench.load_catalogue().constructs
    draft = infer_codebook(raw, framework)
    book = draft.codebook()
    assert book.framework == "live_stream_study"
    assert [c for c in book.items if c[:3] in ("LIV", "TRU", "PIN")] == [
        "LIV1", "LIV2", "LIV3", "LIV4", "TRU1", "TRU2", "TRU3", "PIN1", "PIN2", "PIN3",
    ]  # fmt: skip
    # the study's levels (not the shipped AGE's), matched through full-width dashes
    assert book.demographics["AGE"].levels == {"18-25岁": 1, "26－35岁": 2, "36岁及以上": 3}
    assert list(book.demographics["SPEND"].levels) == [
        "100元以下",
        "100-300元",
        "301-500元",
        "500元以上",
    ]
    assert book.attention_checks["ATT1"].expected == 2
    wom = draft.matches[draft.matches["construct"] == "WOM"]
    assert len(wom) == 4 and wom["note"].str.contains("not in the framework").all()


def test_a_block_split_across_constructs_is_reported():
    raw, framework, _ = bench.load_case("wjx_numeric_factors")
    draft = infer_codebook(raw, framework)
    blocks = draft.blocks.set_index("block")
    assert blocks.loc["10", "split"] and blocks.loc["10", "constructs"] in ("PIN, LOY", "LOY, PIN")
    assert not blocks.drop(index="10")["split"].any()
    assert "split across" in draft.summary()


def test_unsure_proposals_are_commented_and_can_be_accepted_or_edited():
    raw, framework, truth = bench.load_case("wjx_text_hard_zh")
    draft = infer_codebook(raw, framework, cutoff=0.99999)
    unsure = draft.unsure
    assert len(unsure) >= 4
    text = draft.dumps()
    book = Codebook.from_dict(yaml.safe_load(text))
    # unsure columns are never applied: not in items, listed as unmatched, proposed in a comment
    for row in unsure.itertuples():
        assert row.column not in [i.column for i in book.items.values()]
        assert row.column in book.unmatched
        assert f"  # {row.code}: {{column: {row.column}" in text
    html = draft._repr_html_()
    assert html.count("background:#fff3cd") == len(unsure)
    n = len(book.items)
    accepted = draft.accept().codebook()
    assert len(accepted.items) == n + int(unsure["code"].notna().sum())
    assert not set(accepted.unmatched) & set(unsure["column"])
    # edit: move a column to another item, leave one out, drop one, relabel a demographic
    column = next(c for c, code in truth["items"].items() if code == "CVA1")
    other = next(c for c, code in truth["items"].items() if code == "CVA2")
    draft.edit(column, "CVA2")
    book = draft.codebook()
    assert book.items["CVA2"].column == column and "CVA1" not in book.items
    assert other in book.unmatched
    draft.edit(column, None).drop(other).set_levels("GENDER", ["男", "女", "不愿透露"])
    book = draft.codebook()
    assert column in book.unmatched and other in book.drop
    assert book.demographics["GENDER"].levels == {"男": 1, "女": 2, "不愿透露": 3}
    assert draft.to_dict()["matches"][0]["status"] == "platform"


def test_matrix_questions_of_every_platform_are_blocks():
    for name, block in (
        ("credamo_belonging", "Q5"),
        ("qualtrics_layers_en", "Q5"),
        ("wjx_text_community", "7"),
    ):
        raw, framework, _ = bench.load_case(name)
        blocks = infer_codebook(raw, framework).blocks.set_index("block")
        assert blocks.loc[block, "mapped"] >= 4, name


def test_cutoff_is_checked():
    raw = RawSurvey(pd.DataFrame({"q": [1]}), None, "generic", "csv", None, "")
    with pytest.raises(Exception, match="cutoff"):
        infer_codebook(raw, cutoff=1.5)


def test_cli_infer_json_and_summary(capsys):
    import json

    from sqresearch.cli import main

    case = ROOT / "bench" / "infer_cases" / "wjx_numeric_factors.csv"
    assert main(["codebook", "infer", str(case), "--framework", "tea_brand_factors", "--json"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["form"] == "numeric" and doc["cutoff"] == DEFAULT_CUTOFF and doc["out"] is None
    assert {b["block"]: b["split"] for b in doc["blocks"]}["10"] is True
    assert sum(m["status"] == "mapped" and m["kind"] == "item" for m in doc["matches"]) == 24
    assert "block 10: PIN, LOY (split across constructs): 8 mapped, 0 unsure, 0 unmatched" in err
    assert main(["codebook", "infer", str(case), "--cutoff", "2"]) == 2
