"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Figures are drawn headless in tests.
os.environ.setdefault("MPLBACKEND", "Agg")
# pytest-xdist runs one worker per core: multi-threaded BLAS on top of that
# oversubscribes the cores and makes small-matrix SEM fits ~10x slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


@pytest.fixture(scope="session")
def hs_ordinal():
    """lavaan's HolzingerSwineford1939 items x1–x9 cut at their quartiles into 4 categories.

    In R (quantile type 7 is numpy's default)::

        d <- HolzingerSwineford1939[paste0("x", 1:9)]
        for (v in names(d)) d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
    """
    import numpy as np
    import pandas as pd
    from semopy.examples import holzinger39

    hs = holzinger39.get_data()
    return pd.DataFrame(
        {f"x{i}": np.searchsorted(np.quantile(hs[f"x{i}"], [0.25, 0.5, 0.75]), hs[f"x{i}"],
                                  side="right") + 1 for i in range(1, 10)}
    )  # fmt: skip


@pytest.fixture
def no_system_fonts(monkeypatch):
    """A font manager that knows only matplotlib's own fonts, as on a fresh machine."""
    import matplotlib
    from matplotlib import font_manager

    mpl_data = Path(matplotlib.get_data_path())
    manager = font_manager.fontManager
    monkeypatch.setattr(
        manager, "ttflist", [e for e in manager.ttflist if mpl_data in Path(e.fname).parents]
    )
    manager._findfont_cached.cache_clear()
    assert not any("CJK" in e.name or e.name.endswith((" SC", " TC")) for e in manager.ttflist)
    yield
    manager._findfont_cached.cache_clear()


@pytest.fixture(autouse=True)
def _shipped_labels():
    """Each test starts with labels from the shipped catalogue, in Chinese: ``load_study`` switches
    them to the study's own catalogue and language (report.labels.use_catalogue, use_language),
    which must not leak into other tests."""
    from sqresearch.report.labels import use_catalogue, use_language

    use_catalogue(None)
    use_language(None)
    yield
    use_catalogue(None)
    use_language(None)
