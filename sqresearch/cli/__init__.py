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

# Subcommands in the order ``--help`` lists them, with their one-line help.
# A command's module is imported only when that command runs, so that
# ``sqresearch --help`` does not load semopy, statsmodels and matplotlib.
COMMANDS = {
    "codebook": "draft a codebook from a raw export, or check one against it",
    "clean": "clean a raw export with its codebook into a processed folder",
    "reliability": "Cronbach's alpha, CITC, alpha if item deleted and McDonald's omega per scale",
    "sem": "fit a SEM/CFA in lavaan syntax with lavaan's fit indices, CR, AVE and HTMT",
    "pls": "PLS-SEM (=~ reflective, <~ formative) with SmartPLS's reliability, validity, bootstrap",
    "mediate": "mediation: PROCESS model 4 (parallel) or 6 (serial) with bootstrap intervals",
    "moderate": "moderation: PROCESS model 1 with simple slopes and Johnson-Neyman points",
    "compare": "group differences of scale scores: t-test / one-way ANOVA with post-hoc tests",
    "invariance": "measurement invariance: configural, metric, scalar, strict across groups",
    "power": "Monte Carlo power analysis for SEM and mediation from a YAML config",
    "questionnaire": "export a framework's questionnaire (consent, screening, items, demographics)",
    "data": "regenerate the default study's simulated 问卷星 export (make data)",
    "init": "scaffold your own study: config, questionnaire, codebook template, notebooks, paper",
    "build": "build a study end to end: notebooks in order, tables, figures, paper/main.pdf",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s module is imported and gets its full options."""
    parser = argparse.ArgumentParser(
        prog="sqresearch",
        description="Survey research for community-marketing theses: "
        "raw export -> clean data -> reliability/validity -> CFA -> regression, "
        "mediation, moderation -> SEM -> thesis tables, figures and chapter.",
    )
    parser.add_argument("--version", action="version", version=f"sqresearch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if name == command:
            importlib.import_module(f"sqresearch.cli.{name}").add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sqresearch`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
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
