"""Interval labels come from the interval computed: level and method (issue #16, point 3).

Tables, text and notes used to say "95% CI" / "95% percentile" whatever was
computed; here every analysis is run at 90% with bias-corrected intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqresearch.model.process import process
from sqresearch.report import common as report_common
from sqresearch.report import process as report_process
from sqresearch.report import sem as report_sem
from sqresearch.sem.fit import bootstrap_sem


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(16)
    x = rng.normal(size=300)
    m = 0.5 * x + rng.normal(size=300)
    w = rng.normal(size=300)
    y = 0.4 * m + 0.2 * x + 0.3 * x * w + rng.normal(size=300)
    return pd.DataFrame({"X": x, "M": m, "W": w, "Y": y})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sem_indirect_table_and_text_at_90_bc(data, lang):
    boot = bootstrap_sem(
        "M ~ a*X\nY ~ b*M + X\nind_X_M_Y := a*b", data, n_boot=60, seed=3, progress=False,
        level=0.90,
    )  # fmt: skip
    table = report_sem.sem_indirect_table(boot, ci_method="bc", lang=lang)
    frame = table.to_frame()
    assert "90% CI" in frame.columns and "95% CI" not in frame.columns
    row = boot.table.set_index("lhs").loc["ind_X_M_Y"]
    assert (
        table.data.iloc[0]["lo"] == row["bc_lower"] and table.data.iloc[0]["hi"] == row["bc_upper"]
    )
    name = report_common.interval_name(0.90, "bc", lang)
    assert name in " ".join(table.note_lines) and "95%" not in " ".join(table.note_lines)
    out = report_sem.sem_indirect_text(boot, ci_method="bc", lang=lang)
    assert name in out and "95%" not in out and "1000" not in out and "60" in out
    # the percentile interval of the same resamples is labelled as such
    pct = report_sem.sem_indirect_table(boot, lang=lang)
    assert report_common.interval_name(0.90, "percentile", lang) in " ".join(pct.note_lines)
    assert pct.data.iloc[0]["lo"] == row["ci_lower"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mediation_and_moderation_at_90_bc(data, lang):
    med = process(data, 4, x="X", y="Y", m="M", n_boot=200, seed=1, ci="bc", level=0.90)
    table = report_process.mediation_table(med, lang=lang)
    assert "90% CI" in table.to_frame().columns
    name = report_common.interval_name(0.90, "bc", lang)
    assert name in " ".join(table.note_lines)
    out = report_process.mediation_text(med, lang=lang)
    assert name in out and "95%" not in out
    mod = process(data, 1, x="X", y="Y", w="W", level=0.90)
    slopes = report_process.simple_slopes_table(mod.conditional, "W", level=mod.level, lang=lang)
    assert "90% CI" in slopes.to_frame().columns
    out = report_process.moderation_text(mod, lang=lang)
    assert report_common.interval_name(0.90, "t", lang) in out and "95%" not in out


def test_interval_name_refuses_an_unknown_method():
    with pytest.raises(Exception, match="unknown interval method"):
        report_common.interval_name(0.95, "bca", "en")
