"""The study config and the data every analysis notebook starts from."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from sqresearch.clean.pipeline import clean_survey
from sqresearch.errors import InputError
from sqresearch.paths import ROOT, STUDY_CONFIG
from sqresearch.study import load_study


def test_default_study_config():
    study = load_study(STUDY_CONFIG)
    assert study.raw == ROOT / "data/raw/wjx_tea_community_text.xlsx"
    assert study.raw.is_file() and study.codebook.is_file()
    assert (study.bootstrap, study.sem_bootstrap) == (5000, 1000)


def test_environment_overrides_resample_counts(monkeypatch):
    monkeypatch.setenv("SQRESEARCH_BOOTSTRAP", "200")
    assert load_study(STUDY_CONFIG).bootstrap == 200
    monkeypatch.setenv("SQRESEARCH_BOOTSTRAP", "many")
    with pytest.raises(InputError, match="bootstrap.*many"):
        load_study(STUDY_CONFIG)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"language": "fr"}, "language"), ({"seed": -1}, "at least 0"), ({"data": {"raw": "x.xlsx"}}, "data.codebook")],
)
def test_bad_config_is_named(tmp_path, change, message):
    config = yaml.safe_load(STUDY_CONFIG.read_text(encoding="utf-8")) | change
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.copy(ROOT / "instrument.yaml", tmp_path / "instrument.yaml")
    with pytest.raises(InputError, match=message) as info:
        load_study(path)
    assert str(path) in str(info.value)


def test_analysis_data_recodes_reverse_items_once_from_the_codebook(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns("processed"))
    shutil.copy(STUDY_CONFIG, folder / "study.yaml")
    shutil.copy(ROOT / "instrument.yaml", folder / "instrument.yaml")
    study = load_study(folder / "study.yaml")
    with pytest.raises(InputError, match="cleaning notebook"):
        study.analysis_data()
    clean_survey(study.raw, study.codebook).write(study.processed)
    answered = pd.read_csv(study.processed / "clean.csv", encoding="utf-8-sig")
    scored = study.analysis_data()
    reverse = {"IRI5", "NBL4", "CUL4"}  # reverse: true in data/codebook.yaml, 5-point items
    for column in answered.columns:
        if column in reverse:
            pd.testing.assert_series_equal(scored[column], 6 - answered[column], check_dtype=False)
        else:
            pd.testing.assert_series_equal(scored[column], answered[column])
