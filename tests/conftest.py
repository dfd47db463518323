"""Shared test fixtures."""

from __future__ import annotations

import os

# Figures are drawn headless in tests.
os.environ.setdefault("MPLBACKEND", "Agg")
