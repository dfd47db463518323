"""Discriminant validity: the Fornell–Larcker and HTMT matrices and their paragraph.

Reads :mod:`sqresearch.measure.validity`.  Convergent validity (loadings, CR and
AVE) is reported with the CFA in :mod:`sqresearch.report.sem`.

Examples
--------
>>> fornell_larcker_table.__name__, htmt_table.__name__, discriminant_text.__name__
('fornell_larcker_table', 'htmt_table', 'discriminant_text')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqresearch.report.common import (
    Labels,
    cutoff_source,
    cutoff_value,
    display_name,
    join_words,
    label_pair,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import (
    check_lang,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS, passes


def _lower_triangle(square: pd.DataFrame, keep_diagonal: bool) -> pd.DataFrame:
    values = square.to_numpy(dtype=float).copy()
    k = len(values)
    values[np.triu_indices(k, 1 if keep_diagonal else 0)] = np.nan
    return pd.DataFrame(values, index=square.index, columns=square.columns)


def _keyed_matrix(lower: pd.DataFrame, lang: str, labels: Labels) -> tuple[pd.DataFrame, dict]:
    """A lower-triangular matrix keyed by number: rows ``1. name``, columns headed ``1``, ``2`` …

    A matrix of many constructs stays narrow enough to read (the names are the key).
    """
    codes = list(lower.columns)
    data = pd.DataFrame(
        {"construct": [f"{i}. {display_name(c, lang, labels)}" for i, c in enumerate(codes, 1)]}
    )
    for c in codes:
        data[c] = lower[c].to_numpy()
    return data, {c: str(i) for i, c in enumerate(codes, 1)}


def fornell_larcker_table(
    matrix: pd.DataFrame, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Fornell–Larcker criterion: √AVE on the diagonal, factor correlations below it.

    Parameters
    ----------
    matrix : DataFrame
        Square, √AVE on the diagonal, correlations off it
        (:func:`sqresearch.measure.validity.fornell_larcker`).
    """
    lang = check_lang(lang)
    lower = _lower_triangle(matrix, keep_diagonal=True)
    codes = list(matrix.columns)
    data, heads = _keyed_matrix(lower, lang, labels)
    return ThesisTable(
        data,
        kinds=dict.fromkeys(codes, "r"),
        heads=heads,
        title=label_pair("title_fornell_larcker"),
        notes=[
            table_note(
                "对角线为AVE的平方根，其余为因子间相关系数；对角线值大于所在行列的相关系数即具有区分效度"
                f"（{THRESHOLDS.loc['ave', 'source']}）。",
                "The diagonal holds √AVE, the other cells the factor correlations; discriminant "
                "validity holds when each diagonal value exceeds the correlations in its row and "
                f"column ({THRESHOLDS.loc['ave', 'source']}).",
            )
        ],
        label="tab:fornell-larcker",
        lang=lang,
        style=style,
    )


def htmt_table(
    htmt: pd.DataFrame, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """HTMT ratios below the diagonal.

    Parameters
    ----------
    htmt : DataFrame
        Square symmetric HTMT matrix (:func:`sqresearch.measure.validity.htmt`).
    """
    lang = check_lang(lang)
    lower = _lower_triangle(htmt, keep_diagonal=False)
    codes = list(htmt.columns)
    data, heads = _keyed_matrix(lower, lang, labels)
    strict, liberal = fmt_threshold("htmt", "htmt"), fmt_threshold("htmt_liberal", "htmt")
    src = THRESHOLDS.loc["htmt", "source"]
    return ThesisTable(
        data.drop(columns=codes[-1]).iloc[1:],
        kinds=dict.fromkeys(codes, "htmt"),
        heads=heads,
        title=label_pair("title_htmt"),
        notes=[
            table_note(
                f"HTMT{strict}（严格）或{liberal}（宽松）表示具有区分效度（{src}）。",
                f"HTMT {strict} (strict) or {liberal} (liberal) supports discriminant "
                f"validity ({src}).",
            )
        ],
        label="tab:htmt",
        lang=lang,
        style=style,
    )


def discriminant_text(
    fornell_larcker: pd.DataFrame | None = None,
    htmt: pd.DataFrame | None = None,
    *,
    labels: Labels = None,
    lang: str | None = None,
    style: str = "thesis",
) -> str:
    """Discriminant validity by the Fornell–Larcker criterion and/or HTMT.

    ``fornell_larcker``: square, √AVE on the diagonal; ``htmt``: square HTMT matrix.
    """
    lang = check_lang(lang)
    out = []
    if fornell_larcker is not None:
        m = fornell_larcker.to_numpy(float)
        codes = list(fornell_larcker.columns)
        failing = []
        for i, c in enumerate(codes):
            others = np.delete(np.abs(m[i]), i)
            if others.size and m[i, i] <= others.max():
                failing.append(display_name(c, lang, labels))
        if lang == "zh":
            out.append(
                "各变量AVE的平方根均大于其与其他变量的相关系数，满足Fornell-Larcker准则"
                f"（{cutoff_source('ave')}）。"
                if not failing
                else f"{join_words(failing, lang)}的AVE平方根不大于其与其他变量的相关系数，"
                f"不满足Fornell-Larcker准则（{cutoff_source('ave')}）。"
            )
        else:
            out.append(
                "Each construct's √AVE exceeds its correlations with the others, meeting the "
                f"Fornell–Larcker criterion ({cutoff_source('ave')})."
                if not failing
                else f"The √AVE of {join_words(failing, lang)} does not exceed its correlations with "
                f"other constructs, failing the Fornell–Larcker criterion ({cutoff_source('ave')})."
            )
    if htmt is not None:
        codes = list(htmt.columns)
        pairs = [
            (codes[i], codes[j], float(htmt.iloc[i, j]))
            for i in range(len(codes))
            for j in range(i)
        ]
        top = max(v for *_, v in pairs)
        high = [
            f"{display_name(a, lang, labels)}–{display_name(b, lang, labels)} ({fmt_number(v, 'htmt', style=style)})"
            for a, b, v in pairs
            if not passes("htmt", v)
        ]
        cut, lib = cutoff_value("htmt"), cutoff_value("htmt_liberal")
        very_high = any(not passes("htmt_liberal", v) for *_, v in pairs)
        if lang == "zh":
            out.append(
                f"HTMT最大值为{fmt_number(top, 'htmt', style=style)}，"
                + (
                    f"均低于{cut}（{cutoff_source('htmt')}），区分效度良好。"
                    if not high
                    else f"{join_words(high, lang)}的HTMT不低于{cut}"
                    + (
                        f"，且超过宽松标准{lib}，区分效度不足。"
                        if very_high
                        else f"，但低于宽松标准{lib}。"
                    )
                    + f"（{cutoff_source('htmt')}）"
                )
            )
        else:
            out.append(
                f"The largest HTMT is {fmt_number(top, 'htmt', style=style)}; "
                + (
                    f"all ratios are below {cut} ({cutoff_source('htmt')}), supporting discriminant validity."
                    if not high
                    else f"{join_words(high, lang)} reach {cut}"
                    + (
                        f" and exceed even the liberal {lib}, so "
                        "discriminant validity is not supported"
                        if very_high
                        else f" but stay below the liberal {lib}"
                    )
                    + f" ({cutoff_source('htmt')})."
                )
            )
    return ("" if lang == "zh" else " ").join(out)
