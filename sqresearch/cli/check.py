"""``sqresearch check STUDY.yaml``: every problem of a study's instrument, codebook and data at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqresearch.cli import jsonout


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="preflight: list every problem of a study's instrument, codebook and data at once",
        description="Check study.yaml, its instrument, its codebook and its raw export against "
        "each other before anything runs: unmapped or missing items, answers without a number, "
        "demographic answers with no declared level, missing controls, constructs with too few "
        "items, codebook items the instrument lacks. Each problem names file, column, row "
        "(respondent id, else 1-based data row) and value. Exit 0 when there is none, else 2.",
    )
    parser.add_argument("study", nargs="?", type=Path, default=None,
                        help="the study's study.yaml (default: the nearest one upwards)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sqresearch.check import preflight
    from sqresearch.study import find_study

    result = preflight(args.study if args.study is not None else find_study())
    if args.json:
        jsonout.emit(result.to_dict())
    if result.ok:
        if not args.json:
            print(f"{result.study}: no problems found", file=sys.stderr)
        return 0
    if not args.json:
        for line in result.messages():
            print(line, file=sys.stderr)
    print(f"sqresearch check: {len(result.problems)} problem(s) in {result.study}", file=sys.stderr)
    return 2
