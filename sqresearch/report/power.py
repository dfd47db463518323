"""Power analysis: the simulated power curve figure.

Reads :mod:`sqresearch.model.power` summaries.

Examples
--------
>>> power_curve.__name__
'power_curve'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from sqresearch.errors import InputError
from sqresearch.report.common import (
    require_columns,
)
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.style import PALETTE, thesis_style
from sqresearch.thresholds import threshold


def power_curve(
    summary: pd.DataFrame,
    *,
    target: float | None = None,
    params: Sequence[str] | None = None,
    lang: str | None = None,
) -> Figure:
    """Monte Carlo power against sample size, one line per parameter.

    Parameters
    ----------
    summary : DataFrame
        Columns ``n``, ``param``, ``power`` and ``power_mcse``, one row per
        sample size and parameter (:attr:`sqresearch.model.power.PowerResult.summary`).
    target : float, optional
        Target power, drawn as a dashed line; default
        ``threshold("power")`` (.80, Cohen 1988), or pass ``PowerResult.target``.
    params : list of str, optional
        Parameters to draw, in legend order; default all, in order of appearance.

    Notes
    -----
    Error bars are ±1.96·MCSE, the Monte Carlo standard error
    √(p̂(1 − p̂)/R) of each power estimate: an approximate 95% interval for
    the power the replications estimate (Morris, White & Crowther, 2019).

    References
    ----------
    Morris, T. P., White, I. R., & Crowther, M. J. (2019). Using simulation
    studies to evaluate statistical methods. *Statistics in Medicine*, 38(11),
    2074–2102.

    Examples
    --------
    >>> summary = pd.DataFrame({"n": [50, 100, 50, 100], "param": ["a", "a", "b", "b"],
    ...     "power": [0.45, 0.8, 0.7, 0.97], "power_mcse": [0.05, 0.04, 0.046, 0.017]})
    >>> fig = power_curve(summary, lang="en")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('Sample size', 'Power')
    """
    lang = check_lang(lang)
    require_columns(summary, ["n", "param", "power", "power_mcse"], "power_curve")
    present = list(dict.fromkeys(summary["param"]))
    params = present if params is None else list(params)
    unknown = [p for p in params if p not in present]
    if unknown:
        raise InputError("parameter not in the power summary", column="param", value=unknown[0])
    target = threshold("power") if target is None else target
    markers = ["o", "s", "^", "D", "v", "P"]
    with thesis_style():
        fig, ax = plt.subplots()
        handles = []
        for i, param in enumerate(params):
            block = summary[summary["param"] == param].sort_values("n")
            bars = ax.errorbar(
                block["n"].to_numpy(float),
                block["power"].to_numpy(float),
                yerr=1.96 * block["power_mcse"].to_numpy(float),
                fmt="-" + markers[i % len(markers)],
                color=PALETTE[i % len(PALETTE)],
                markersize=4,
                capsize=2,
                label=str(param),
            )
            handles.append(bars)
        line = ax.axhline(
            target,
            color="black",
            linestyle="--",
            linewidth=0.8,
            label=f"{label('target_power', lang)} = {target:.2f}",
        )
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(label("sample_size", lang))
        ax.set_ylabel(label("power", lang))
        ax.legend(handles=[*handles, line])
    return fig
