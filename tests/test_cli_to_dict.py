"""Each JSON command prints exactly its result's ``to_dict()`` (issue 18 point 3).

The library call in each test is the one the command makes, with the same
arguments; the command's stdout must equal the result's document under the
contract's value rules (:func:`sqresearch.jsondoc.to_jsonable`, a JSON round
trip), apart from the command line's own facts (the files given, the files
written) that :func:`sqresearch.cli.jsonout.emit` puts around it.  Inputs
that trigger a warning must show it in the document's ``warnings``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.cli import main
from sqresearch.cli.inputs import read_data
from sqresearch.io import read_table
from sqresearch.jsondoc import to_jsonable

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
HS_SEM = HS_MODEL + "speed ~ visual + textual\n"
HS_ORTHOGONAL = HS_MODEL + "visual ~~ 0*speed\n"  # nested in HS_MODEL, one df more
ONE_FACTOR = "visual =~ x1 + x2 + x3 + x4\n"
REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw" / "wjx_tea_community_text.csv"
CODEBOOK = REPO / "data" / "codebook.yaml"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    out = {}
    models = {"model": HS_MODEL, "sem": HS_SEM, "orthogonal": HS_ORTHOGONAL, "one": ONE_FACTOR}
    for name, text in models.items():
        out[name] = folder / f"{name}.lav"
        out[name].write_text(text, encoding="utf-8")
    hs = holzinger39.get_data()
    out["hs"] = folder / "hs.csv"
    hs.to_csv(out["hs"], index=False)
    near = hs.assign(x1=1.0)  # 297 of 301 answers the same: nearly constant
    near.loc[hs["x2"].nlargest(4).index, "x1"] = [2.0, 3.0, 4.0, 5.0]
    out["hs_near"] = folder / "hs_near.csv"
    near.to_csv(out["hs_near"], index=False)
    rng = np.random.default_rng(18)
    n = 150
    d = pd.DataFrame({"X": rng.normal(size=n), "W": rng.normal(size=n), "C": rng.normal(size=n)})
    d["M"] = 0.5 * d["X"] + rng.normal(size=n)
    d["Y"] = 0.4 * d["M"] + 0.3 * d["X"] * d["W"] + rng.normal(size=n)
    d["G"] = np.repeat([1, 2, 3], n // 3)
    out["survey"] = folder / "survey.csv"
    d.to_csv(out["survey"], index=False)
    out["near"] = folder / "near.csv"
    d.assign(X=[1.0] * (n - 3) + [2.0, 3.0, 4.0]).to_csv(out["near"], index=False)
    out["constant"] = folder / "constant.csv"
    hs.assign(x3=4.0).to_csv(out["constant"], index=False)
    out["power"] = folder / "power.yaml"
    out["power"].write_text(
        "population: |\n  Y ~ 0.3*X\nanalysis: {kind: ols, x: [X], y: Y}\n"
        "sample_sizes: [40, 80]\nn_rep: 20\nseed: 1\nn_jobs: 1\n",
        encoding="utf-8",
    )
    out["folder"] = folder
    return {k: v if k == "folder" else str(v) for k, v in out.items()}


def _printed(capsys, *argv) -> dict:
    status = main([*map(str, argv), "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return json.loads(captured.out)


def _document(result, *, inputs=None, outputs=None) -> dict:
    """The result's ``to_dict()`` as the command prints it, round-tripped through JSON."""
    doc = result if isinstance(result, dict) else result.to_dict()
    inputs, outputs = inputs or {}, outputs or {}
    doc = {**inputs, **{k: v for k, v in doc.items() if k not in inputs}, **outputs}
    return json.loads(json.dumps(to_jsonable(doc), allow_nan=False))


def _quiet(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def test_sem_prints_to_dict(files, capsys):
    from sqresearch.sem.fit import fit_sem

    printed = _printed(capsys, "sem", files["sem"], files["hs"])
    assert printed == _document(_quiet(fit_sem, HS_SEM, read_data(files["hs"]), check=True))
    printed = _printed(capsys, "sem", files["model"], files["hs"], "--group", "school")
    expected = _quiet(fit_sem, HS_MODEL, read_data(files["hs"]), group="school", check=True)
    assert printed == _document(expected)
    assert set(printed) >= {"n", "fit", "estimates", "r2", "validity", "warnings", "groups"}


def test_sem_warns_about_a_nearly_constant_item(files, capsys):
    from sqresearch.sem.fit import fit_sem

    printed = _printed(capsys, "sem", files["one"], files["hs_near"])
    assert printed == _document(_quiet(fit_sem, ONE_FACTOR, read_data(files["hs_near"]), check=True))
    assert any("'x1'" in w and "nearly constant" in w for w in printed["warnings"])


def test_mediate_and_moderate_print_to_dict(files, capsys):
    from sqresearch.model.process import process

    data = read_data(files["survey"])
    printed = _printed(
        capsys, "mediate", files["survey"], "--x", "X", "--y", "Y", "--m", "M", "--cov", "C",
        "--boot", "200", "--seed", "3",
    )  # fmt: skip
    expected = process(data, 4, x="X", y="Y", m=["M"], covariates=["C"], n_boot=200, seed=3)
    assert printed == _document(expected)
    printed = _printed(capsys, "moderate", files["survey"], "--x", "X", "--y", "Y", "--w", "W")
    assert printed == _document(process(data, 1, x="X", y="Y", w="W", covariates=[], n_boot=0))
    assert printed["warnings"] == []


def test_mediate_and_moderate_warn_about_a_nearly_constant_x(files, capsys):
    from sqresearch.model.process import process

    data = read_data(files["near"])
    printed = _printed(
        capsys, "mediate", files["near"], "--x", "X", "--y", "Y", "--m", "M", "--boot", "100",
        "--seed", "1",
    )  # fmt: skip
    expected = _quiet(process, data, 4, x="X", y="Y", m=["M"], covariates=[], n_boot=100, seed=1)
    assert printed == _document(expected)
    assert any("nearly constant" in w for w in printed["warnings"])
    printed = _printed(capsys, "moderate", files["near"], "--x", "X", "--y", "Y", "--w", "W")
    expected = _quiet(process, data, 1, x="X", y="Y", w="W", covariates=[], n_boot=0)
    assert printed == _document(expected)
    assert any("nearly constant" in w for w in printed["warnings"])
    assert "nearly constant" in expected._repr_html_()


def test_compare_prints_to_dict(files, capsys):
    from sqresearch.model.groups import compare_scales

    printed = _printed(capsys, "compare", files["survey"], "--by", "G", "--var", "S=X,M", "--var", "Y")
    expected = compare_scales(
        read_data(files["survey"]), {"S": ["X", "M"], "Y": ["Y"]}, "G", posthoc_method="tukey",
        labels=None, order=None,
    )  # fmt: skip
    assert printed == _document(expected)
    printed = _printed(capsys, "compare", files["near"], "--by", "G", "--var", "X")
    expected = _quiet(
        compare_scales, read_data(files["near"]), {"X": ["X"]}, "G", posthoc_method="tukey",
        labels=None, order=None,
    )  # fmt: skip
    assert printed == _document(expected)
    assert any("nearly constant" in w for w in printed["warnings"])


def test_invariance_prints_to_dict(files, capsys):
    from sqresearch.sem.invariance import measurement_invariance

    printed = _printed(capsys, "invariance", files["model"], files["hs"], "--group", "school")
    expected = _quiet(
        measurement_invariance, HS_MODEL, read_data(files["hs"]), "school", group_partial=None,
        missing="listwise", rule="chen",
    )  # fmt: skip
    assert printed == _document(expected)
    assert all({"flagged", "warnings"} <= set(step) for step in printed["steps"])
    assert "Measurement invariance" in expected._repr_html_()


def test_reliability_prints_to_dict_with_its_warnings(files, capsys):
    from sqresearch.measure.reliability import reliability_table

    scales = {"visual": ["x1", "x2", "x3"], "speed": ["x7", "x8", "x9"]}
    printed = _printed(capsys, "reliability", files["hs"], "--scale", "visual=x1,x2,x3", "--scale", "speed=x7,x8,x9")
    assert printed == _document(reliability_table(read_data(files["hs"]), scales))
    assert printed["warnings"] == []
    printed = _printed(capsys, "reliability", files["constant"], "--scale", "visual=x1,x2,x3")
    expected = _quiet(reliability_table, read_data(files["constant"]), {"visual": ["x1", "x2", "x3"]})
    assert printed == _document(expected)
    assert any("'x3' has no variance" in w for w in printed["warnings"])


def test_reliability_warnings_print_on_stderr_without_json(files, capsys):
    assert main(["reliability", files["constant"], "--scale", "visual=x1,x2,x3"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("sqresearch reliability: warning: ") for line in err)
    assert len(err) == len(set(err))  # each once, not once from the library and once from the CLI


def test_cmb_prints_to_dict(files, capsys):
    from sqresearch.measure.method_bias import method_bias

    scales = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"]}
    printed = _printed(
        capsys, "cmb", files["hs"], "--scale", "visual=x1,x2,x3", "--scale", "textual=x4,x5,x6",
        "--marker", "x9",
    )  # fmt: skip
    expected = _quiet(method_bias, read_table(files["hs"]), scales, marker=["x9"])
    assert printed == _document(expected)
    assert set(printed) == {"harman", "ulmc", "marker"}


def test_modindices_prints_to_dict(files, capsys):
    from sqresearch.sem.fit import fit_sem
    from sqresearch.sem.modindices import modification_report

    data = read_table(files["hs"])
    printed = _printed(capsys, "modindices", files["model"], files["hs"], "--top", "3")
    assert printed == _document(modification_report(_quiet(fit_sem, HS_MODEL, data), top=3))
    assert "score_tests" not in printed
    printed = _printed(
        capsys, "modindices", files["model"], files["hs"], "--group", "school", "--group-equal", "loadings",
        "--minimum", "4",
    )  # fmt: skip
    fit = _quiet(fit_sem, HS_MODEL, data, group="school", group_equal=["loadings"])
    assert printed == _document(modification_report(fit, minimum=4))
    assert printed["score_tests"] and all("group" in row for row in printed["modindices"])


def test_power_prints_to_dict(files, capsys):
    from sqresearch.model.power import OLSAnalysis, power_analysis

    printed = _printed(capsys, "power", files["power"])
    expected = power_analysis(
        "Y ~ 0.3*X", OLSAnalysis("Y", ("X",)), [40, 80], 20, seed=1, n_jobs=1, progress=False
    )
    assert printed == _document(expected)
    assert printed["settings"] == {"sample_sizes": [40, 80], "n_rep": 20, "seed": 1, "alpha": 0.05, "target": 0.8}


def test_measure_commands_print_to_dict(files, capsys):
    from sqresearch.measure.item_analysis import item_analysis
    from sqresearch.measure.normality import normality

    data = read_table(files["hs"])
    printed = _printed(capsys, "items-analysis", files["hs"], "--scale", "visual=x1,x2,x3")
    assert printed == _document(item_analysis(data, {"visual": ["x1", "x2", "x3"]}))
    printed = _printed(capsys, "normality", files["hs"], "--items", "x1,x2,x3")
    assert printed == _document(normality(data, ["x1", "x2", "x3"]))


def test_pls_and_sem_compare_print_to_dict(files, capsys):
    from sqresearch.model.pls import bootstrap_pls, fit_pls
    from sqresearch.sem.compare import compare_models
    from sqresearch.sem.fit import fit_sem

    data = read_table(files["hs"])
    printed = _printed(capsys, "pls", files["sem"], files["hs"], "--boot", "50", "--seed", "2", "--jobs", "1")
    result = fit_pls(HS_SEM, data)
    assert printed == _document(result.to_dict(bootstrap_pls(result, 50, seed=2, n_jobs=1)))
    printed = _printed(capsys, "sem-compare", files["model"], files["orthogonal"], files["hs"])
    fits = [_quiet(fit_sem, m, data) for m in (HS_MODEL, HS_ORTHOGONAL)]
    assert printed == _document(compare_models(*fits, names=["model", "orthogonal"]))


@pytest.mark.slow  # reads and cleans the shipped 问卷星 export (~15 s under load)
def test_codebook_and_clean_print_to_dict(files, capsys):
    from sqresearch.clean.codebook import Codebook
    from sqresearch.clean.infer import infer_codebook
    from sqresearch.clean.pipeline import clean_survey
    from sqresearch.clean.recode import apply_codebook
    from sqresearch.io import read_survey
    from sqresearch.report.cleaning import cleaning_report

    printed = _printed(capsys, "codebook", "check", RAW, "--codebook", CODEBOOK)
    raw = read_survey(RAW, platform=Codebook.load(CODEBOOK).platform or "auto")
    coded = apply_codebook(raw.data, Codebook.load(CODEBOOK))
    assert printed == _document(coded, inputs={"file": str(RAW), "codebook": str(CODEBOOK)})
    assert f"{printed['n']} rows" in coded._repr_html_()
    printed = _printed(capsys, "codebook", "infer", RAW, "--framework", "tea_brand_community")
    draft = infer_codebook(read_survey(RAW), "tea_brand_community")
    assert printed == _document(draft, inputs={"file": str(RAW)}, outputs={"out": None})
    out = files["folder"] / "processed"
    printed = _printed(capsys, "clean", RAW, "--codebook", CODEBOOK, "--out", out)
    result = _quiet(clean_survey, RAW, CODEBOOK, rules={})
    result.write(out, report=cleaning_report(result))
    assert "cleaning_report.md" in printed["outputs"]
    inputs = {"raw": str(RAW), "codebook": str(CODEBOOK), "out": str(out)}
    assert printed == _document(result, inputs=inputs)


@pytest.mark.slow  # the preflight of the default study (~10 s under load)
def test_check_prints_to_dict(capsys):
    from sqresearch.check import preflight

    printed = _printed(capsys, "check", REPO / "study.yaml")
    assert printed == _document(preflight(REPO / "study.yaml"))


def test_results_display_in_jupyter_with_their_warnings(files):
    """``_repr_html_`` of the results the commands print: HTML naming the analysis, warnings listed."""
    from sqresearch.measure.method_bias import method_bias
    from sqresearch.measure.reliability import reliability_table
    from sqresearch.model.groups import compare_scales
    from sqresearch.model.power import OLSAnalysis, power_analysis
    from sqresearch.sem.fit import fit_sem
    from sqresearch.sem.modindices import modification_report

    hs, near = read_data(files["hs"]), read_data(files["near"])
    constant = read_data(files["constant"])
    reliability = _quiet(reliability_table, constant, {"visual": ["x1", "x2", "x3"]})
    assert "<table" in reliability._repr_html_()
    assert "has no variance" in reliability._repr_html_()
    groups = _quiet(compare_scales, near, {"X": ["X"]}, "G")
    assert "one-way ANOVA" in groups._repr_html_() and "nearly constant" in groups._repr_html_()
    fit = _quiet(fit_sem, HS_MODEL, hs)
    assert "Modification indices" in modification_report(fit, top=2)._repr_html_()
    cmb = _quiet(method_bias, hs, {"visual": ["x1", "x2", "x3"]}, ulmc=False)
    assert "Common-method bias" in cmb._repr_html_() and "<table" in cmb._repr_html_()
    power = power_analysis("Y ~ 0.3*X", OLSAnalysis("Y", ("X",)), [40], 5, n_jobs=1, progress=False)
    assert "Monte Carlo power" in power._repr_html_()


def test_questionnaire_prints_to_dict(files, capsys):
    from sqresearch.report.questionnaire import build_questionnaire, to_markdown

    expected = build_questionnaire("tea_brand_factors", shuffle=True, seed=5)
    printed = _printed(
        capsys, "questionnaire", "--framework", "tea_brand_factors", "--shuffle", "--seed", "5"
    )
    text = to_markdown(expected, "zh")
    assert printed == _document(
        expected, inputs={"format": "md", "lang": "zh"}, outputs={"out": None, "text": text}
    )
    out = Path(files["folder"]) / "q.tex"
    printed = _printed(capsys, "questionnaire", "--framework", "tea_brand_factors", "--out", out)
    expected = build_questionnaire("tea_brand_factors")
    assert printed == _document(
        expected, inputs={"format": "tex", "lang": "zh"}, outputs={"out": str(out)}
    )
    assert printed["questions"][0] == "SCREEN" and "text" not in printed
