"""Wording rules every interpretation paragraph keeps (comparison words, symbols, notes)."""


import pandas as pd
import pytest
from reportdata import reliability_result

from sqresearch.report import reliability as report_reliability
from sqresearch.report import sem as report_sem
from sqresearch.report import validity as report_validity
from sqresearch.thresholds import THRESHOLDS

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
        report_reliability.reliability_text(reliability_result({"CVA": 0.55}, citc=0.2), lang=lang),
        report_reliability.reliability_text(reliability_result({"CVA": 0.88}), lang=lang),
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
    zh = report_reliability.reliability_text(reliability_result({"CVA": 0.88}), lang="zh")
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
