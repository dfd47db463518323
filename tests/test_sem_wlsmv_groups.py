"""Multi-group WLSMV against lavaan 0.6.14: configural, equal loadings, and their difference test.

The ``hs_ordinal`` items (quartile-cut HolzingerSwineford1939) with the
school as group; reference values printed by tests/r/sem_wlsmv_groups.R
(``cfa(HS, d, ordered = TRUE, estimator = "WLSMV", group = "school",
group.equal = "none" | "loadings")``, ``parameterEstimates(fit,
standardized = TRUE)``, ``fitMeasures``, ``lavTestLRT(configural, metric)``).
"""

from __future__ import annotations

import numpy as np
import pytest
from semopy.examples import holzinger39

from sqresearch.errors import ModelError
from sqresearch.sem.compare import compare_models
from sqresearch.sem.fit import fit_sem

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
GROUPS = ["Pasteur", "Grant-White"]  # lavaan's groups 1, 2
REFERENCE = {  # (lhs, op, rhs, group, est, se, std.all) and fitMeasures
    "configural": {
        "rows": [
            ("visual", "=~", "x2", 1, 0.4238423299, 0.1513770516, 0.3727799552),
            ("textual", "=~", "x6", 1, 1.128027725, 0.07923350755, 0.8882110904),
            ("speed", "=~", "x9", 1, 2.133030464, 0.8306624739, 0.8438432344),
            ("x1", "|", "t1", 1, -0.8010945293, 0.1133482942, -0.8010945293),
            ("x9", "|", "t1", 1, -0.7575541308, 0.1119168943, -0.7575541308),
            ("speed", "~~", "speed", 1, 0.1565054369, 0.08948136132, 1),
            ("visual", "~~", "textual", 1, 0.3290270256, 0.06619993323, 0.4751020783),
            ("visual", "=~", "x2", 2, 0.6388557575, 0.1129081991, 0.5165158217),
            ("textual", "=~", "x6", 2, 0.8857275865, 0.07684823089, 0.7839305127),
            ("speed", "=~", "x9", 2, 1.451360442, 0.2211231954, 0.8594828411),
            ("x1", "|", "t1", 2, -0.7698661245, 0.1164934828, -0.7698661245),
            ("x9", "|", "t1", 2, -0.6159446754, 0.111957668, -0.6159446754),
            ("speed", "~~", "speed", 2, 0.350690384, 0.08879467152, 1),
            ("visual", "~~", "textual", 2, 0.4197380691, 0.07344341066, 0.5865704046),
        ],
        "fit": {
            "chisq": 85.525352011,
            "df": 48,
            "chisq_scaled": 122.636339503,
            "chisq_scaling_factor": 0.758968905098,
            "baseline_chisq": 2071.49855529,
            "baseline_chisq_scaled": 1322.95918485,
            "cfi": 0.981232618592,
            "tli": 0.971848927889,
            "cfi_scaled": 0.940336710896,
            "tli_scaled": 0.910505066344,
            "rmsea": 0.0723137981114,
            "rmsea_scaled": 0.101984448275,
            "rmsea_ci_upper_scaled": 0.124494866385,
            "srmr": 0.0828015754171,
            "npar": 78,
        },
    },
    "loadings": {
        "rows": [
            ("visual", "=~", "x2", 1, 0.5659871863, 0.09142908302, 0.4312996946),
            ("textual", "=~", "x6", 1, 1.011898856, 0.05478773895, 0.857645269),
            ("speed", "=~", "x9", 1, 1.559703153, 0.2231995805, 0.7119963526),
            ("x1", "|", "t1", 1, -0.8010945293, 0.1133482942, -0.8010945293),
            ("x9", "|", "t1", 1, -0.7575541308, 0.1119168943, -0.7575541308),
            ("speed", "~~", "speed", 1, 0.2083874871, 0.05836997482, 1),
            ("visual", "~~", "textual", 1, 0.310786245, 0.06630892715, 0.481192275),
            ("visual", "=~", "x2", 2, 0.5659871863, 0.09142908302, 0.4876354507),
            ("textual", "=~", "x6", 2, 1.011898856, 0.05478773895, 0.8274091474),
            ("speed", "=~", "x9", 2, 1.559703153, 0.2231995805, 0.8990062303),
            ("x1", "|", "t1", 2, -0.7698661245, 0.1164934828, -0.7698661245),
            ("x9", "|", "t1", 2, -0.6159446754, 0.111957668, -0.6159446754),
            ("speed", "~~", "speed", 2, 0.3322320323, 0.07901232333, 1),
            ("visual", "~~", "textual", 2, 0.4056195884, 0.06951813251, 0.5757673521),
        ],
        "fit": {
            "chisq": 94.292916355,
            "df": 54,
            "chisq_scaled": 121.598082977,
            "chisq_scaling_factor": 0.864010701973,
            "baseline_chisq": 2071.49855529,
            "baseline_chisq_scaled": 1322.95918485,
            "cfi": 0.979848489388,
            "tli": 0.973131319184,
            "cfi_scaled": 0.945962998797,
            "tli_scaled": 0.927950665062,
            "rmsea": 0.070647512492,
            "rmsea_scaled": 0.0915060299719,
            "rmsea_ci_upper_scaled": 0.113243995253,
            "srmr": 0.0860322343369,
            "npar": 72,
        },
    },
}  # fmt: skip
EQUAL = {"configural": None, "loadings": ["loadings"]}


@pytest.fixture(scope="module")
def fits(hs_ordinal):
    data = hs_ordinal.assign(school=holzinger39.get_data()["school"].to_numpy())
    return {
        name: fit_sem(HS_MODEL, data, ordered=True, estimator="WLSMV", group="school",
                      group_equal=equal)
        for name, equal in EQUAL.items()
    }  # fmt: skip


@pytest.mark.parametrize("name", list(REFERENCE))
def test_multigroup_wlsmv_matches_lavaan(fits, name):
    fit, ref = fits[name], REFERENCE[name]
    assert fit.groups == GROUPS and fit.group_sizes == {"Pasteur": 156, "Grant-White": 145}
    keyed = {
        (r.lhs, r.op, r.rhs, r.group): (r.est, r.se, r.std_all) for r in fit.estimates.itertuples()
    }
    for lhs, op, rhs, g, *values in ref["rows"]:
        np.testing.assert_allclose(
            keyed[(lhs, op, rhs, GROUPS[g - 1])], values, atol=1e-5, err_msg=f"{lhs}{op}{rhs} {g}"
        )
    for key, value in ref["fit"].items():
        assert fit.fit[key] == pytest.approx(value, rel=1e-6), key
    # thresholds of each group follow that group's own statements
    ops = fit.estimates.loc[fit.estimates["group"] == "Grant-White", "op"].tolist()
    assert ops.index("|") == 9 and set(fit.sample_cov) == set(GROUPS)


def test_multigroup_wlsmv_difference_test(fits):
    row = compare_models(fits["configural"], fits["loadings"]).table.iloc[1]
    # In R: lavTestLRT(configural, metric): Chisq diff 7.391820687, Df diff 6, p 0.2861258664
    assert row["delta_chisq"] == pytest.approx(7.391820687, rel=1e-5)
    assert row["delta_df"] == 6 and row["pvalue"] == pytest.approx(0.2861258664, rel=1e-5)


def test_multigroup_wlsmv_refusals(hs_ordinal):
    from sqresearch.errors import InputError

    data = hs_ordinal.assign(g=np.where(np.arange(301) < 150, "a", "b"))
    with pytest.raises(ModelError, match="group_equal='intercepts'.*scale factors"):
        fit_sem(HS_MODEL, data, ordered=True, estimator="WLSMV", group="g",
                group_equal=["intercepts"])  # fmt: skip
    flat = data.assign(x3=np.where(data["g"] == "b", 1, data["x3"]))
    with pytest.raises(InputError, match=r"column 'x3'.*group 'b'"):
        fit_sem(HS_MODEL, flat, ordered=True, estimator="WLSMV", group="g")
