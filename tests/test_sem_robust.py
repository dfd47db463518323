"""MLR and MLM against lavaan 0.6.14: scaled χ², scaling factors, robust fit indices, robust SEs.

Reference values from Debian's r-cran-lavaan 0.6.14, this R script
(HolzingerSwineford1939 and PoliticalDemocracy are lavaan's public data; the
same data ship with semopy):

    library(lavaan)
    HS <- 'visual =~ x1 + x2 + x3
    textual =~ x4 + x5 + x6
    speed =~ x7 + x8 + x9'
    keys <- c("chisq", "df", "chisq.scaled", "chisq.scaling.factor", "pvalue.scaled",
              "baseline.chisq.scaled", "baseline.chisq.scaling.factor", "cfi.scaled",
              "tli.scaled", "cfi.robust", "tli.robust", "rmsea.scaled",
              "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
              "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust",
              "rmsea.pvalue.robust")
    show <- function(tag, fit) {
      fm <- fitMeasures(fit, keys)
      cat(sprintf('"%s": %.12g,', gsub(".", "_", names(fm), fixed = TRUE), fm), sep = "\n")
      cat(sprintf("%.10f", parameterEstimates(fit)$se), sep = ", ")
    }
    show("HS MLR", cfa(HS, HolzingerSwineford1939, estimator = "MLR"))
    show("HS MLM", cfa(HS, HolzingerSwineford1939, estimator = "MLM"))
    d <- HolzingerSwineford1939; i <- seq_len(nrow(d))
    d$x1[i %% 6 == 0] <- NA; d$x5[i %% 7 == 2] <- NA; d$x9[i %% 5 == 3] <- NA
    d$x3[i %% 11 == 4] <- NA
    show("HS FIML MLR", cfa(HS, d, estimator = "MLR", missing = "ml"))
    show("HS MG MLR", cfa(HS, HolzingerSwineford1939, estimator = "MLR", group = "school",
                          group.equal = "loadings"))
    show("HS MG MLM", cfa(HS, HolzingerSwineford1939, estimator = "MLM", group = "school"))
    show("PD MLR", sem(PD, PoliticalDemocracy, estimator = "MLR"))  # PD: PD_MODEL below
    show("PD MLM", sem(PD, PoliticalDemocracy, estimator = "MLM"))

Tolerances: lavaan's optimiser (nlminb) stops about 1e-6 (relative) short of
the ML solution; evaluated at our converged estimates (``start =`` them with
``optim.method = "none"``) lavaan's scaled χ² equals ours to 1e-9. So χ²
statistics are compared to 2e-6 relative, indices to 1e-6 absolute, SEs to 1e-5.
Under FIML lavaan's numerical Hessian and its nlminb fit of the baseline
model leave the robust TLI 1.4e-6 from ours; those indices get 2e-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39, political_democracy

from sqresearch.errors import ModelError
from sqresearch.sem.fit import fit_sem

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
PD_MODEL = """
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem65 =~ y5 + y6 + y7 + y8
    dem60 ~ a*ind60
    dem65 ~ ind60 + b*dem60
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
    ab := a*b
"""
STATISTICS = ("chisq_scaled", "baseline_chisq_scaled", "chisq_scaling_factor",
              "baseline_chisq_scaling_factor")  # fmt: skip

REFERENCE = {
    "HS MLR": (
        {
            "chisq": 85.30552177,
            "df": 24,
            "chisq_scaled": 87.1316033666,
            "chisq_scaling_factor": 0.979042258766,
            "pvalue_scaled": 4.27843283024e-09,
            "baseline_chisq_scaled": 880.08172138,
            "baseline_chisq_scaling_factor": 1.04405257713,
            "cfi_scaled": 0.925206764028,
            "tli_scaled": 0.887810146042,
            "cfi_robust": 0.929863935696,
            "tli_robust": 0.894795903544,
            "rmsea_scaled": 0.0934834089711,
            "rmsea_ci_lower_scaled": 0.0726206004954,
            "rmsea_ci_upper_scaled": 0.115225668122,
            "rmsea_pvalue_scaled": 0.000507322356402,
            "rmsea_robust": 0.0924986213716,
            "rmsea_ci_lower_robust": 0.0720677307617,
            "rmsea_ci_upper_robust": 0.113781308007,
            "rmsea_pvalue_robust": 0.000514596408505,
        },
        [
            0.0000000000, 0.1320779065, 0.1410870311, 0.0000000000, 0.0656855916,
            0.0613780044, 0.0000000000, 0.1304447400, 0.2663758967, 0.1564681909,
            0.1118787446, 0.1002858290, 0.0502818521, 0.0567036314, 0.0465165308,
            0.0972220958, 0.1195330838, 0.1187391638, 0.1803962672, 0.1212975995,
            0.1067048701, 0.0993173460, 0.0600596391, 0.0563065759
        ],
    ),
    "HS MLM": (
        {
            "chisq": 85.30552177,
            "df": 24,
            "chisq_scaled": 80.8717834914,
            "chisq_scaling_factor": 1.05482429207,
            "pvalue_scaled": 4.41619001368e-08,
            "baseline_chisq_scaled": 789.297504214,
            "baseline_chisq_scaling_factor": 1.16413847046,
            "cfi_scaled": 0.92450289139,
            "tli_scaled": 0.886754337085,
            "cfi_robust": 0.931592172096,
            "tli_robust": 0.897388258144,
            "rmsea_scaled": 0.0887277677076,
            "rmsea_ci_lower_scaled": 0.068412361727,
            "rmsea_ci_upper_scaled": 0.109829392092,
            "rmsea_pvalue_scaled": 0.00127721874078,
            "rmsea_robust": 0.0911275337268,
            "rmsea_ci_lower_robust": 0.0697112997263,
            "rmsea_ci_upper_robust": 0.11339581561,
            "rmsea_pvalue_robust": 0.00121105894438,
        },
        [
            0.0000000000, 0.1032894602, 0.1145602323, 0.0000000000, 0.0664038071,
            0.0597641714, 0.0000000000, 0.1520976918, 0.1323980121, 0.1383543361,
            0.1074357272, 0.0845609989, 0.0500016319, 0.0580438524, 0.0462580674,
            0.0786180618, 0.0742692066, 0.0679465851, 0.1673078298, 0.1207967015,
            0.0828016594, 0.0822098455, 0.0550717900, 0.0552786014
        ],
    ),
    "HS FIML MLR": (
        {
            "chisq": 79.0010683078,
            "df": 24,
            "chisq_scaled": 79.2514655048,
            "chisq_scaling_factor": 0.996840472345,
            "pvalue_scaled": 8.00324690964e-08,
            "baseline_chisq_scaled": 806.091307057,
            "baseline_chisq_scaling_factor": 1.02768874188,
            "cfi_scaled": 0.928253357753,
            "tli_scaled": 0.89238003663,
            "cfi_robust": 0.922267690935,
            "tli_robust": 0.883401536403,
            "rmsea_scaled": 0.0874546754188,
            "rmsea_ci_lower_scaled": 0.0665086486416,
            "rmsea_ci_upper_scaled": 0.109221526675,
            "rmsea_pvalue_scaled": 0.00228465816392,
            "rmsea_robust": 0.0978108949941,
            "rmsea_ci_lower_robust": 0.0748779530502,
            "rmsea_ci_upper_robust": 0.121658176049,
            "rmsea_pvalue_robust": 0.000537607287921,
        },
        [
            0.0000000000, 0.1511135995, 0.1677389529, 0.0000000000, 0.0684258151,
            0.0609056832, 0.0000000000, 0.1559718954, 0.1422890554, 0.1630142485,
            0.1147603038, 0.1150698680, 0.0517507927, 0.0618956030, 0.0456058747,
            0.0785275510, 0.0939624613, 0.0907103575, 0.1843104080, 0.1216632813,
            0.0859916972, 0.0969216443, 0.0555887752, 0.0565864568, 0.0701651700,
            0.0677542927, 0.0679451243, 0.0669869924, 0.0764643866, 0.0630445256,
            0.0626952618, 0.0582691320, 0.0629508267, 0.0000000000, 0.0000000000,
            0.0000000000
        ],
    ),
    "HS MG MLR": (
        {
            "chisq": 124.04354418,
            "df": 54,
            "chisq_scaled": 125.99745551,
            "chisq_scaling_factor": 0.984492454061,
            "pvalue_scaled": 1.09804731641e-07,
            "baseline_chisq_scaled": 934.308776711,
            "baseline_chisq_scaling_factor": 1.0251097653,
            "cfi_scaled": 0.916506178003,
            "tli_scaled": 0.888674904003,
            "cfi_robust": 0.919814403784,
            "tli_robust": 0.893085871712,
            "rmsea_scaled": 0.0941224978716,
            "rmsea_ci_lower_scaled": 0.0726170390352,
            "rmsea_ci_upper_scaled": 0.115797703197,
            "rmsea_pvalue_scaled": 0.000726939106937,
            "rmsea_robust": 0.0933898418693,
            "rmsea_ci_lower_robust": 0.0722178143715,
            "rmsea_ci_upper_robust": 0.114727952437,
            "rmsea_pvalue_robust": 0.000729327575414,
        },
        [
            0.0000000000, 0.1396952175, 0.1524373716, 0.0000000000, 0.0693816296,
            0.0686308793, 0.0000000000, 0.1352247737, 0.2065821809, 0.1752553929,
            0.1652651607, 0.1288413249, 0.0720091649, 0.0795249459, 0.0569902536,
            0.1128652082, 0.0945848354, 0.1179677933, 0.2263531324, 0.1387243890,
            0.0823736813, 0.1349086681, 0.0657837513, 0.0605623317, 0.0945715546,
            0.0981805502, 0.0928808569, 0.0919756943, 0.1046333518, 0.0790345877,
            0.0865995806, 0.0781185315, 0.0791603803, 0.0000000000, 0.0000000000,
            0.0000000000, 0.0000000000, 0.1396952175, 0.1524373716, 0.0000000000,
            0.0693816296, 0.0686308793, 0.0000000000, 0.1352247737, 0.2065821809,
            0.1701492640, 0.1455069383, 0.1127081791, 0.0654967649, 0.0718961639,
            0.0746939628, 0.0947879283, 0.1440861247, 0.1258348023, 0.1758616630,
            0.1463103775, 0.1129693509, 0.1074478697, 0.0964911551, 0.0988219567,
            0.0953630851, 0.0919662348, 0.0860378843, 0.0931151423, 0.0961917870,
            0.0939604362, 0.0855731026, 0.0868760427, 0.0851387504, 0.0000000000,
            0.0000000000, 0.0000000000
        ],
    ),
    "HS MG MLM": (
        {
            "chisq": 115.851343876,
            "df": 48,
            "chisq_scaled": 111.727934153,
            "chisq_scaling_factor": 1.03690580833,
            "pvalue_scaled": 5.39729102411e-07,
            "baseline_chisq_scaled": 811.219992869,
            "baseline_chisq_scaling_factor": 1.18065267033,
            "cfi_scaled": 0.913790299549,
            "tli_scaled": 0.870685449324,
            "cfi_robust": 0.924286505779,
            "tli_robust": 0.886429758669,
            "rmsea_scaled": 0.0939238857334,
            "rmsea_ci_lower_scaled": 0.0716817720863,
            "rmsea_ci_upper_scaled": 0.11634060638,
            "rmsea_pvalue_scaled": 0.00107437160297,
            "rmsea_robust": 0.095641351645,
            "rmsea_ci_lower_robust": 0.0725782904481,
            "rmsea_ci_upper_robust": 0.118887922018,
            "rmsea_pvalue_robust": 0.00107161754706,
        },
        [
            0.0000000000, 0.1307167761, 0.1484625760, 0.0000000000, 0.1077607499,
            0.0876822894, 0.0000000000, 0.2858252181, 0.2037623093, 0.2626105125,
            0.1647334579, 0.1209749287, 0.0727705397, 0.0898235095, 0.0556838388,
            0.1262464441, 0.1000474444, 0.1075756256, 0.3250638490, 0.1575468272,
            0.1266725649, 0.1186538537, 0.0694788533, 0.0691951543, 0.0945715546,
            0.0981805502, 0.0928808570, 0.0919756943, 0.1046333519, 0.0790345877,
            0.0865995806, 0.0781185315, 0.0791603803, 0.0000000000, 0.0000000000,
            0.0000000000, 0.0000000000, 0.1624257903, 0.1793997242, 0.0000000000,
            0.0875224374, 0.0905500763, 0.0000000000, 0.1620791506, 0.1421507755,
            0.1674195852, 0.1395571443, 0.1071029655, 0.0659514597, 0.0714012931,
            0.0757781072, 0.0796054699, 0.1116593812, 0.0843032818, 0.1801373587,
            0.1624187757, 0.1084555152, 0.1050001995, 0.0822730083, 0.0935959518,
            0.0953630851, 0.0919662348, 0.0860378843, 0.0931151424, 0.0961917870,
            0.0939604363, 0.0855731027, 0.0868760427, 0.0851387504, 0.0000000000,
            0.0000000000, 0.0000000000
        ],
    ),
    "PD MLR": (
        {
            "chisq": 38.1252182281,
            "df": 35,
            "chisq_scaled": 41.4006913956,
            "chisq_scaling_factor": 0.920883611913,
            "pvalue_scaled": 0.211433386068,
            "baseline_chisq_scaled": 702.841202129,
            "baseline_chisq_scaling_factor": 1.03957207287,
            "cfi_scaled": 0.990119968637,
            "tli_scaled": 0.984474236429,
            "cfi_robust": 0.991247976735,
            "tli_robust": 0.986246820583,
            "rmsea_scaled": 0.0493797390322,
            "rmsea_ci_lower_scaled": 0,
            "rmsea_ci_upper_scaled": 0.102783104039,
            "rmsea_pvalue_scaled": 0.474147619071,
            "rmsea_robust": 0.0473861213803,
            "rmsea_ci_lower_robust": 0,
            "rmsea_ci_upper_robust": 0.0967632463884,
            "rmsea_pvalue_robust": 0.498526825342,
        },
        [
            0.0000000000, 0.1449333066, 0.1404273083, 0.0000000000, 0.1497618884,
            0.1304706448, 0.1460342925, 0.0000000000, 0.1812746345, 0.1725669973,
            0.1893765743, 0.3423342358, 0.2247622603, 0.0872733788, 0.4543481657,
            0.7268623623, 0.8622415424, 0.6150869041, 0.4336694010, 0.7384348367,
            0.0185100889, 0.0725436853, 0.0828646778, 0.4770333224, 1.2965601880,
            1.0863749261, 0.7932658976, 0.6051789696, 0.9019566625, 0.6216288701,
            0.9002470870, 0.0729315598, 0.9157118412, 0.2271445035, 0.3404644001
        ],
    ),
    "PD MLM": (
        {
            "chisq": 38.1252182281,
            "df": 35,
            "chisq_scaled": 39.9712625154,
            "chisq_scaling_factor": 0.953815712309,
            "pvalue_scaled": 0.258796269899,
            "baseline_chisq_scaled": 750.387894395,
            "baseline_chisq_scaling_factor": 0.973701855867,
            "cfi_scaled": 0.992851094252,
            "tli_scaled": 0.988766005253,
            "cfi_robust": 0.992997098047,
            "tli_robust": 0.988995439788,
            "rmsea_scaled": 0.0435179766486,
            "rmsea_ci_lower_scaled": 0,
            "rmsea_ci_upper_scaled": 0.0983206077258,
            "rmsea_pvalue_scaled": 0.53221531488,
            "rmsea_robust": 0.0425011744251,
            "rmsea_ci_lower_robust": 0,
            "rmsea_ci_upper_robust": 0.0949199584806,
            "rmsea_pvalue_robust": 0.547225240054,
        },
        [
            0.0000000000, 0.1435874517, 0.1391413418, 0.0000000000, 0.1402049140,
            0.1341857654, 0.1268364209, 0.0000000000, 0.1711949977, 0.1663050687,
            0.1711073231, 0.3378695862, 0.2061632712, 0.0864260323, 0.4187463108,
            0.7413090625, 0.8758325021, 0.5819023085, 0.3935476055, 0.7296307698,
            0.0180388565, 0.0726497598, 0.0857063572, 0.4102920203, 1.3038119496,
            0.9966263046, 0.7764805950, 0.5616813938, 0.9678759304, 0.5866075701,
            0.8497421849, 0.0724569363, 0.8700616574, 0.2201141295, 0.3308287549
        ],
    ),
}  # fmt: skip


def _hs_missing() -> pd.DataFrame:
    d = holzinger39.get_data().copy()
    i = np.arange(1, len(d) + 1)
    d.loc[i % 6 == 0, "x1"] = np.nan
    d.loc[i % 7 == 2, "x5"] = np.nan
    d.loc[i % 5 == 3, "x9"] = np.nan
    d.loc[i % 11 == 4, "x3"] = np.nan
    return d


CASES = {
    "HS MLR": lambda: fit_sem(HS_MODEL, holzinger39.get_data(), estimator="MLR"),
    "HS MLM": lambda: fit_sem(HS_MODEL, holzinger39.get_data(), estimator="MLM"),
    "HS FIML MLR": lambda: fit_sem(HS_MODEL, _hs_missing(), estimator="MLR", missing="fiml"),
    "HS MG MLR": lambda: fit_sem(
        HS_MODEL, holzinger39.get_data(), estimator="MLR", group="school",
        group_equal=["loadings"],
    ),
    "HS MG MLM": lambda: fit_sem(HS_MODEL, holzinger39.get_data(), estimator="MLM", group="school"),
    "PD MLR": lambda: fit_sem(PD_MODEL, political_democracy.get_data(), estimator="MLR"),
    "PD MLM": lambda: fit_sem(PD_MODEL, political_democracy.get_data(), estimator="MLM"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_scaled_and_robust_fit_match_lavaan(case):
    fit, _ = REFERENCE[case]
    result = CASES[case]()
    index_tol = 2e-6 if "FIML" in case else 1e-6
    for key, value in fit.items():
        if key in STATISTICS:
            assert result.fit[key] == pytest.approx(value, rel=2e-6), key
        elif key == "df":
            assert result.fit[key] == value
        else:
            assert result.fit[key] == pytest.approx(value, abs=index_tol), key


@pytest.mark.parametrize("case", list(CASES))
def test_robust_standard_errors_match_lavaan(case):
    _, se = REFERENCE[case]
    result = CASES[case]()
    # lavaan's rows, ":=" included, in the order of parameterEstimates()
    np.testing.assert_allclose(result.estimates["se"].to_numpy(), se, atol=1e-5)
    assert result.estimator == case.split()[-1]


def test_estimates_and_ml_fit_unchanged_by_estimator():
    hs = holzinger39.get_data()
    ml = fit_sem(HS_MODEL, hs)
    mlr = fit_sem(HS_MODEL, hs, estimator="mlr")
    np.testing.assert_allclose(mlr.estimates["est"], ml.estimates["est"])
    assert mlr.fit["chisq"] == ml.fit["chisq"]
    assert not np.allclose(mlr.estimates["se"], ml.estimates["se"])
    assert "chisq_scaled" not in ml.fit


def test_estimator_errors():
    hs = holzinger39.get_data()
    with pytest.raises(ModelError, match="estimator must be one of"):
        fit_sem(HS_MODEL, hs, estimator="GLS")
    with pytest.raises(ModelError, match="MLM needs complete data"):
        fit_sem(HS_MODEL, hs, estimator="MLM", missing="fiml")



def test_saturated_model_has_no_scaled_test():
    # In R: fitMeasures(sem("x2 ~ x1", HolzingerSwineford1939, estimator = "MLR")):
    # baseline.chisq.scaled 26.05751499, scaling factor 1.069307172; chisq.scaling.factor,
    # cfi.robust, rmsea.scaled NA; cfi.scaled 1, rmsea.robust 0 (fixed.x, df = 0)
    res = fit_sem("x2 ~ x1", holzinger39.get_data(), estimator="MLR")
    fit = res.fit
    assert fit["df"] == 0 and fit["cfi_scaled"] == 1 and fit["rmsea_robust"] == 0
    assert fit["baseline_chisq_scaled"] == pytest.approx(26.05751499, rel=1e-6)
    assert fit["baseline_chisq_scaling_factor"] == pytest.approx(1.069307172, rel=1e-6)
    assert all(np.isnan(fit[k]) for k in ("chisq_scaling_factor", "cfi_robust", "rmsea_scaled"))
