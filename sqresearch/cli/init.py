"""``sqresearch init DIR --framework NAME``: scaffold a student's own study."""

from __future__ import annotations

import sys

from sqresearch.constructs import DEFAULT_FRAMEWORK, list_frameworks
from sqresearch.scaffold import scaffold


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "init",
        help="scaffold your own study: config, questionnaire, codebook template, notebooks, paper",
        description="Create a study folder that builds with the same targets as the default study.",
    )
    parser.add_argument("folder", help="the new study's folder (must not exist or be empty)")
    parser.add_argument(
        "--framework", default=DEFAULT_FRAMEWORK,
        help=f"template: {', '.join(list_frameworks())} or blank (default: {DEFAULT_FRAMEWORK})",
    )  # fmt: skip
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="study language (default: zh)")
    parser.add_argument(
        "--example-data", action="store_true",
        help="write a simulated export of the instrument and its codebook, so the study builds at once",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args) -> int:
    written = scaffold(args.folder, args.framework, lang=args.lang, example_data=args.example_data)
    print(f"sqresearch init: wrote {len(written)} files in {args.folder}", file=sys.stderr)
    print(f"sqresearch init: next, read {args.folder}/README.md", file=sys.stderr)
    return 0
