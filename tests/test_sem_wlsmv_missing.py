"""WLSMV with missing responses against lavaan 0.6.14: listwise and pairwise polychorics.

The ``hs_ordinal`` items (quartile-cut HolzingerSwineford1939) with every 7th
row missing x1 and every 11th row missing x5; reference values printed by
tests/r/sem_wlsmv_missing.R (``cfa(HS, d, ordered = TRUE, estimator = "WLSMV",
missing = "listwise" | "pairwise")``): n, the first 8 polychorics and 6
thresholds, NACOV entries ``diag(g)[c(1, 13, 30)], g[1, 2:4], g[1, 30]``,
free rows (est, se, std.all) and fit measures.
"""

from __future__ import annotations

import numpy as np
import pytest

from sqresearch.errors import InputError, ModelError
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.ordinal import polychoric

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
REFERENCE = {
    "listwise": {
        "n": 234,
        "cor": [0.3590011345, 0.4155467532, 0.4654751806, 0.361719316, 0.4629629849,
                0.01932450855, 0.1691406466, 0.3879736333],
        "th": [-0.7504371674, -0.03214179333, 0.5641536441, -0.8851636467, -0.01071229152,
               0.6022487841],
        "gamma": [1.933205919, 1.863087426, 0.9686104334, 0.9676479078, 0.6331372896,
                  0.3176937424, 0.1707367774],
        "rows": [
            ("visual", "=~", "x2", 0.5559397793, 0.1054735334, 0.4788488954),
            ("visual", "=~", "x3", 0.5525035211, 0.1061972846, 0.4758891352),
            ("textual", "=~", "x5", 1.02810717, 0.06347863749, 0.8598245337),
            ("textual", "=~", "x6", 1.040789007, 0.05517207878, 0.8704305826),
            ("speed", "=~", "x8", 1.316349061, 0.2550858183, 0.5678921104),
            ("speed", "=~", "x9", 2.069713615, 0.4631558153, 0.8929045244),
            ("x1", "|", "t1", -0.7504371674, 0.09108798555, -0.7504371674),
            ("x1", "|", "t3", 0.5641536441, 0.08703682918, 0.5641536441),
            ("x6", "|", "t1", -0.7791396837, 0.09183915081, -0.7791396837),
        ],
        "fit": {"chisq": 52.7496751957, "chisq_scaled": 75.1672153365,
                "chisq_scaling_factor": 0.748787794821, "cfi_scaled": 0.945267680303,
                "tli_scaled": 0.917901520454, "rmsea_scaled": 0.0956560205807,
                "srmr": 0.0759721227301},
    },
    "pairwise": {
        "n": 301,
        "cor": [0.3246663979, 0.4101556959, 0.4668807327, 0.3584898242, 0.481820495,
                0.02936610019, 0.1574483153, 0.3902123747],
        "th": [-0.7821804586, -0.05832673527, 0.5626937941, -0.9176464588, -0.05415630738,
               0.5856071612],
        "gamma": [2.296839929, 2.045654834, 1.154181695, 1.132399898, 0.7259607334,
                  0.2921314817, 0.2050948746],
        "rows": [
            ("visual", "=~", "x2", 0.5040633425, 0.09587823106, 0.4429082176),
            ("visual", "=~", "x3", 0.541148898, 0.09752744455, 0.4754943945),
            ("textual", "=~", "x5", 1.073152126, 0.0594459243, 0.8874027511),
            ("textual", "=~", "x6", 1.044608512, 0.04982483409, 0.8637996839),
            ("speed", "=~", "x8", 1.246439191, 0.2150862309, 0.5796460121),
            ("speed", "=~", "x9", 1.824060167, 0.3305766632, 0.8482637658),
            ("x1", "|", "t1", -0.7821804586, 0.08749933198, -0.7821804586),
            ("x1", "|", "t3", 0.5626937941, 0.08282507951, 0.5626937941),
            ("x6", "|", "t1", -0.7746640385, 0.08083132892, -0.7746640385),
        ],
        "fit": {"chisq": 64.8303978046, "chisq_scaled": 91.86076569,
                "chisq_scaling_factor": 0.740005845334, "cfi_scaled": 0.945140107043,
                "tli_scaled": 0.917710160564, "rmsea_scaled": 0.0970829869021,
                "srmr": 0.0754511502016},
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def holes(hs_ordinal):
    data = hs_ordinal.astype(float)
    data.loc[np.arange(6, 301, 7), "x1"] = np.nan  # R rows 7, 14, ...
    data.loc[np.arange(10, 301, 11), "x5"] = np.nan
    return data


@pytest.mark.parametrize("missing", list(REFERENCE))
def test_wlsmv_missing_matches_lavaan(holes, missing):
    ref = REFERENCE[missing]
    stats = polychoric(holes, list(holes.columns), missing=missing)
    j, i = np.triu_indices(9, 1)
    np.testing.assert_allclose(stats.cor.to_numpy()[i, j][:8], ref["cor"], atol=1e-7)
    th = np.concatenate(list(stats.thresholds.values()))
    np.testing.assert_allclose(th[:6], ref["th"], atol=1e-9)
    g = stats.gamma
    np.testing.assert_allclose(
        [g[0, 0], g[12, 12], g[29, 29], *g[0, 1:4], g[0, 29]], ref["gamma"], rtol=1e-6
    )
    fit = fit_sem(HS_MODEL, holes, ordered=True, estimator="WLSMV", missing=missing)
    assert fit.n == ref["n"] == stats.n and fit.missing == missing
    keyed = {(r.lhs, r.op, r.rhs): (r.est, r.se, r.std_all) for r in fit.estimates.itertuples()}
    for lhs, op, rhs, *values in ref["rows"]:
        np.testing.assert_allclose(keyed[(lhs, op, rhs)], values, atol=1e-5, err_msg=lhs + rhs)
    for key, value in ref["fit"].items():
        assert fit.fit[key] == pytest.approx(value, rel=1e-6), key


def test_missing_options_refused_where_undefined(holes):
    with pytest.raises(ModelError, match="WLSMV has no FIML"):
        fit_sem(HS_MODEL, holes, ordered=True, estimator="WLSMV", missing="fiml")
    with pytest.raises(InputError, match="'pairwise' is for WLSMV"):
        fit_sem(HS_MODEL, holes, missing="pairwise")


def test_cli_missing_pairwise(holes, tmp_path, capsys):
    import json

    from sqresearch.cli import main

    model, data = tmp_path / "hs.lav", tmp_path / "holes.csv"
    model.write_text(HS_MODEL + "\n", encoding="utf-8")
    holes.to_csv(data, index=False)
    argv = ["sem", str(model), str(data), "--estimator", "WLSMV", "--ordered", "all", "--json"]
    assert main([*argv, "--missing", "pairwise"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n"] == 301
    assert doc["fit"]["chisq"] == pytest.approx(REFERENCE["pairwise"]["fit"]["chisq"], rel=1e-6)
    assert main([*argv, "--missing", "fiml"]) == 2
    assert "WLSMV has no FIML" in capsys.readouterr().err
