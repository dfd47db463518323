"""Interpretation text says what the numbers say: failing values → failing verdicts."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sqresearch.report import hypotheses as report_hypotheses
from sqresearch.report import method_bias as report_method_bias
from sqresearch.report import process as report_process
from sqresearch.report import reliability as report_reliability
from sqresearch.report import sem as report_sem
from sqresearch.report import validity as report_validity
from sqresearch.thresholds import THRESHOLDS


def _rel(alphas, citc=0.6, negative=()):
    """A stand-in for a ReliabilityTable; ``negative`` items point the other way."""
    idx = pd.MultiIndex.from_tuples(
        [(s, f"{s}{i}") for s in alphas for i in (1, 2, 3)], names=["scale", "item"]
    )
    flags = [item in negative for _, item in idx]
    items = pd.DataFrame({"citc": citc, "alpha_if_deleted": 0.5, "negative": flags}, index=idx)
    problem = items["negative"].groupby(level="scale").any().reindex(list(alphas))
    scales = pd.DataFrame(
        {"alpha": alphas, "sign_problem": problem.to_numpy()},
        index=pd.Index(list(alphas), name="scale"),
    )
    return SimpleNamespace(scales=scales, items=items)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reliability_with_an_item_pointing_the_other_way_is_not_judged(lang):
    # measure/ flags Xa3 (e.g. bfi's C4, C5 before reverse-keying); its α is not interpretable
    out = report_reliability.reliability_text(_rel({"Xa": 0.75, "Xb": 0.80}, negative=["Xa3"]), lang=lang)
    if lang == "zh":
        assert "Xa3" in out and "不可解释" in out and "Xa (α = 0.750)" not in out
    else:
        assert "Xa3" in out and "cannot be interpreted" in out and "Xa (α = 0.750)" not in out
    assert "Xb (α = 0.800)" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cfa_text_with_a_negative_loading_is_not_judged(lang):
    est = pd.DataFrame(
        {"lhs": "F", "op": "=~", "rhs": ["f1", "f2", "f3"], "std_all": [0.7, 0.8, -0.6]}
    )
    validity = pd.DataFrame(
        {"cr": [0.04], "ave": [0.45], "negative_items": ["f3"], "sign_problem": [True]},
        index=pd.Index(["F"], name="factor"),
    )
    out = report_sem.cfa_text(est, validity, lang=lang)
    assert "f3" in out and "0.040" not in out
    assert ("聚合效度良好" not in out) if lang == "zh" else ("is supported" not in out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reliability_fails_and_passes(lang):
    bad = report_reliability.reliability_text(_rel({"CVA": 0.55}, citc=0.2), lang=lang)
    good = report_reliability.reliability_text(_rel({"CVA": 0.88}), lang=lang)
    src = THRESHOLDS.loc["alpha", "source"]
    assert src in bad and src in good
    if lang == "zh":
        assert "低于" in bad and "未达到信度标准" in bad and "0.550" in bad
        assert "CVA1 (0.200)" in bad
        assert "信度良好" in good and "未达到" not in good
    else:
        assert "below" in bad and "does not meet" in bad and "0.550" in bad
        assert "meets" in good and "does not" not in good


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fit_text(lang):
    bad = report_sem.fit_text(
        {"chisq": 300, "df": 50, "cfi": 0.85, "tli": 0.84, "rmsea": 0.11, "srmr": 0.09}, lang=lang
    )
    good = report_sem.fit_text(
        {"chisq": 60, "df": 50, "cfi": 0.97, "tli": 0.96, "rmsea": 0.03, "srmr": 0.04}, lang=lang
    )
    assert "CFI = 0.850" in bad
    assert THRESHOLDS.loc["cfi", "source"] in bad
    if lang == "zh":
        assert bad.startswith("模型拟合欠佳") and "未达到参考标准" in bad
        assert good.startswith("模型拟合良好") and "未达到" not in good
    else:
        assert bad.startswith("The model fits poorly") and "miss their cut-offs" in bad
        assert good.startswith("The model fits well") and "Every index meets" in good


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_discriminant_text_htmt_and_fornell_larcker(lang):
    codes = ["A", "B", "C"]
    high = pd.DataFrame([[1, 0.95, 0.4], [0.95, 1, 0.5], [0.4, 0.5, 1]], index=codes, columns=codes)
    low = pd.DataFrame([[1, 0.6, 0.4], [0.6, 1, 0.5], [0.4, 0.5, 1]], index=codes, columns=codes)
    fl_bad = pd.DataFrame(
        [[0.7, 0.8, 0.4], [0.8, 0.75, 0.5], [0.4, 0.5, 0.9]], index=codes, columns=codes
    )
    bad = report_validity.discriminant_text(fl_bad, high, lang=lang)
    good = report_validity.discriminant_text(fl_bad.where(fl_bad < 0.7, 0.3) + np.eye(3) * 0.6, low, lang=lang)
    assert "0.950" in bad
    if lang == "zh":
        assert "不满足Fornell-Larcker准则" in bad and "区分效度不足" in bad
        assert "满足Fornell-Larcker准则" in good and "区分效度良好" in good and "不满足" not in good
    else:
        assert "failing the Fornell–Larcker criterion" in bad
        assert "not supported" in bad
        assert "meeting the Fornell–Larcker criterion" in good and "supporting" in good


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sem_paths_text_flags_nonsignificant(lang):
    est = pd.DataFrame(
        {
            "lhs": ["Y", "Y"],
            "op": ["~", "~"],
            "rhs": ["X1", "X2"],
            "std_all": [0.42, 0.05],
            "pvalue": [0.0001, 0.48],
        }
    )
    out = report_sem.sem_paths_text(est, lang=lang)
    if lang == "zh":
        assert (
            "X1 → Y (β = 0.420, p < 0.001)显著" in out
            and "X2 → Y (β = 0.050, p = 0.480)不显著" in out
        )
    else:
        assert "X2 → Y (β = 0.050, p = 0.480) are not significant" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cfa_text(lang):
    est = pd.DataFrame(
        {"lhs": ["F"] * 3, "op": ["=~"] * 3, "rhs": ["a", "b", "c"], "std_all": [0.8, 0.75, 0.42]}
    )
    bad = report_sem.cfa_text(est, pd.DataFrame({"cr": [0.65], "ave": [0.41]}, index=["F"]), lang=lang)
    good = report_sem.cfa_text(
        est.assign(std_all=[0.8, 0.75, 0.7]),
        pd.DataFrame({"cr": [0.8], "ave": [0.56]}, index=["F"]),
        lang=lang,
    )
    assert "c (0.420)" in bad and "0.410" in bad
    key = "聚合效度未完全达到标准" if lang == "zh" else "not fully supported"
    assert key in bad and key not in good


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cmb_text(lang):
    h = SimpleNamespace(first_share=0.55, n_components=1)
    ok = SimpleNamespace(first_share=0.31, n_components=4)
    bad, good = report_method_bias.cmb_text(h, lang=lang), report_method_bias.cmb_text(ok, lang=lang)
    assert "55.00%" in bad and "31.00%" in good
    assert (
        ("严重的共同方法偏差" in bad and "不存在严重" in good)
        if lang == "zh"
        else ("serious common method bias" in bad and "not a serious concern" in good)
    )


def test_hypotheses_text():
    s = pd.DataFrame({"id": ["H1", "H2", "H3"], "supported": [True, False, True]})
    assert report_hypotheses.hypotheses_text(s, lang="zh") == "共检验3个假设，H1、H3得到支持，H2未得到支持。"
    assert (
        report_hypotheses.hypotheses_text(s, lang="en")
        == "Of 3 hypotheses, H1 and H3 are supported and H2 is not."
    )


def test_mediation_and_moderation_text_follow_the_numbers():
    from sqresearch.model.process import process

    rng = np.random.default_rng(7)
    n = 300
    x, w = rng.normal(size=n), rng.normal(size=n)
    m = 0.6 * x + rng.normal(size=n)
    y_med = 0.5 * m + rng.normal(size=n)
    # Y0: noise residualised on X and M, so the sample b path is exactly 0: no indirect effect.
    design = np.column_stack([np.ones(n), x, m])
    noise = rng.normal(size=n)
    y_none = noise - design @ np.linalg.lstsq(design, noise, rcond=None)[0]
    d = pd.DataFrame(
        {"X": x, "M": m, "W": w, "Y1": y_med, "Y0": y_none, "Y2": 0.4 * x * w + rng.normal(size=n)}
    )
    yes = report_process.mediation_text(process(d, x="X", y="Y1", m=["M"], model=4, n_boot=500, seed=1))
    no = report_process.mediation_text(process(d, x="X", y="Y0", m=["M"], model=4, n_boot=500, seed=1))
    assert "不包含0，间接效应显著" in yes and "中介" in yes
    assert "包含0，间接效应不显著" in no and "中介效应不显著" in no
    mod = report_process.moderation_text(
        process(d, x="X", y="Y2", w="W", model=1, n_boot=100, seed=1), lang="en"
    )
    nomod = report_process.moderation_text(
        process(d, x="X", y="Y1", w="W", model=1, n_boot=100, seed=1), lang="en"
    )
    assert "is significant" in mod and "W moderates" in mod
    assert "is not significant" in nomod and "no evidence" in nomod


# --- wording: one comparison per cut-off, citations only, each source once ----------

_COMPARISON_WORDS = (
    "低于",
    "高于",
    "超过",
    "达到",
    "不低于",
    "below",
    "above",
    "at least",
    "reach",
)
_SYMBOLS = ("≥", "≤", "<", ">")


def _all_texts(lang):
    fit_bad = {"chisq": 300, "df": 50, "gfi": 0.8, "agfi": 0.7, "cfi": 0.85, "tli": 0.84,
               "rmsea": 0.11, "srmr": 0.09}  # fmt: skip
    fit_good = {"chisq": 60, "df": 50, "gfi": 0.95, "agfi": 0.92, "cfi": 0.97, "tli": 0.96,
                "rmsea": 0.03, "srmr": 0.04}  # fmt: skip
    codes = ["A", "B"]
    htmt = pd.DataFrame([[1, 0.87], [0.87, 1]], index=codes, columns=codes)
    est = pd.DataFrame({"op": ["=~", "=~"], "rhs": ["A1", "A2"], "std_all": [0.45, 0.8]})
    validity = pd.DataFrame({"cr": [0.6], "ave": [0.4]}, index=["A"])
    return [
        report_reliability.reliability_text(_rel({"CVA": 0.55}, citc=0.2), lang=lang),
        report_reliability.reliability_text(_rel({"CVA": 0.88}), lang=lang),
        report_sem.fit_text(fit_bad, lang=lang),
        report_sem.fit_text(fit_good, lang=lang),
        report_validity.discriminant_text(htmt=htmt, lang=lang),
        report_sem.cfa_text(est, validity, lang=lang),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_comparison_word_before_a_symbol(lang):
    for paragraph in _all_texts(lang):
        for word in _COMPARISON_WORDS:
            for sym in _SYMBOLS:
                assert f"{word}{sym}" not in paragraph and f"{word} {sym}" not in paragraph, (
                    word,
                    paragraph,
                )
    zh = report_reliability.reliability_text(_rel({"CVA": 0.88}), lang="zh")
    assert "均不低于0.40" in zh  # the bug was "均不低于≥0.40"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_threshold_notes_are_never_printed(lang):
    notes = [str(n) for n in THRESHOLDS["note"].dropna()]
    assert notes  # the column exists and holds remarks
    for paragraph in _all_texts(lang):
        for note in notes:
            assert note not in paragraph
        assert "advise" not in paragraph


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fit_text_cites_each_source_once(lang):
    fit_bad = {"chisq": 300, "df": 50, "gfi": 0.8, "agfi": 0.7, "cfi": 0.85, "tli": 0.84,
               "rmsea": 0.11, "srmr": 0.09}  # fmt: skip
    for paragraph in (report_sem.fit_text(fit_bad, lang=lang), _all_texts(lang)[3]):
        # GFI and AGFI share Jöreskog & Sörbom (1984); it appears once.
        assert paragraph.count("Jöreskog & Sörbom (1984)") == 1
        assert paragraph.count("Bentler (1990)") == 1


def _boot(lo_indirect):
    return pd.DataFrame(
        {
            "lhs": ["ind_CVA_SOB_LOY", "tot_CVA_LOY", "SOB"],
            "op": [":=", ":=", "~"],
            "rhs": ["a1*b1", "c1 + a1*b1", "CVA"],
            "est": [0.11, 0.23, 0.4],
            "boot_se": [0.03, 0.05, 0.05],
            "ci_lower": [lo_indirect, 0.10, 0.3],
            "ci_upper": [0.17, 0.30, 0.5],
        }
    )


def test_sem_indirect_table_and_text_follow_the_intervals():
    from sqresearch.report.sem import sem_indirect_table

    sig, ns = _boot(0.06), _boot(-0.02)
    table = sem_indirect_table(sig, n_boot=1000, lang="zh")
    assert table.to_frame()["路径"].tolist() == [
        "社群顾客价值 → 社群归属感 → 品牌忠诚",
        "社群顾客价值 → 品牌忠诚",
    ]
    assert table.to_frame()["结论"].tolist() == ["显著", "显著"]
    assert "1000次Bootstrap" in table.note_lines[0]
    assert sem_indirect_table(ns, lang="en").to_frame()["Decision"].iloc[0] == "Not significant"
    zh_sig = report_sem.sem_indirect_text(sig, n_boot=1000, lang="zh")
    zh_ns = report_sem.sem_indirect_text(ns, n_boot=1000, lang="zh")
    assert "间接效应为0.110，95%百分位Bootstrap置信区间[0.060, 0.170]不包含0，效应显著" in zh_sig
    assert "[-0.020, 0.170]包含0，效应不显著" in zh_ns
    en_ns = report_sem.sem_indirect_text(ns, lang="en")
    assert "includes 0: it is not significant" in en_ns


def _estimates(p_sob):
    return pd.DataFrame(
        {
            "lhs": ["SOB", "LOY"],
            "op": ["~", "~"],
            "rhs": ["CVA", "SOB"],
            "std_all": [0.3, 0.5],
            "pvalue": [p_sob, 0.001],
        }
    )


def test_discussion_text_and_robustness_table():
    from sqresearch.report.sem import robustness_table

    summary = pd.DataFrame({"id": ["H1", "H2"], "supported": [True, False]})
    same = report_hypotheses.discussion_text(summary, _estimates(0.01), _estimates(0.02), n_robust=500)
    assert "H1得到支持" in same and "H2未得到支持" in same
    assert "（n = 500）" in same and "均未改变，结果稳健" in same
    changed = report_hypotheses.discussion_text(
        summary, _estimates(0.01), _estimates(0.2), n_robust=500, lang="en"
    )
    assert "H1 is supported and H2 is not" in changed
    assert (
        "Community customer value → Sense of belonging to the community changes its significance"
        in changed
    )
    table = robustness_table(_estimates(0.01), _estimates(0.2), n_main=470, n_robust=500, lang="en")
    frame = table.to_frame()
    assert frame.iloc[0].tolist()[1:] == ["0.300*", "0.010", "0.300", "0.200"]
    assert [h.text for h in table.header_rows()[0] if h.span == 2] == [
        "Main analysis (n = 470)",
        "Careless respondents kept (n = 500)",
    ]
