"""WLSMV with ordered and continuous indicators against lavaan 0.6.14.

HolzingerSwineford1939 with x1–x3 cut at their quartiles into 4 ordered
categories and x4–x9 left continuous; reference values printed by
tests/r/sem_wlsmv_mixed.R::

    d <- HolzingerSwineford1939[paste0("x", 1:9)]
    for (v in c("x1", "x2", "x3"))
      d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
    fit <- cfa(HS, d, ordered = c("x1", "x2", "x3"), estimator = "WLSMV")

the thresholds, the means and variances of x4–x9, the correlations (polychoric, polyserial,
Pearson) below the diagonal column by column, NACOV entries
``diag(g)[c(1, 4, 10, 11, 16, 17, 30, 45)], g[1, c(2, 10, 16, 17, 30)],
g[10, c(16, 17, 30)]``, every free row (est, se, std.all) and fit measures.
"""

from __future__ import annotations

import numpy as np
import pytest

from sqresearch.errors import ModelError
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.ordinal import _lower, polychoric

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
ORDERED = ["x1", "x2", "x3"]
CONTINUOUS = ["x4", "x5", "x6", "x7", "x8", "x9"]
TH = [
    -0.785955278564, -0.0708443997499, 0.536863179758, -0.917646458825, -0.0541563073764,
    0.585607161224, -0.719617072731, -0.0124918279049, 0.62562420012,
]
MEAN = [3.06090808684, 4.34053156146, 2.18557190176, 4.18590206678, 5.52707641196, 5.37412329169]
VAR = [1.35066450786, 1.65978576395, 1.19635837803, 1.18313946433, 1.02198281476, 1.01500386996]
COR = [
    0.312092719878, 0.417312638873, 0.420747513114, 0.320364863261, 0.393583536874,
    0.0492719064616, 0.176719935145, 0.37076560829, 0.335677039086, 0.194457972693,
    0.179577108117, 0.232379308656, -0.0348416370178, 0.0631675316193, 0.213330819145,
    0.138110412873, 0.0623638645964, 0.167218104369, 0.0769236611167, 0.206708136197,
    0.336547729388, 0.733170166387, 0.704480241872, 0.173829117106, 0.10689837521, 0.207848305589,
    0.719955540265, 0.102044752581, 0.138669981253, 0.227466416523, 0.121101696295, 0.14961132312,
    0.214161742837, 0.486757925678, 0.340645718979, 0.449015447452,
]
GAMMA = [
    1.9730909272, 2.14706961675, 1.3987847666, 1.81283846512, 3.59745473774, 8.2221878796,
    1.1530111876, 1.64579724722, 0.978553638547, 0.404939204448, 0.203897525498, 0.012062426929,
    0.185416119283, 0.416065442913, 0.324092109809, 0.00580623126969,
]
ROWS = [
    ("visual", "=~", "x2", 0.5351414005, 0.09749699115, 0.4444654377),
    ("visual", "=~", "x3", 0.6131287507, 0.1073863216, 0.5092383776),
    ("textual", "=~", "x5", 1.032631588, 0.07479764299, 0.8055108141),
    ("textual", "=~", "x6", 0.9420246153, 0.07389321344, 0.8655333508),
    ("speed", "=~", "x8", 1.208047922, 0.1861012831, 0.6091877852),
    ("speed", "=~", "x9", 1.667537149, 0.2951755532, 0.8437823484),
    ("x1", "|", "t1", -0.7859552786, 0.08109851884, -0.7859552786),
    ("x1", "|", "t2", -0.07084439975, 0.07242614873, -0.07084439975),
    ("x1", "|", "t3", 0.5368631798, 0.07628029661, 0.5368631798),
    ("x2", "|", "t1", -0.9176464588, 0.08459845579, -0.9176464588),
    ("x2", "|", "t2", -0.05415630738, 0.07239869797, -0.05415630738),
    ("x2", "|", "t3", 0.5856071612, 0.07705483105, 0.5856071612),
    ("x3", "|", "t1", -0.7196170727, 0.07959858122, -0.7196170727),
    ("x3", "|", "t2", -0.0124918279, 0.07236217705, -0.0124918279),
    ("x3", "|", "t3", 0.6256242001, 0.07774931946, 0.6256242001),
    ("x4", "~~", "x4", 0.3407034787, 0.06843676651, 0.2522488703),
    ("x5", "~~", "x5", 0.5828382279, 0.08162669309, 0.3511523283),
    ("x6", "~~", "x6", 0.3001089205, 0.06142375017, 0.2508520186),
    ("x7", "~~", "x7", 0.9232567802, 0.09456010375, 0.7803447803),
    ("x8", "~~", "x8", 0.6427148164, 0.07536935287, 0.6288902423),
    ("x9", "~~", "x9", 0.2923529132, 0.1128219833, 0.2880313486),
    ("visual", "~~", "visual", 0.689824935, 0.120797984, 1),
    ("textual", "~~", "textual", 1.009960563, 0.1268613634, 1),
    ("speed", "~~", "speed", 0.25988278, 0.07575847936, 1),
    ("visual", "~~", "textual", 0.4094224034, 0.0616250148, 0.4905123552),
    ("visual", "~~", "speed", 0.195104491, 0.04681351313, 0.4607963922),
    ("textual", "~~", "speed", 0.1498565594, 0.04643395572, 0.2925060125),
    ("x4", "~1", "", 3.060908087, 0.06828335001, 2.63376256),
    ("x5", "~1", "", 4.340531561, 0.07773541589, 3.369121554),
    ("x6", "~1", "", 2.185571902, 0.07348900586, 1.998179257),
    ("x7", "~1", "", 4.185902067, 0.06398261201, 3.848319092),
    ("x8", "~1", "", 5.527076412, 0.06108705909, 5.467310525),
    ("x9", "~1", "", 5.374123292, 0.05870195186, 5.33425523),
]
FIT = {
    "npar": 33,
    "chisq": 47.9906968395,
    "df": 24,
    "chisq_scaled": 81.0434835796,
    "chisq_scaling_factor": 0.635094293788,
    "baseline_chisq": 918.785736184,
    "baseline_chisq_scaled": 510.479183596,
    "cfi_scaled": 0.879776636043,
    "tli_scaled": 0.819664954064,
    "rmsea_scaled": 0.0890095840498,
    "rmsea_ci_lower_scaled": 0.0681288873441,
    "rmsea_ci_upper_scaled": 0.110722388863,
    "srmr": 0.0629734482849,
}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    from semopy.examples import holzinger39

    hs = holzinger39.get_data()
    out = hs[ORDERED + CONTINUOUS].copy()
    for v in ORDERED:  # R's quantile type 7 is numpy's default
        out[v] = np.searchsorted(np.quantile(hs[v], [0.25, 0.5, 0.75]), hs[v], side="right") + 1
    return out


@pytest.fixture(scope="module")
def fit(data):
    return fit_sem(HS_MODEL, data, ordered=ORDERED, estimator="WLSMV")


def test_mixed_sample_statistics_match_lavaan(data):
    stats = polychoric(data, continuous=CONTINUOUS)
    moments = stats.moments
    np.testing.assert_allclose(moments[:9], TH, atol=1e-9)  # lavaan's th slot: then −means
    np.testing.assert_allclose(-moments[9:15], MEAN, rtol=1e-9)
    np.testing.assert_allclose(moments[15:21], VAR, rtol=1e-9)
    np.testing.assert_allclose(_lower(stats.cor.to_numpy()), COR, atol=1e-7)
    g = stats.gamma
    assert g.shape == (57, 57)
    idx = np.array([1, 4, 10, 11, 16, 17, 30, 45]) - 1
    mine = [*np.diag(g)[idx], *g[0, [1, 9, 15, 16, 29]], *g[9, [15, 16, 29]]]
    np.testing.assert_allclose(mine, GAMMA, rtol=1e-6)


def test_mixed_wlsmv_matches_lavaan(fit):
    keyed = {(r.lhs, r.op, r.rhs): (r.est, r.se, r.std_all) for r in fit.estimates.itertuples()}
    for lhs, op, rhs, *values in ROWS:
        np.testing.assert_allclose(keyed[(lhs, op, rhs)], values, atol=1e-5, err_msg=lhs + op + rhs)
    assert len(fit.estimates[fit.estimates["se"] > 0]) == len(ROWS)
    for key, value in FIT.items():
        assert fit.fit[key] == pytest.approx(value, rel=1e-6), key
    # delta parametrisation: the ordered items' latent responses have unit variance
    implied = np.diag(fit.implied_cov.to_numpy())
    np.testing.assert_allclose(implied[:3], 1.0, atol=1e-12)
    np.testing.assert_allclose(implied[3:], VAR, rtol=1e-6)


def test_mixed_refused_with_groups_or_pairwise(data):
    for extra in ({"group": "g"}, {"missing": "pairwise"}):
        with pytest.raises(ModelError, match="x4, x5, x6, x7, x8, x9 are not ordered"):
            fit_sem(HS_MODEL, data.assign(g=[1, 2] * 150 + [1]), ordered=ORDERED,
                    estimator="WLSMV", **extra)  # fmt: skip


def test_cli_mixed(data, tmp_path, capsys):
    import json

    from sqresearch.cli import main

    model, csv = tmp_path / "hs.lav", tmp_path / "mixed.csv"
    model.write_text(HS_MODEL + "\n", encoding="utf-8")
    data.to_csv(csv, index=False)
    argv = ["sem", str(model), str(csv), "--estimator", "WLSMV", "--ordered", "x1,x2,x3"]
    assert main([*argv, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["fit"]["chisq_scaled"] == pytest.approx(FIT["chisq_scaled"], rel=1e-6)
    assert main([*argv, "--missing", "pairwise", "--json"]) == 2
    assert "are not ordered" in capsys.readouterr().err
