"""The report language is chosen once (the study's), not passed through every call."""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml

from sqresearch.errors import InputError
from sqresearch.measure.reliability import reliability_table
from sqresearch.paths import ROOT, STUDY_CONFIG
from sqresearch.report import efa as report_efa
from sqresearch.report import reliability as report_reliability
from sqresearch.report import sem as report_sem
from sqresearch.report.labels import active_language, check_lang, use_language
from sqresearch.report.tables import ThesisTable
from sqresearch.study import load_study

# lavaan HolzingerSwineford1939 three-factor CFA (lavaan 0.6 tutorial output).
FIT = {"chisq": 85.306, "df": 24, "cfi": 0.931, "tli": 0.896, "rmsea": 0.092, "srmr": 0.065}


def english_study(tmp_path):
    config = yaml.safe_load(STUDY_CONFIG.read_text(encoding="utf-8")) | {"language": "en"}
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.copy(ROOT / "instrument.yaml", tmp_path / "instrument.yaml")
    return load_study(path)


def test_chinese_until_a_study_says_otherwise():
    assert active_language() == "zh" and check_lang(None) == "zh"
    assert report_sem.fit_text(FIT).startswith("模型")
    assert report_sem.fit_table(FIT).lang == "zh"


def test_load_study_sets_the_language_of_every_call_without_lang(tmp_path):
    study = english_study(tmp_path)
    assert study.language == "en" and active_language() == "en"
    assert report_sem.fit_text(FIT).startswith("The model fits only partly")
    table = report_sem.fit_table(FIT)
    assert table.lang == "en" and list(table.to_frame().columns)[0] == "Index"
    assert ThesisTable(pd.DataFrame({"a": [1]})).lang == "en"
    eigen = pd.DataFrame({"eigenvalue": [2.5, 1.2, 0.4]}, index=[1, 2, 3])
    figure = report_efa.scree_plot(eigen)
    assert figure.axes[0].get_ylabel() == "Eigenvalue"
    plt.close(figure)


def test_an_explicit_lang_overrides_the_study_language(tmp_path):
    english_study(tmp_path)
    assert report_sem.fit_text(FIT, lang="zh").startswith("模型")
    assert report_sem.fit_table(FIT, lang="zh").to_frame().columns[0] == "指标"
    use_language("zh")
    assert report_sem.fit_text(FIT, lang="en").startswith("The model")


def test_reliability_table_and_text_follow_the_active_language():
    rng = np.random.default_rng(1)
    common = rng.normal(size=200)
    data = pd.DataFrame({f"SOB{i}": common + rng.normal(size=200) for i in range(1, 5)})
    rel = reliability_table(data, {"SOB": list(data.columns)})
    chinese = report_reliability.reliability_text(rel)
    use_language("en")
    english = report_reliability.reliability_text(rel)
    assert "信度" in chinese and "reliab" in english.lower() and english != chinese
    assert report_reliability.reliability_text(rel, lang="zh") == chinese
    assert report_reliability.reliability_table(rel).lang == "en"


def test_an_unknown_language_is_refused():
    with pytest.raises(InputError, match="unknown language"):
        use_language("fr")
    assert active_language() == "zh"


def test_captions_diagrams_and_questionnaire_follow_the_active_language():
    from sqresearch.report.chapter import caption
    from sqresearch.report.diagrams import sem_path_diagram
    from sqresearch.report.questionnaire import build_questionnaire, to_markdown

    estimates = pd.DataFrame(
        {"lhs": ["CVA"], "op": ["~"], "rhs": ["BRD"], "std_all": [0.4], "pvalue": [0.001]}
    )
    questionnaire = build_questionnaire("tea_brand_factors")
    zh = caption("scree"), to_markdown(questionnaire).splitlines()[0]
    use_language("en")
    en = caption("scree"), to_markdown(questionnaire).splitlines()[0]
    texts = [t.get_text() for t in sem_path_diagram(estimates, engine="layers").findobj(plt.Text)]
    plt.close("all")
    assert zh[0] != en[0] and en[0].isascii() and not zh[0].isascii()
    assert en[1].isascii() and not zh[1].isascii()
    assert any(t.isascii() and t.strip() for t in texts) and all(t.isascii() for t in texts)
