"""``sqresearch clean``: raw export + codebook -> processed folder (clean data, flow, report, manifest)."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from sqresearch.cli import jsonout


def _rule(text: str) -> tuple[str, str]:
    rule, sep, action = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected RULE=ACTION, got {text!r}")
    return rule.strip(), action.strip()


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clean",
        help="clean a raw export with its codebook into a processed folder",
        description="Read a raw export (never modified), drop personal data, recode and validate with the "
        "codebook, screen careless responses, and write clean.csv, the participant flow, the cleaning "
        "report (json + md), the codebook as applied and a SHA-256 manifest.",
    )
    parser.add_argument("raw", nargs="?", type=Path, help="raw export (or give --config)")
    parser.add_argument("--codebook", type=Path, help="codebook YAML")
    parser.add_argument("--out", type=Path, help="output folder (e.g. data/processed)")
    parser.add_argument(
        "--config", type=Path, help="study.yaml: reads data.raw, data.codebook, data.processed"
    )
    parser.add_argument(
        "--rule",
        type=_rule,
        action="append",
        default=[],
        metavar="RULE=ACTION",
        help="override a careless-response rule: exclude, flag or off (repeatable)",
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default=None, help="language of the Markdown report"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sqresearch.clean.pipeline import CleaningWarning, clean_survey
    from sqresearch.errors import InputError
    from sqresearch.report.cleaning import cleaning_report

    lang = args.lang
    if args.config is not None:
        from sqresearch.study import load_study

        study = load_study(args.config)
        raw, codebook, out = study.raw, study.codebook, study.processed
        lang = lang or study.language
    else:
        raw, codebook, out = args.raw, args.codebook, args.out
        if raw is None or codebook is None or out is None:
            raise InputError("give RAW --codebook CB --out DIR, or --config study.yaml")
    if Path(out).exists() and not Path(out).is_dir():
        raise InputError(
            "the output folder is an existing file", file=out, hint="give a folder for --out"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)  # listed in the report instead
        result = clean_survey(raw, codebook, rules=dict(args.rule))
    result.write(out, report=cleaning_report(result, lang=lang))
    if args.json:
        jsonout.emit(
            result.to_dict(), inputs={"raw": str(raw), "codebook": str(codebook), "out": str(out)}
        )
    else:
        steps = ", ".join(f"{r['step']} {r['n']}" for r in result.flow.to_dict("records"))
        print(f"{steps}; wrote {out}", file=sys.stderr)
    return 0
