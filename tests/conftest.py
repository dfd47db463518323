"""Shared test fixtures."""

from __future__ import annotations

import os

# Figures are drawn headless in tests.
os.environ.setdefault("MPLBACKEND", "Agg")
# pytest-xdist runs one worker per core: multi-threaded BLAS on top of that
# oversubscribes the cores and makes small-matrix SEM fits ~10x slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
