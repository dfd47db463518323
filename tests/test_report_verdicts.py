"""Verdicts are computed once, by the analysis; tables and texts only render them (issue 18 item 2).

The rendered fit, mediation and SEM-indirect tables and texts (cells,
captions, notes; zh and en) must stay what they were before the verdicts
moved into the result objects: ``tests/data/report_golden.json`` was written
by ``python tests/test_report_verdicts.py`` with the code *before* the move,
and every case here must reproduce it exactly.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from semopy.examples import holzinger39

from sqresearch.model.process import process
from sqresearch.report import process as report_process
from sqresearch.report import sem as report_sem
from sqresearch.sem.fit import bootstrap_sem, fit_sem

GOLDEN = Path(__file__).parent / "data" / "report_golden.json"
HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def _table(table) -> dict:
    frame = table.to_frame()
    return {
        "caption": table.caption,
        "columns": [str(c) for c in frame.columns],
        "cells": frame.to_numpy().tolist(),
        "notes": table.note_lines,
    }


def _mediation_data() -> pd.DataFrame:
    rng = np.random.default_rng(2018)
    n = 300
    d = pd.DataFrame({"X": rng.normal(size=n)})
    d["M1"] = 0.4 * d["X"] + rng.normal(size=n)
    d["M2"] = 0.3 * d["M1"] + 0.2 * d["X"] + rng.normal(size=n)
    d["Y"] = 0.35 * d["M1"] + 0.25 * d["M2"] + 0.1 * d["X"] + rng.normal(size=n)
    d["Y0"] = 0.02 * d["M1"] + 0.3 * d["X"] + rng.normal(size=n)  # no mediation
    return d


def rendered() -> dict:
    """Every case, rendered in both languages."""
    warnings.simplefilter("ignore")
    hs = holzinger39.get_data()
    fit = fit_sem(HS_MODEL, hs).fit
    poor = fit_sem("g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9", hs).fit
    d = _mediation_data()
    results = {
        "model4": process(d, 4, x="X", y="Y", m="M1", n_boot=500, seed=1),
        "model4_none": process(d, 4, x="X", y="Y0", m="M1", n_boot=500, seed=1),
        "model4_two": process(d, 4, x="X", y="Y", m=["M1", "M2"], n_boot=500, seed=1),
        "model6": process(d, 6, x="X", y="Y", m=["M1", "M2"], n_boot=500, seed=1, ci="bc"),
    }
    boot = bootstrap_sem(
        "M1 ~ a*X\nY ~ b*M1 + X\nind := a*b", d, n_boot=200, seed=3, progress=False
    )
    out: dict = {}
    for lang in ("zh", "en"):
        out[f"fit_table_{lang}"] = _table(report_sem.fit_table(fit, lang=lang))
        out[f"fit_table_poor_{lang}"] = _table(report_sem.fit_table(poor, lang=lang))
        out[f"fit_table_two_{lang}"] = _table(report_sem.fit_table({"3F": fit, "1F": poor}, lang=lang))
        out[f"fit_text_{lang}"] = report_sem.fit_text(fit, lang=lang)
        out[f"fit_text_poor_{lang}"] = report_sem.fit_text(poor, lang=lang)
        for name, res in results.items():
            out[f"mediation_table_{name}_{lang}"] = _table(report_process.mediation_table(res, lang=lang))
            out[f"mediation_text_{name}_{lang}"] = report_process.mediation_text(res, lang=lang)
        out[f"sem_indirect_table_{lang}"] = _table(
            report_sem.sem_indirect_table(boot.table, n_boot=boot.n_boot, level=boot.level, lang=lang)
        )
        out[f"sem_indirect_text_{lang}"] = report_sem.sem_indirect_text(boot, lang=lang)
    return out


def test_tables_and_texts_are_unchanged():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(rendered(), ensure_ascii=False))
    assert set(now) == set(golden)
    for key in golden:
        assert now[key] == golden[key], key


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_text(json.dumps(rendered(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
