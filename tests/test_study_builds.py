"""Studies other than the shipped one build end to end: the analysis plan and the chapter follow them.

Slow: each case runs the whole build (notebooks headless, chapter, PDF for one
of them). The default study is built by tests/test_notebooks.py,
``maslow_belonging`` from the wheel by tests/test_wheel.py and
``community_layers`` by the README walkthrough (tests/test_readme.py); here
``tea_brand_factors`` from its own simulated export, random studies with
every kind of hypothesis in both languages, and the smallest study there is.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from studygen import random_study

from sqresearch.build import build
from sqresearch.datasets import write_example_data
from sqresearch.scaffold import scaffold
from sqresearch.study import load_study

SMALL = {"SQRESEARCH_BOOTSTRAP": "200", "SQRESEARCH_SEM_BOOTSTRAP": "50"}


@pytest.fixture(autouse=True)
def _small_resamples(monkeypatch):
    for key, value in SMALL.items():
        monkeypatch.setenv(key, value)


def _chapter_matches_plan(folder):
    """Every input of the chapter exists, and each planned analysis appears exactly when it runs."""
    study = load_study(folder / "study.yaml")
    paper = study.paper
    chapter = (paper / "chapter.tex").read_text(encoding="utf-8")
    inputs = re.findall(r"\\input\{([^}]+)\}", chapter)
    graphics = re.findall(r"\\includegraphics(?:\[[^\]]*\])?\{([^}]+)\}", chapter)
    missing = [i for i in inputs if not (paper / f"{i}.tex").is_file()]
    missing += [g for g in graphics if not (paper / "figures" / f"{g}.pdf").is_file()]
    assert not missing, missing
    plan = study.plan
    tables = {p.stem for p in (paper / "tables").glob("*.tex")}
    assert any(t.startswith("07_mediation_") for t in tables) == plan.runs("mediation")
    assert any(t.startswith("07_moderation_") for t in tables) == plan.runs("moderation")
    assert ("07_moderated_mediation" in tables) == plan.runs("moderated_mediation")
    assert ("04_htmt" in tables) == plan.runs("discriminant")
    assert any(t.startswith("05_diff_") for t in tables) == plan.runs("differences")
    assert ("08_paths" in tables) == plan.runs("sem")
    assert ("08_pls_paths" in tables) == plan.runs("pls")
    assert any(t.startswith("06_regression_") for t in tables) == plan.runs("regression")
    # every hypothesis is decided in the summary, nothing else is
    summary = json.loads((paper / "results" / "09_hypotheses_robustness.json").read_text("utf-8"))
    assert [row["id"] for row in summary["summary"]] == [h.id for h in study.framework.hypotheses]
    assert all(row["reason"] != "missing" for row in summary["summary"])
    # nothing of the shipped catalogue the study does not use
    used = set(study.framework.constructs)
    for code in ("BRD", "CVA", "NBL", "PIN"):
        if code not in used:
            assert f"({code})" not in chapter
    return study


@pytest.mark.slow
def test_tea_brand_factors_builds_from_its_own_example_export_with_a_pilot(tmp_path):
    folder = tmp_path / "factors"
    scaffold(folder, "tea_brand_factors", lang="en", example_data=True, seed=7)
    study = load_study(folder / "study.yaml")
    pilot = write_example_data(tmp_path / "pilot", study.framework, 8, lang="en", n_rows=120)
    shutil.copy(pilot["raw"], folder / "data/raw/pilot.xlsx")
    config = folder / "study.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "pilot: data/raw/pilot.xlsx\n", "utf-8")
    result = build(config, pdf=False)
    assert len(result["notebooks"]) == 10
    study = _chapter_matches_plan(folder)
    assert study.plan.runs("pilot") and (study.tables / "01_pilot_items.tex").is_file()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "lang", "pdf", "method"), [(11, "zh", True, "sem"), (12, "en", False, "pls")]
)
def test_random_studies_build(tmp_path, seed, lang, pdf, method):
    config = random_study(seed, tmp_path / f"s{seed}", lang, kinds=("path", "indirect", "moderation",
                          "moderated_mediation", "regression", "difference"))  # fmt: skip
    config.write_text(config.read_text(encoding="utf-8") + f"method: {method}\n", "utf-8")
    result = build(config, pdf=pdf)
    study = _chapter_matches_plan(config.parent)
    if pdf and shutil.which("xelatex") and shutil.which("latexmk"):
        assert result["pdf"] == study.paper / "main.pdf"


@pytest.mark.slow
def test_one_construct_one_hypothesis_study_builds(tmp_path):
    config = random_study(5, tmp_path / "one", "zh", n_constructs=1, n_hypotheses=1,
                          kinds=("difference",))  # fmt: skip
    build(config, pdf=False)
    study = _chapter_matches_plan(config.parent)
    assert not study.plan.runs("discriminant") and not study.plan.runs("sem")
    chapter = (study.paper / "chapter.tex").read_text(encoding="utf-8")
    assert "区分效度" not in chapter and "结构方程模型" not in chapter
