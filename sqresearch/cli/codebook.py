"""``sqresearch codebook``: draft a codebook from an export (``infer``) or check one (``check``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqresearch.cli import jsonout


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "codebook",
        help="draft a codebook from a raw export, or check one against it",
        description="Draft a codebook (YAML) from a survey export's headers and the construct library, "
        "or check a codebook against an export.",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    infer = sub.add_parser("infer", help="draft a codebook from the headers of RAW")
    infer.add_argument(
        "raw", type=Path, help="raw export (问卷星/Credamo/Qualtrics xlsx or csv, .sav, .dta)"
    )
    source = infer.add_mutually_exclusive_group()
    source.add_argument(
        "--instrument", type=Path, default=None,
        help="the study's instrument.yaml: its constructs are matched first (the catalogue after)",
    )  # fmt: skip
    source.add_argument(
        "--framework", default=None, help="a shipped template whose items are matched first"
    )
    infer.add_argument(
        "--out", type=Path, default=None, help="write the YAML here (default: stdout)"
    )
    infer.add_argument(
        "--platform", default="auto", help="auto, wjx, credamo, qualtrics or generic"
    )
    infer.add_argument(
        "--cutoff",
        type=float,
        default=None,
        help="least confidence (0-1) for a mapping to be applied; the others are written as "
        "commented, unsure proposals (default .9)",
    )
    infer.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    infer.add_argument("--json", action="store_true", help="print the match table as JSON")
    check = sub.add_parser("check", help="apply CODEBOOK to RAW and report problems")
    check.add_argument("raw", type=Path)
    check.add_argument("--codebook", type=Path, required=True)
    check.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sqresearch.clean.codebook import Codebook
    from sqresearch.clean.infer import DEFAULT_CUTOFF, infer_codebook
    from sqresearch.clean.recode import apply_codebook
    from sqresearch.errors import InputError
    from sqresearch.io import read_survey

    if args.action == "infer":
        raw = read_survey(args.raw, platform=args.platform)
        cutoff = DEFAULT_CUTOFF if args.cutoff is None else args.cutoff
        framework = args.framework
        if args.instrument is not None:
            from sqresearch.constructs.instrument import load_instrument

            framework = load_instrument(args.instrument)
        draft = infer_codebook(raw, framework, cutoff=cutoff)
        if args.out is not None:
            if args.out.exists() and not args.force:
                raise InputError(
                    "file exists; not overwritten",
                    file=args.out,
                    hint="pass --force or choose another --out",
                )
            draft.save(args.out)
        elif not args.json:
            sys.stdout.write(draft.dumps())
        print(draft.summary(), file=sys.stderr)
        if args.json:
            jsonout.emit(
                draft.to_dict(),
                inputs={"file": str(args.raw)},
                outputs={"out": None if args.out is None else str(args.out)},
            )
        return 0
    book = Codebook.load(args.codebook)
    raw = read_survey(args.raw, platform=book.platform or "auto")
    coded = apply_codebook(raw.data, book)
    if args.json:
        jsonout.emit(coded.to_dict(), inputs={"file": str(args.raw), "codebook": str(args.codebook)})
    coded.issues.raise_first(raw.path)
    if not args.json:
        print(
            f"{args.codebook}: fits {args.raw} ({len(raw.data)} rows, {len(book.items)} items)",
            file=sys.stderr,
        )
    return 0
