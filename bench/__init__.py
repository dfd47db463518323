"""Benchmarks. ``python -m bench`` runs every ``bench/bench_*.py`` in turn."""
