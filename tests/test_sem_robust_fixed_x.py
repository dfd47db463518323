"""MLM and MLR with exogenous observed covariates (fixed.x = TRUE) against lavaan 0.6.14.

lavaan's default when a regression has observed predictors: the covariates'
moments are fixed at their sample values, Γ is lavaan's fixed.x version
(the moments of each case minus those of its OLS-fitted values), the
covariates' own moments are not fitted (df) and the independence model keeps
their covariance block. Reference values printed by
tests/r/sem_robust_fixed_x.R on HolzingerSwineford1939 (one group, and
``group = "school"``).

lavaan's estimates stop about 1e-6 from the optimum, which moves its
scaling factors by up to 1e-6 relative: the statistics are compared to 2e-6
relative, the indices to 1e-6.
"""

from __future__ import annotations

import pytest
from semopy.examples import holzinger39

from sqresearch.errors import ModelError
from sqresearch.sem.fit import fit_sem

MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nvisual ~ ageyr + sex\ntextual ~ ageyr"
STATISTICS = ("chisq", "chisq_scaled", "chisq_scaling_factor", "baseline_chisq",
              "baseline_chisq_scaled", "baseline_chisq_scaling_factor")  # fmt: skip
REFERENCE = {
    "MLM": {
        "rows": [
            ("visual", "=~", "x2", 0.6335287422, 0.115828743),
            ("visual", "=~", "x3", 0.8012630931, 0.1295766416),
            ("textual", "=~", "x5", 1.110462099, 0.06560549657),
            ("textual", "=~", "x6", 0.9210820538, 0.05943196348),
            ("visual", "~", "ageyr", -0.05551337382, 0.06020647719),
            ("visual", "~", "sex", -0.3630349384, 0.1163303339),
            ("textual", "~", "ageyr", -0.2219442296, 0.05492488678),
            ("x1", "~~", "x1", 0.634050674, 0.1377658886),
            ("x2", "~~", "x2", 1.091070129, 0.103819094),
            ("x3", "~~", "x3", 0.8098358245, 0.08908415088),
            ("x4", "~~", "x4", 0.3661661778, 0.0490056355),
            ("x5", "~~", "x5", 0.4457746249, 0.05897843545),
            ("x6", "~~", "x6", 0.3611173883, 0.04755823582),
            ("visual", "~~", "visual", 0.696440247, 0.1559468285),
            ("textual", "~~", "textual", 0.9303305283, 0.1112116926),
            ("visual", "~~", "textual", 0.3816393792, 0.07810638659),
        ],
        "fit": {
            "chisq": 35.6570462247,
            "df": 17,
            "chisq_scaled": 34.0954299384,
            "chisq_scaling_factor": 1.04580133728,
            "baseline_chisq": 705.459443195,
            "baseline_chisq_scaled": 635.833055637,
            "baseline_chisq_scaling_factor": 1.10950419602,
            "cfi": 0.972500867352,
            "cfi_scaled": 0.97192098921,
            "cfi_robust": 0.973533162706,
            "tli_robust": 0.957964434885,
            "rmsea_scaled": 0.0578005944913,
            "rmsea_robust": 0.0591094477289,
            "npar": 16,
        },
    },
    "MLR": {
        "rows": [
            ("visual", "=~", "x2", 0.6335287422, 0.1639664246),
            ("visual", "=~", "x3", 0.8012630931, 0.1750952522),
            ("textual", "=~", "x5", 1.110462099, 0.06581764212),
            ("textual", "=~", "x6", 0.9210820538, 0.06099710181),
            ("visual", "~", "ageyr", -0.05551337382, 0.06346573117),
            ("visual", "~", "sex", -0.3630349384, 0.1153770817),
            ("textual", "~", "ageyr", -0.2219442296, 0.05500403039),
            ("x1", "~~", "x1", 0.634050674, 0.1730674482),
            ("x2", "~~", "x2", 1.091070129, 0.1097523956),
            ("x3", "~~", "x3", 0.8098358245, 0.111198559),
            ("x4", "~~", "x4", 0.3661661778, 0.04985145761),
            ("x5", "~~", "x5", 0.4457746249, 0.05792693237),
            ("x6", "~~", "x6", 0.3611173883, 0.04776268055),
            ("visual", "~~", "visual", 0.696440247, 0.1935288407),
            ("textual", "~~", "textual", 0.9303305283, 0.1124038652),
            ("visual", "~~", "textual", 0.3816393792, 0.105435533),
        ],
        "fit": {
            "chisq": 35.6570462247,
            "df": 17,
            "chisq_scaled": 35.8561354367,
            "chisq_scaling_factor": 0.99444755522,
            "baseline_chisq": 705.459443195,
            "baseline_chisq_scaled": 670.130972845,
            "baseline_chisq_scaling_factor": 1.05271875467,
            "cfi": 0.972500867352,
            "cfi_scaled": 0.970680722539,
            "cfi_robust": 0.972303634126,
            "tli_robust": 0.956011654199,
            "rmsea_scaled": 0.0607041854494,
            "rmsea_robust": 0.0605354225428,
            "npar": 16,
        },
    },
}
GROUP_REFERENCE = {  # group = "school"
    "MLM": {
        "rows": [
            ("visual", "~", "ageyr", 1, -0.1082770108, 0.09389370968),
            ("visual", "~", "sex", 1, -0.4622002181, 0.1687861776),
            ("textual", "~", "ageyr", 1, -0.2191380127, 0.07606410443),
            ("visual", "~", "ageyr", 2, -0.04495665894, 0.06535076634),
            ("visual", "~", "sex", 2, -0.2980622183, 0.134150562),
            ("textual", "~", "ageyr", 2, -0.08503421856, 0.07394789646),
        ],
        "fit": {
            "chisq": 47.4713485917,
            "df": 34,
            "chisq_scaled": 46.4825648476,
            "chisq_scaling_factor": 1.02127214252,
            "baseline_chisq": 711.067805078,
            "baseline_chisq_scaled": 650.158625985,
            "baseline_chisq_scaling_factor": 1.09368356684,
            "cfi": 0.979497780157,
            "cfi_scaled": 0.979061672006,
            "cfi_robust": 0.980447972576,
            "tli_robust": 0.968946779974,
            "rmsea_scaled": 0.0493905891895,
            "rmsea_robust": 0.04991314666,
            "npar": 44,
        },
    },
    "MLR": {
        "rows": [
            ("visual", "~", "ageyr", 1, -0.1082770108, 0.09869687913),
            ("visual", "~", "sex", 1, -0.4622002181, 0.206063912),
            ("textual", "~", "ageyr", 1, -0.2191380127, 0.07778111443),
            ("visual", "~", "ageyr", 2, -0.04495665894, 0.06559546921),
            ("visual", "~", "sex", 2, -0.2980622183, 0.1331891391),
            ("textual", "~", "ageyr", 2, -0.08503421856, 0.07498681412),
        ],
        "fit": {
            "chisq": 47.4713485917,
            "df": 34,
            "chisq_scaled": 50.464458961,
            "chisq_scaling_factor": 0.940688745486,
            "baseline_chisq": 711.067805078,
            "baseline_chisq_scaled": 692.356254758,
            "baseline_chisq_scaling_factor": 1.02702589915,
            "cfi": 0.979497780157,
            "cfi_scaled": 0.974208040043,
            "cfi_robust": 0.976376246718,
            "tli_robust": 0.962479921258,
            "rmsea_scaled": 0.0567238922615,
            "rmsea_robust": 0.0550159982509,
            "npar": 44,
        },
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def hs():
    return holzinger39.get_data()


def _check_fit(fit: dict, ref: dict) -> None:
    for key, value in ref.items():
        if key in STATISTICS:
            assert fit[key] == pytest.approx(value, rel=2e-6), key
        else:
            assert fit[key] == pytest.approx(value, abs=1e-6), key


@pytest.mark.parametrize("estimator", list(REFERENCE))
def test_fixed_x_matches_lavaan(hs, estimator):
    res = fit_sem(MODEL, hs, estimator=estimator)
    keyed = {(r.lhs, r.op, r.rhs): (r.est, r.se) for r in res.estimates.itertuples()}
    for lhs, op, rhs, est, se in REFERENCE[estimator]["rows"]:
        got = keyed[(lhs, op, rhs)]
        assert got[0] == pytest.approx(est, abs=1e-5), f"{lhs}{op}{rhs}"
        assert got[1] == pytest.approx(se, rel=1e-4), f"{lhs}{op}{rhs}"
    _check_fit(res.fit, REFERENCE[estimator]["fit"])
    # the covariates are not parameters: fixed_x=False frees them and changes the robust test
    free = fit_sem(MODEL, hs, estimator=estimator, fixed_x=False)
    assert free.fit["npar"] == res.fit["npar"] + 3
    assert free.fit["baseline_chisq_scaling_factor"] != pytest.approx(
        res.fit["baseline_chisq_scaling_factor"], rel=1e-3
    )


@pytest.mark.parametrize("estimator", list(GROUP_REFERENCE))
def test_fixed_x_multigroup_matches_lavaan(hs, estimator):
    res = fit_sem(MODEL, hs, estimator=estimator, group="school")
    keyed = {(r.lhs, r.op, r.rhs, r.group): (r.est, r.se) for r in res.estimates.itertuples()}
    for lhs, op, rhs, g, est, se in GROUP_REFERENCE[estimator]["rows"]:
        got = keyed[(lhs, op, rhs, res.groups[g - 1])]
        assert got[0] == pytest.approx(est, abs=1e-5) and got[1] == pytest.approx(se, rel=1e-4)
    _check_fit(res.fit, GROUP_REFERENCE[estimator]["fit"])


def test_fixed_x_under_fiml_is_refused(hs):
    with pytest.raises(ModelError, match="FIML with fixed exogenous covariates"):
        fit_sem(MODEL, hs, estimator="MLR", missing="fiml")
