"""``sqresearch build STUDY``: run the notebooks in order and compile the paper."""

from __future__ import annotations

import sys

from sqresearch.build import build


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "build",
        help="build a study end to end: notebooks in order, tables, figures, paper/main.pdf",
        description="Execute the study's numbered notebooks headless and compile its paper "
        "with latexmk -xelatex when TeX is installed (`make thesis`).",
    )
    parser.add_argument("config", nargs="?", default="study.yaml", help="the study.yaml (default: ./study.yaml)")
    parser.add_argument("--no-pdf", action="store_true", help="stop after tables and figures")
    parser.add_argument("--only", action="append", metavar="NN", help="run only notebooks starting with NN")
    parser.add_argument("--no-check", action="store_true", help="skip the preflight check (sqresearch check)")
    parser.set_defaults(run=run)


def run(args) -> int:
    result = build(
        args.config,
        pdf=not args.no_pdf,
        only=args.only,
        check=not args.no_check,
        log=lambda line: print(f"sqresearch build: {line}", file=sys.stderr, flush=True),
    )
    if result["pdf"] is not None:
        print(f"sqresearch build: wrote {result['pdf']}", file=sys.stderr)
    return 0
