"""Random studies (tests/studygen.py) load, pass the preflight and clean.

Twenty random studies (2-8 constructs, new and from the catalogue, every kind
of hypothesis, their own demographic levels, zh and en, 150-600 rows) load
with ``load_study``, pass ``preflight`` and clean with received = analysed +
exclusions; so do a one-construct one-hypothesis study and a study of
constructs the catalogue does not have, whose CFA converges.
"""

from __future__ import annotations

import warnings

import pytest
from studygen import KINDS, random_study

from sqresearch.check import preflight
from sqresearch.clean.pipeline import CleaningWarning, clean_survey
from sqresearch.constructs import load_catalogue
from sqresearch.report.cleaning import cleaning_report
from sqresearch.sem.fit import fit_sem
from sqresearch.study import load_study

SEEDS = range(20)


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    root = tmp_path_factory.mktemp("random")
    return {seed: load_study(random_study(seed, root / f"s{seed}")) for seed in SEEDS}


def _clean(study):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        return clean_survey(study.raw, study.codebook)


def _flow_adds_up(result) -> None:
    flow = result.flow.set_index("step")["n"]
    assert flow["received"] == flow["analysed"] + flow.drop(["received", "analysed"]).sum()
    assert flow["analysed"] == len(result.data) > 0.8 * flow["received"] - 60


def test_random_studies_cover_what_the_generator_promises(studies):
    catalogue = load_catalogue()
    kinds = {h.kind for s in studies.values() for h in s.framework.hypotheses}
    assert kinds == set(KINDS)
    assert {s.language for s in studies.values()} == {"zh", "en"}
    sizes = [len(s.framework.constructs) for s in studies.values()]
    assert min(sizes) >= 2 and max(sizes) <= 8 and len(set(sizes)) >= 4
    for s in studies.values():
        for items in s.framework.blocks().values():
            assert 3 <= len(items) <= 6
    codes = {c for s in studies.values() for c in s.framework.constructs}
    assert codes - set(catalogue.constructs) and codes & set(catalogue.constructs)
    mediators = [
        h for s in studies.values() for h in s.framework.hypotheses if h.kind == "indirect"
    ]
    assert {len(h.mediators) for h in mediators} == {1, 2}
    assert {h.serial for h in mediators if len(h.mediators) == 2} == {True, False}
    # own level sets of catalogue demographics, and new demographics
    levels = {
        (code, tuple(lv.label_zh for lv in s.framework.catalogue.demographics[code].levels))
        for s in studies.values()
        for code in s.framework.demographics
    }
    own = {code for code, labels in levels if code in catalogue.demographics and labels != tuple(
        lv.label_zh for lv in catalogue.demographics[code].levels)}  # fmt: skip
    assert own and {code for code, _ in levels} - set(catalogue.demographics)
    rows = [len(s.raw.read_text(encoding="utf-8-sig").splitlines()) - 1 for s in studies.values()]
    assert min(rows) >= 150 and max(rows) <= 600


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_study_passes_the_preflight_and_cleans(studies, seed):
    study = studies[seed]
    result = preflight(study)
    assert result.ok, result.problems.to_string()
    _flow_adds_up(_clean(study))


def test_preflight_lists_every_problem_of_a_broken_study(tmp_path):
    import pandas as pd
    import yaml

    study = load_study(random_study(3, tmp_path, "zh"))
    fw = study.framework
    book = yaml.safe_load(study.codebook.read_text(encoding="utf-8"))
    # 1. an item the instrument needs is no longer mapped
    item = fw.blocks()[fw.latent()[0]][0]
    del book["items"][item]
    # 2. a control/demographic no longer mapped
    demo = fw.demographics[-1]
    demo_column = book["demographics"][demo]["column"]
    del book["demographics"][demo]
    # 3. a reverse key the instrument does not have
    keyed = fw.blocks()[fw.latent()[-1]][0]
    book["items"][keyed]["reverse"] = not book["items"][keyed]["reverse"]
    study.codebook.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    # 4. an undeclared level and 5. a label with no number, in the data
    data = pd.read_csv(study.raw, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    age = fw.demographics[0]
    age_column = next(c for c in data.columns if c.startswith("1、") or c.startswith("2、")
                      if c.split("、", 1)[1] == fw.catalogue.demographics[age].question_zh)  # fmt: skip
    declared = {lv.label_zh for lv in fw.catalogue.demographics[age].levels}
    undeclared = "50岁以上" if "50岁以上" not in declared else "60岁以上"
    answered = data.index[data[age_column] != "(跳过)"]
    data.loc[answered[[3, 8]], age_column] = undeclared
    other = fw.blocks()[fw.latent()[-1]][-1]
    other_column = book["items"][other]["column"]
    data.loc[answered[[5, 6, 7]], other_column] = "很同意"
    data.to_csv(study.raw, index=False, encoding="utf-8-sig")

    result = preflight(study)
    assert not result.ok
    problems = result.problems
    by_column = {c: block for c, block in problems.groupby("column")}
    assert "not mapped by the codebook" in by_column[item]["problem"].iloc[0]
    assert by_column[item]["file"].iloc[0] == str(study.codebook)
    assert "does not map it" in by_column[demo]["problem"].iloc[0]
    assert "reverse-keyed in" in by_column[keyed]["problem"].iloc[0]
    level = by_column[age_column]
    assert level["value"].tolist() == [undeclared]
    assert level["row"].iloc[0] == int(data.loc[answered[3], "序号"])  # rows by 序号
    assert level["problem"].iloc[0].startswith("2 answer(s)")
    assert level["file"].iloc[0] == str(study.raw)
    label = by_column[other_column]
    assert label["value"].tolist() == ["很同意"] and label["problem"].iloc[0].startswith(
        "3 answer(s)"
    )
    ids = ", ".join(data.loc[answered[[5, 6, 7]], "序号"])
    assert f"(rows {ids})" in label["problem"].iloc[0]
    assert demo_column not in set(
        problems["column"]
    )  # the unmapped demographic's column is not judged
    document = result.to_dict()
    assert document["ok"] is False and document["n_problems"] == len(problems) == 5
    assert all(set(p) == {"file", "column", "row", "value", "problem", "hint"}
               for p in document["problems"])  # fmt: skip
    assert "✗" in result._repr_html_()


def test_preflight_rows_without_an_id_are_1_based_data_rows(tmp_path):
    import pandas as pd
    import yaml

    study = load_study(random_study(5, tmp_path, "en"))
    book = yaml.safe_load(study.codebook.read_text(encoding="utf-8"))
    book["id"] = None
    study.codebook.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    data = pd.read_csv(study.raw, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    column = book["items"][study.framework.blocks()[study.framework.latent()[0]][0]]["column"]
    data.loc[9, column] = "Kind of"
    data.to_csv(study.raw, index=False, encoding="utf-8-sig")
    problems = preflight(study).problems
    assert problems[["column", "row", "value"]].values.tolist() == [[column, 10, "Kind of"]]


def test_preflight_reports_a_study_that_does_not_load(tmp_path):
    study = random_study(6, tmp_path)
    text = (tmp_path / "instrument.yaml").read_text(encoding="utf-8")
    broken = "hypotheses:\n- {id: HX, kind: path, lhs: NOPE, rhs: NOPE2, text_en: x}"
    (tmp_path / "instrument.yaml").write_text(
        text.replace("hypotheses:", broken, 1), encoding="utf-8"
    )
    result = preflight(study)
    assert not result.ok and len(result.problems) == 1
    assert "NOPE" in result.problems["problem"].iloc[0]


def test_sqresearch_check_cli(tmp_path, capsys):
    import json

    from sqresearch.cli import main

    study = random_study(7, tmp_path)
    assert main(["check", str(study), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    (tmp_path / "data" / "raw").joinpath("wjx_export_text.csv").unlink()
    assert main(["check", str(study)]) == 2
    err = capsys.readouterr().err
    assert "the raw export does not exist" in err and "1 problem(s)" in err


def test_a_one_construct_one_hypothesis_study(tmp_path):
    study = load_study(random_study(11, tmp_path, "zh", n_constructs=1, n_hypotheses=1))
    fw = study.framework
    assert len(fw.constructs) == 1 and [h.kind for h in fw.hypotheses] == ["difference"]
    assert preflight(study).ok
    _flow_adds_up(_clean(study))


def test_a_study_of_constructs_not_in_the_catalogue(tmp_path):
    study = load_study(random_study(12, tmp_path, "en", n_constructs=3, new_constructs=3,
                                    kinds=("path", "indirect")))  # fmt: skip
    fw = study.framework
    assert not set(fw.constructs) & set(load_catalogue().constructs)
    assert preflight(study).ok
    result = _clean(study)
    _flow_adds_up(result)
    result.write(study.processed, report=cleaning_report(result))  # in the study's language, en
    assert "# Data cleaning report" in (study.processed / "cleaning_report.md").read_text(encoding="utf-8")
    fit = fit_sem(fw.model_syntax(), study.analysis_data())
    assert fit.converged
    paths = fit.estimates.query("op == '~'")
    assert (paths["std_all"] > 0).all()  # every planted path is positive
