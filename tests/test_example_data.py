"""Example data for any framework (sqresearch.datasets.build_export / write_example_data).

Every shipped framework's example export cleans (received = analysed +
exclusions, the planted problems excluded) and its CFA converges with the
loadings the population model planted; the default study's framework still
gives the shipped export byte for byte; a study's own instrument (new
construct, 7 points, reverse keys, its own level values and labels, no
attention check, no screening, English) gets an export in its own terms; and
the population model derived from the hypotheses plants what they say.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

from sqresearch import datasets
from sqresearch.clean.codebook import Codebook
from sqresearch.clean.pipeline import CleaningWarning, clean_survey
from sqresearch.constructs import get_framework, list_frameworks
from sqresearch.constructs.instrument import load_instrument
from sqresearch.paths import DATA_RAW, ROOT
from sqresearch.sem.fit import fit_sem

OWN = """
name: own_study
constructs:
  - code: TRU
    name_zh: 信任
    name_en: Trust
    scale: agree7
    items:
      - {code: TRU1, text_en: I trust this app.}
      - {code: TRU2, text_en: This app is reliable.}
      - {code: TRU3, text_en: This app keeps its promises.}
      - {code: TRU4, text_en: I doubt what this app tells me., reverse: true}
      - {code: TRU5, text_en: This app is honest with me.}
  - code: SOB
    items: [SOB1, SOB2, SOB4]
  - code: LOY
demographics:
  - code: AGE
    levels: [[10, 25岁及以下, 25 or younger], [20, 26–40岁, 26–40], [30, 40岁以上, over 40]]
  - code: CITY
    question_en: What tier is your city?
    levels: [Tier 1, Tier 2, Tier 3 or below]
controls: [AGE]
hypotheses:
  - {id: H1, kind: path, lhs: SOB, rhs: TRU, text_en: Trust raises belonging.}
  - {id: H2, kind: moderation, lhs: LOY, rhs: SOB, w: TRU, text_en: Trust strengthens it.}
  - {id: H3, kind: difference, construct: LOY, by: AGE, text_en: Loyalty differs by age.}
"""


def _clean(paths):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        return clean_survey(paths["raw"], paths["codebook"])


def _analysed(result, fw) -> pd.DataFrame:
    data = result.data.copy()
    for code in fw.reverse_items():
        data[code] = fw.catalogue.item(code).scale.points + 1 - data[code]
    return data


@pytest.mark.parametrize(
    "name",
    [  # the default study's eleven factors take ~10 s: slow
        pytest.param(n, marks=pytest.mark.slow) if n == datasets.FRAMEWORK else n
        for n in list_frameworks()
    ],
)
def test_every_shipped_framework_has_example_data_that_cleans_and_fits(tmp_path, name):
    fw = get_framework(name)
    paths = datasets.write_example_data(tmp_path, fw, seed=11, n_rows=300)
    export = datasets.build_export(11, fw, n_rows=300)
    result = _clean(paths)
    flow = result.flow.set_index("step")["n"]
    assert flow["received"] == 300 == len(export.text)
    assert flow["received"] == flow["analysed"] + flow.drop(["received", "analysed"]).sum()
    excluded = set(result.coded.loc[result.excluded_by.notna(), "ID"].astype(int))
    planted = {row["序号"] for row in export.planted}
    assert len(planted) == sum(datasets.design(fw, 300).planted.values())
    assert planted <= excluded
    assert len(excluded - planted) < 0.05 * 300  # few honest respondents caught by the rules
    fit = fit_sem(fw.cfa_syntax(), _analysed(result, fw))
    assert fit.converged
    loadings = fit.estimates.query("op == '=~'")
    assert set(loadings["rhs"]) == set(fw.items()) - {
        c for c in fw.constructs if fw.catalogue.constructs[c].kind != "latent"
    }
    # the population loads .66-.84; cutting into 5 categories and n = 260 leave them above .45
    assert loadings["std_all"].between(0.45, 0.95).all(), loadings[["lhs", "rhs", "std_all"]]


def test_the_default_framework_gives_the_shipped_export(tmp_path):
    paths = datasets.write_example_data(tmp_path, get_framework(), datasets.DEFAULT_SEED)
    assert paths["raw"].name == datasets.TEXT_XLSX
    assert paths["raw"].read_bytes() == (DATA_RAW / datasets.TEXT_XLSX).read_bytes()
    mine = Codebook.load(paths["codebook"])
    shipped = Codebook.load(ROOT / "data" / "codebook.yaml")
    assert mine.source_columns() == shipped.source_columns()
    assert mine.reverse_items() == shipped.reverse_items()
    assert {c: a.expected for c, a in mine.attention_checks.items()} == {"ATT1": 4}
    assert set(shipped.drop) == set(mine.drop)
    for code, spec in shipped.demographics.items():
        assert mine.demographics[code].levels == spec.levels


def test_a_study_instrument_gets_an_export_in_its_own_terms(tmp_path):
    (tmp_path / "instrument.yaml").write_text(OWN, encoding="utf-8")
    fw = load_instrument(tmp_path / "instrument.yaml")
    assert not datasets.uses_default_model(fw)
    paths = datasets.write_example_data(tmp_path, fw, seed=5, n_rows=240, lang="en")
    assert paths["raw"].name == datasets.EXAMPLE_XLSX
    export = datasets.build_export(5, fw, n_rows=240, lang="en")
    text = export.text
    # no screening question, no attention check: the first question is AGE, nothing of either kind planted
    assert text.columns[6] == "1、How old are you?"
    assert {row["kind"] for row in export.planted} == {"speeder", "straightliner", "duplicate"}
    assert set(text["1、How old are you?"]) == {"25 or younger", "26–40", "over 40"}
    assert set(text["2、What tier is your city?"]) == {"Tier 1", "Tier 2", "Tier 3 or below"}
    tru = [h for h in text.columns if h.endswith("I trust this app.")]
    assert len(tru) == 1
    assert set(text[tru[0]]) - {""} == set(fw.catalogue.scales["agree7"].anchors_en)
    book = yaml.safe_load(paths["codebook"].read_text(encoding="utf-8"))
    assert book["items"]["TRU4"]["reverse"] is True and book["items"]["TRU4"]["scale"] == "agree7"
    assert book["attention_checks"] == {} and "screening" not in book
    assert book["demographics"]["AGE"]["levels"]["40岁以上"] == 30
    # few items: straight-lining needs a run longer than the longest block + 2
    assert book["careless"]["longstring"]["max_run"] == 7
    result = _clean(paths)
    assert set(result.data["AGE"].dropna()) == {10, 20, 30}
    assert set(result.data["CITY"].dropna()) == {1, 2, 3}
    excluded = set(result.coded.loc[result.excluded_by.notna(), "ID"].astype(int))
    assert {row["序号"] for row in export.planted} <= excluded
    assert fit_sem(fw.cfa_syntax(), _analysed(result, fw)).converged


def test_the_derived_population_model_plants_the_hypotheses(tmp_path):
    (tmp_path / "instrument.yaml").write_text(OWN, encoding="utf-8")
    fw = load_instrument(tmp_path / "instrument.yaml")
    paths, covariances = datasets.derived_paths(fw)
    assert paths == {
        "SOB": {"TRU": datasets.EFFECT},
        "LOY": {"SOB": 0.3, "TRU": 0.15, ("SOB", "TRU"): 0.15, "AGE": datasets.GROUP_SHIFT},
    }
    assert covariances == {}  # one exogenous construct
    data = datasets.simulate_respondents(20_000, 3, fw)
    comp = pd.DataFrame({c: data[items].mean(axis=1) for c, items in fw.blocks().items()})
    # the hypothesised signs are there in a large sample of the Likert data
    assert comp["TRU"].corr(comp["SOB"]) > 0.15
    z = (comp - comp.mean()) / comp.std()
    design = np.column_stack([np.ones(len(z)), z["SOB"], z["TRU"], z["SOB"] * z["TRU"]])
    b = np.linalg.lstsq(design, z["LOY"], rcond=None)[0]
    assert b[3] > 0.05  # the interaction (population 0.15, attenuated by the cut)
    means = comp["LOY"].groupby(data["AGE"]).mean()
    assert list(means.index) == [10, 20, 30] and means.is_monotonic_increasing
    # category shares near uniform
    shares = data["CITY"].value_counts(normalize=True)
    assert shares.between(0.2, 0.45).all()


def test_a_loop_in_the_hypotheses_is_left_out_not_simulated(tmp_path):
    text = OWN.replace(
        "  - {id: H3,",
        "  - {id: H4, kind: regression, lhs: TRU, rhs: LOY, text_en: loop.}\n  - {id: H3,",
    )
    (tmp_path / "instrument.yaml").write_text(text, encoding="utf-8")
    fw = load_instrument(tmp_path / "instrument.yaml")
    paths, _ = datasets.derived_paths(fw)
    assert "TRU" not in paths  # LOY -> TRU would close TRU -> SOB -> LOY
    assert datasets.simulate_respondents(50, 1, fw).shape[0] == 50
