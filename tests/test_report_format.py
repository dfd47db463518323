"""Number formatting rules (sqresearch.report.format)."""

import math

import pytest

from sqresearch.errors import InputError
from sqresearch.report.format import (
    escape_latex,
    fmt_ci,
    fmt_number,
    fmt_p,
    fmt_threshold,
    star_legend,
    stars,
)


@pytest.mark.parametrize(
    ("p", "thesis", "apa"),
    [
        (0.0004, "<0.001", "< .001"),
        (0.001, "0.001", ".001"),
        (0.0312, "0.031", ".031"),
        (0.5, "0.500", ".500"),
        (1.0, "1.000", "1.000"),
    ],
)
def test_p_values(p, thesis, apa):
    assert fmt_p(p) == thesis
    assert fmt_p(p, style="apa") == apa


def test_p_outside_unit_interval_is_an_error():
    with pytest.raises(InputError):
        fmt_p(1.2)


def test_stars_boundaries():
    # p exactly at a cut-off does not earn that star (p < .05, not ≤).
    assert [stars(p) for p in (0.00099, 0.001, 0.0099, 0.01, 0.049, 0.05, math.nan)] == [
        "***",
        "**",
        "**",
        "*",
        "*",
        "",
        "",
    ]


def test_decimals_and_leading_zero():
    assert fmt_number(0.87123, "alpha") == "0.871"
    assert fmt_number(0.87123, "alpha", style="apa") == ".871"
    # β and loadings can exceed 1: APA keeps the zero.
    assert fmt_number(0.45, "beta", style="apa") == "0.450"
    assert fmt_number(-0.52, "r", style="apa") == "-.520"
    assert fmt_number(3.14159, "mean") == "3.14"
    assert fmt_number(254, "n") == "254"
    assert fmt_number(-0.0001, "b") == "0.000"  # no negative zero
    assert fmt_number(0.456, "beta", p=0.004) == "0.456**"
    with pytest.raises(InputError):
        fmt_number(1.0, "no-such-kind")


def test_ci_and_legend():
    assert fmt_ci(0.1234, 0.3456) == "[0.123, 0.346]"
    assert fmt_ci(-0.02, 0.31, "r", style="apa") == "[-.020, .310]"
    assert star_legend("zh") == "* p<0.05，** p<0.01，*** p<0.001。"
    assert star_legend("en") == "*p < 0.05. **p < 0.01. ***p < 0.001."


def test_thresholds_printed_from_thresholds_module():
    assert fmt_threshold("cfi") == "≥0.90"
    assert fmt_threshold("htmt") == "<0.85"
    assert fmt_threshold("inv_delta_rmsea") == "≥0.015"
    assert fmt_threshold("harman_40", scale=100) == "<40"


def test_latex_escaping():
    assert escape_latex("50% & a_b #1 $x {y} ~ ^ \\") == (
        r"50\% \& a\_b \#1 \$x \{y\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )
    # Chinese and its punctuation pass through untouched.
    assert escape_latex("注：社群顾客价值（CVA）；“归属”。") == "注：社群顾客价值（CVA）；“归属”。"
    # Greek and math symbols go to one math group each.
    assert escape_latex("χ²/df ≤ 3, α") == r"$\chi^{2}$/df $\leq$ 3, $\alpha$"
