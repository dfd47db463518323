"""Modification indices, score tests and standardised residuals against lavaan 0.6.14.

Reference values from Debian's r-cran-lavaan 0.6.14:

    library(lavaan)
    HS <- 'visual =~ x1 + x2 + x3
    textual =~ x4 + x5 + x6
    speed =~ x7 + x8 + x9'
    pr <- function(m) cat(sprintf('("%s", "%s", "%s", %s, %.10g, %.10g, %.10g),', m$lhs, m$op,
        m$rhs, if (is.null(m$group)) "None" else m$group, m$mi, m$epc, m$sepc.all), sep = "\n")
    pr(modindices(cfa(HS, HolzingerSwineford1939)))
    PD <- 'ind60 =~ x1 + x2 + x3
           dem60 =~ y1 + y2 + y3 + y4
           dem65 =~ y5 + y6 + y7 + y8
           dem60 ~ ind60
           dem65 ~ ind60 + dem60
           y1 ~~ y5'
    pr(modindices(sem(PD, PoliticalDemocracy)))
    fitmg <- cfa(HS, HolzingerSwineford1939, group = "school",
                 group.equal = c("loadings", "intercepts"))
    pr(modindices(fitmg))
    cat(sprintf("%.10g", lavTestScore(fitmg)$uni$X2), sep = ", ")
    r <- lavResiduals(cfa(HS, HolzingerSwineford1939))
    cat(sprintf("%.10g", lav_matrix_vech(r$cov)), sep = ", ")    # cor.bentler
    cat(sprintf("%.10g", lav_matrix_vech(r$cov.z)), sep = ", ")  # standardised

lavaan's optimiser stops about 1e-6 short of the ML solution (multi-group
fits a little more), so MIs are compared to 1e-4 relative.
"""

from __future__ import annotations

import numpy as np
import pytest
from semopy.examples import holzinger39, political_democracy

from sqresearch.errors import ModelError
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.modindices import modification_indices, residuals, score_tests

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
PD_MODEL = """ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5"""

MI_HS = [
    ("visual", "=~", "x4", None, 1.211432114, 0.07655356155, 0.05925851139),
    ("visual", "=~", "x5", None, 7.440646132, -0.2098980111, -0.1465687509),
    ("visual", "=~", "x6", None, 2.842924999, 0.1114119956, 0.09163478746),
    ("visual", "=~", "x7", None, 18.63063846, -0.4218623858, -0.3489088012),
    ("visual", "=~", "x8", None, 4.29456706, -0.2104085841, -0.1872409004),
    ("visual", "=~", "x9", None, 36.41103065, 0.5770215378, 0.5152491098),
    ("textual", "=~", "x1", None, 8.902732288, 0.3503311372, 0.2974883843),
    ("textual", "=~", "x2", None, 0.01726051717, -0.01135422974, -0.009559563003),
    ("textual", "=~", "x3", None, 9.150894796, -0.2716376132, -0.2380993264),
    ("textual", "=~", "x7", None, 0.09794954136, -0.02098942837, -0.01909778416),
    ("textual", "=~", "x8", None, 3.358609698, -0.1207721626, -0.1182348105),
    ("textual", "=~", "x9", None, 4.796024514, 0.138393386, 0.1359508136),
    ("speed", "=~", "x1", None, 0.01385230094, 0.02440100955, 0.01296945198),
    ("speed", "=~", "x2", None, 1.580000393, -0.1983315285, -0.1045188632),
    ("speed", "=~", "x3", None, 0.7163370937, 0.135999808, 0.07461551018),
    ("speed", "=~", "x4", None, 0.003259203003, -0.005063768734, -0.002699125051),
    ("speed", "=~", "x5", None, 0.2008423662, -0.04395385605, -0.02113459114),
    ("speed", "=~", "x6", None, 0.2729566692, 0.04412042096, 0.02498802185),
    ("x1", "~~", "x2", None, 3.606009044, -0.1837637844, -0.2329038717),
    ("x1", "~~", "x3", None, 0.9346534946, -0.1385243956, -0.2034530317),
    ("x1", "~~", "x4", None, 3.554463132, 0.07830316543, 0.1734537187),
    ("x1", "~~", "x5", None, 0.5222475388, -0.03316275898, -0.06699641337),
    ("x1", "~~", "x6", None, 0.04816837781, 0.008700980235, 0.01967487949),
    ("x1", "~~", "x7", None, 5.419590344, -0.1291126581, -0.1948863861),
    ("x1", "~~", "x8", None, 0.6335168512, -0.04105964747, -0.07934738482),
    ("x1", "~~", "x9", None, 7.334930413, 0.1378938264, 0.2473310964),
    ("x2", "~~", "x3", None, 8.531826664, 0.2182392796, 0.2230502128),
    ("x2", "~~", "x4", None, 0.5339648649, -0.03376955479, -0.05205488027),
    ("x2", "~~", "x5", None, 0.02258779851, -0.007666587871, -0.01077791706),
    ("x2", "~~", "x6", None, 0.7853779847, 0.03922604714, 0.06172346034),
    ("x2", "~~", "x7", None, 8.918022231, -0.1827253847, -0.1919302308),
    ("x2", "~~", "x8", None, 0.0535158796, -0.01246570923, -0.0167635585),
    ("x2", "~~", "x9", None, 1.8945222, 0.07509833748, 0.09373376102),
    ("x3", "~~", "x4", None, 0.1415307258, -0.0158121787, -0.02824547942),
    ("x3", "~~", "x5", None, 7.858085358, -0.1300946649, -0.2119401933),
    ("x3", "~~", "x6", None, 1.854794295, 0.05476619021, 0.0998640948),
    ("x3", "~~", "x7", None, 0.63785111, -0.04449314828, -0.05415751859),
    ("x3", "~~", "x8", None, 0.05888969107, -0.01208495682, -0.01883282387),
    ("x3", "~~", "x9", None, 4.12631771, 0.101661278, 0.1470423399),
    ("x4", "~~", "x5", None, 2.534457929, 0.1858667946, 0.4566905689),
    ("x4", "~~", "x6", None, 6.220497085, -0.2348029289, -0.6457534629),
    ("x4", "~~", "x7", None, 5.919706654, 0.09818084618, 0.1802431571),
    ("x4", "~~", "x8", None, 3.804810068, -0.06907358811, -0.1623486766),
    ("x4", "~~", "x9", None, 0.1956817262, -0.01588655675, -0.03465636534),
    ("x5", "~~", "x6", None, 0.9159003615, 0.1008937315, 0.2530603015),
    ("x5", "~~", "x7", None, 1.232749336, -0.04945185023, -0.08279634451),
    ("x5", "~~", "x8", None, 0.3466124606, 0.02301663067, 0.04933726693),
    ("x5", "~~", "x9", None, 0.9988706193, 0.03962125072, 0.07882754808),
    ("x6", "~~", "x7", None, 0.2586820513, -0.01966178218, -0.03684635212),
    ("x6", "~~", "x8", None, 0.2748793725, 0.0177716652, 0.04263874974),
    ("x6", "~~", "x9", None, 0.0970787219, -0.01071548761, -0.02386188652),
    ("x7", "~~", "x8", None, 34.14508936, 0.5364439702, 0.8591509766),
    ("x7", "~~", "x9", None, 5.182955177, -0.1867068907, -0.2775376874),
    ("x8", "~~", "x9", None, 14.94639174, -0.4230959181, -0.8052026123),
]  # fmt: skip
# 76 rows in R; a sample of them:
MI_PD = [
    ("x1", "~~", "y7", None, 0.6842636235, -0.06178363138, -0.1149044777),
    ("y4", "~~", "y8", None, 0.1409466737, 0.16671165, 0.062198425),
    ("dem65", "=~", "x2", None, 0.1717167098, -0.01910375686, -0.02581222874),
    ("x3", "~~", "y7", None, 0.1305388601, 0.06122481271, 0.04777361363),
    ("y2", "~~", "y8", None, 0.6534502023, -0.4764336972, -0.1164319362),
    ("dem60", "=~", "x1", None, 1.041388006, 0.02110546325, 0.0626951391),
    ("ind60", "=~", "y2", None, 2.000086856, -0.7762093021, -0.1324660128),
    ("y5", "~~", "y7", None, 1.026257654, 0.3945602129, 0.1292260634),
    ("x2", "~~", "y1", None, 1.037277341, -0.1001933068, -0.199213355),
    ("x1", "~~", "y6", None, 0.7681197394, -0.0703268731, -0.1200511051),
    ("x1", "~~", "y1", None, 1.43024667, 0.06469175947, 0.1531007718),
    ("y4", "~~", "y7", None, 0.8529151495, -0.4378847477, -0.1431366209),
]  # fmt: skip
# 114 rows in R; a sample of them:
MI_MG = [
    ("textual", "=~", "x7", 2, 2.578481361, -0.1328233352, -0.1165488532),
    ("x5", "~~", "x9", 2, 0.1908344321, 0.02254568207, 0.05086169413),
    ("textual", "=~", "x8", 2, 1.971717011, -0.1140483269, -0.1024450289),
    ("visual", "=~", "x4", 2, 0.8546760927, 0.08494768576, 0.06489327611),
    ("x5", "~~", "x6", 1, 0.1837620159, 0.03489148094, 0.0959501297),
    ("x1", "~~", "x5", 2, 0.06009098666, -0.01532149945, -0.03089098031),
    ("x6", "~~", "x9", 2, 0.05253839932, -0.01154756615, -0.02417203214),
    ("speed", "=~", "x2", 1, 1.374289298, -0.2627022195, -0.1194181419),
    ("x1", "~~", "x7", 1, 1.303588107, -0.09222534135, -0.1312928602),
    ("x7", "~~", "x8", 2, 14.46780734, 0.3743790443, 0.7187543841),
    ("textual", "=~", "x1", 2, 0.5606652663, 0.08701677969, 0.06955733928),
    ("x4", "~~", "x9", 1, 1.34751446, -0.06379918712, -0.1182447085),
]  # fmt: skip
SCORE_X2 = [0.3056581688, 1.636480062, 2.743512641, 2.627288525, 0.02655009314, 0.003648838712,
            5.84725829, 6.863265558, 19.19250034, 2.138795827, 1.562734878, 0.03249302495,
            15.02144586, 4.709541906, 1.497902584]  # fmt: skip
# lav_matrix_vech(r$cov) and (r$cov.z): column-major lower triangle; the first 12 entries
COR_BENTLER = [-8.00791462e-08, -0.02962372854, -0.007896655498, 0.07131909916, -0.009176240224,
               0.0601863925, -0.1399817613, -0.03868037457, 0.1488114585, 5.21732641e-07,
               0.09368083264, -0.0124683132]  # fmt: skip
Z = [-8.00791462e-08, -1.996059298, -0.996917122, 2.67921687, -0.3593193209, 2.15531946,
     -3.773089708, -1.380014665, 4.077482587, 5.21732641e-07, 2.688982582, -0.2841511619]  # fmt: skip


@pytest.fixture(scope="module")
def hs_fit():
    return fit_sem(HS_MODEL, holzinger39.get_data())


@pytest.fixture(scope="module")
def mg_fit():
    return fit_sem(HS_MODEL, holzinger39.get_data(), group="school",
                   group_equal=["loadings", "intercepts"])  # fmt: skip


def _check(mi, reference, groups=None):
    keyed = {
        (r.lhs, r.op, r.rhs, groups.index(r.group) + 1 if groups else None): (
            r.mi,
            r.epc,
            r.sepc_all,
        )
        for r in mi.itertuples()
    }
    for lhs, op, rhs, group, *values in reference:
        np.testing.assert_allclose(keyed[(lhs, op, rhs, group)], values, rtol=1e-4, atol=1e-5)


def test_modindices_hs_every_row_as_lavaan(hs_fit):
    mi = modification_indices(hs_fit)
    assert list(mi.columns) == ["lhs", "op", "rhs", "mi", "epc", "sepc_all", "pvalue"]
    # the same rows, in lavaan's order
    assert [tuple(r) for r in mi[["lhs", "op", "rhs"]].values] == [r[:3] for r in MI_HS]
    _check(mi, MI_HS)
    top = modification_indices(hs_fit, sort=True, minimum=10)
    # In R: modindices(fit, sort. = TRUE, minimum.value = 10)
    assert top[["lhs", "rhs"]].values.tolist() == [["visual", "x9"], ["x7", "x8"],
                                                    ["visual", "x7"], ["x8", "x9"]]  # fmt: skip


def test_modindices_sem_with_regressions():
    res = fit_sem(PD_MODEL, political_democracy.get_data())
    mi = modification_indices(res)
    assert len(mi) == 76
    _check(mi, MI_PD)


def test_modindices_multigroup(mg_fit):
    mi = modification_indices(mg_fit)
    assert len(mi) == 114 and set(mi["group"]) == {"Pasteur", "Grant-White"}
    _check(mi, MI_MG, mg_fit.groups)


def test_score_tests_of_equality_constraints(mg_fit, hs_fit):
    tests = score_tests(mg_fit)
    np.testing.assert_allclose(tests["x2"], SCORE_X2, rtol=1e-4)
    assert tests.loc[tests["x2"].idxmax(), ["lhs", "op"]].tolist() == ["x3", "~1"]
    assert (tests["group"] == "Grant-White").all() and (tests["df"] == 1).all()
    with pytest.raises(ModelError, match="no equality constraints"):
        score_tests(hs_fit)


def test_residuals_as_lav_residuals(hs_fit):
    r = residuals(hs_fit)
    lower = np.tril_indices(9)
    order = np.lexsort((lower[0], lower[1]))  # column-major, as lav_matrix_vech
    cor = r["cor"].to_numpy()[lower][order][:12]
    z = r["z"].to_numpy()[lower][order][:12]
    np.testing.assert_allclose(cor, COR_BENTLER, atol=1e-6)
    np.testing.assert_allclose(z, Z, atol=1e-4)
    np.testing.assert_allclose(r["cov"], hs_fit.sample_cov - hs_fit.implied_cov)


def test_modindices_under_fiml():
    # In R: d <- HolzingerSwineford1939 with x1, x5, x9, x3 blanked as in test_sem_robust.py;
    # modindices(cfa(HS, d, missing = "ml"), sort. = TRUE)[1:5, ]
    reference = [
        ("visual", "=~", "x9", None, 23.522025, 0.466955, 0.398924),
        ("x7", "~~", "x8", None, 18.146984, 0.636275, 1.150406),
        ("visual", "=~", "x7", None, 9.663216, -0.299030, -0.235853),
        ("visual", "=~", "x5", None, 9.156639, -0.264677, -0.175986),
        ("x3", "~~", "x5", None, 8.447723, -0.153667, -0.255996),
    ]
    d = holzinger39.get_data().copy()
    i = np.arange(1, len(d) + 1)
    d.loc[i % 6 == 0, "x1"] = np.nan
    d.loc[i % 7 == 2, "x5"] = np.nan
    d.loc[i % 5 == 3, "x9"] = np.nan
    d.loc[i % 11 == 4, "x3"] = np.nan
    mi = modification_indices(fit_sem(HS_MODEL, d, missing="fiml"), sort=True)
    assert [tuple(r) for r in mi[["lhs", "op", "rhs"]].head(5).values] == [r[:3] for r in reference]
    _check(mi, reference)
