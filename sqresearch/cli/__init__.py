"""The ``sqresearch`` command line: a thin layer over the package functions.

Each subcommand lives in its own module of this package and defines
``add_parser(subparsers)`` and ``run(args) -> int``.  Commands that print
JSON follow the contract in the README ("Command-line JSON contracts"):
one object on stdout, messages on stderr, exit 2 with a one-line error on bad
input.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sqresearch import __version__
from sqresearch.errors import SqresearchError

# Subcommand modules, in the order ``--help`` lists them.
COMMANDS = [
    "codebook",
    "clean",
    "reliability",
    "sem",
    "mediate",
    "moderate",
    "compare",
    "invariance",
    "power",
    "questionnaire",
    "data",
    "init",
    "build",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqresearch",
        description="Survey research for community-marketing theses: "
        "raw export -> clean data -> reliability/validity -> CFA -> regression, "
        "mediation, moderation -> SEM -> thesis tables, figures and chapter.",
    )
    parser.add_argument("--version", action="version", version=f"sqresearch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"sqresearch.cli.{name}")
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != f"sqresearch.cli.{name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sqresearch`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        return int(args.run(args) or 0)
    except SqresearchError as exc:
        print(f"sqresearch {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"sqresearch {args.command}: error: {exc}", file=sys.stderr)
        return 2
