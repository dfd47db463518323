"""The ``sqresearch`` command line: a thin layer over the package functions.

Each subcommand lives in its own module of this package (hyphens in the
command's name become underscores) and defines
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
    "check": "preflight: list every problem of a study's instrument, codebook and data at once",
    "codebook": "draft a codebook from a raw export, or check one against it",
    "clean": "clean a raw export with its codebook into a processed folder",
    "reliability": "Cronbach's alpha, CITC, alpha if item deleted and McDonald's omega per scale",
    "items-analysis": "pilot item analysis (项目分析): extreme-group CR, item-total checks, decisions",
    "normality": "item skewness/kurtosis against cited cut-offs and Mardia's multivariate tests",
    "cmb": "common-method bias: Harman, unmeasured latent method factor, marker variable",
    "sem": "fit a SEM/CFA in lavaan syntax with lavaan's fit indices, CR, AVE and HTMT",
    "modindices": "modification indices (MI, EPC, standardised EPC) of a SEM, as lavaan",
    "sem-compare": "nested SEMs: chi2 difference (Satorra-Bentler 2001 for MLR/MLM), AIC, BIC",
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
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="with --version: also Python's and the statistical dependencies' versions",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if name == command:
            importlib.import_module(f"sqresearch.cli.{name.replace('-', '_')}").add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def version_text(verbose: bool = False) -> str:
    """``sqresearch X.Y.Z``; with ``verbose`` also Python and each recorded package, one a line.

    The packages are those every build records in ``build_info.json``
    (:data:`sqresearch.versions.RECORDED_PACKAGES`); one not installed reads
    "not installed".

    Examples
    --------
    >>> version_text() == f"sqresearch {__version__}"
    True
    >>> [line.split()[0] for line in version_text(verbose=True).splitlines()][1:4]
    ['python', 'numpy', 'scipy']
    """
    lines = [f"sqresearch {__version__}"]
    if verbose:
        import platform

        from sqresearch.versions import package_versions

        rows = {"python": platform.python_version()}
        rows.update((k, v or "not installed") for k, v in package_versions().items() if k != "sqresearch")
        width = max(map(len, rows))
        lines += [f"  {name:<{width}}  {version}" for name, version in rows.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sqresearch`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.version:
        print(version_text(verbose=args.verbose))
        return 0
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
