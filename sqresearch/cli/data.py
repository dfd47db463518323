"""``sqresearch data --out DIR [--seed N]``: regenerate the default study's raw export.

``make data`` runs ``sqresearch data --out data/raw``. The files are
byte-identical for a given seed (see :mod:`sqresearch.datasets`); the
implied values in ``population.json`` need one 200 000-respondent sample and
take about 15 s.
"""

from __future__ import annotations

import sys

from sqresearch.datasets import DEFAULT_SEED, write_default_study


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "data",
        help="regenerate the default study's simulated 问卷星 export (make data)",
        description="Write the default study's raw files (问卷星 export in text and numeric "
        "form, xlsx and csv; population.json with the true and implied parameters; README.md) "
        "into DIR, byte-identically from the seed.",
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="folder to write (e.g. data/raw)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    from pathlib import Path

    from sqresearch.errors import InputError

    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise InputError("--out names an existing file; it must be a folder", file=args.out)
    for path in write_default_study(args.out, args.seed):
        print(f"sqresearch data: wrote {path}", file=sys.stderr)
    return 0
