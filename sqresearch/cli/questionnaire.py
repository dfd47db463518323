"""``sqresearch questionnaire``: a framework's questionnaire as Markdown, Word or LaTeX.

``--format`` defaults to the suffix of ``--out`` (.md, .docx, .tex); without
``--out`` Markdown and LaTeX go to stdout.  ``--json`` prints only JSON: the
order of the questions (codes) and the seed used, plus the questionnaire
itself as ``text`` when there is no ``--out``.  An existing ``--out`` file is
overwritten only with ``--force``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqresearch.cli.inputs import refuse_existing
from sqresearch.cli.jsonout import emit
from sqresearch.constructs import DEFAULT_FRAMEWORK
from sqresearch.errors import InputError
from sqresearch.report.questionnaire import (
    FORMATS,
    LANGS,
    build_questionnaire,
    to_docx,
    to_latex,
    to_markdown,
)

_SUFFIXES = {".md": "md", ".markdown": "md", ".docx": "docx", ".tex": "tex"}


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "questionnaire",
        help="export a framework's questionnaire (consent, screening, items, demographics)",
        description="Write the bilingual questionnaire of a framework of the construct library: "
        "consent text, screening question, Likert items grouped by construct under neutral "
        "headings (order randomisable with --shuffle --seed), one attention check, demographics.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--framework",
        default=DEFAULT_FRAMEWORK,
        help=f"a shipped template (default: {DEFAULT_FRAMEWORK})",
    )
    source.add_argument(
        "--instrument", type=Path, default=None, help="a study's instrument.yaml (its own wording)"
    )
    parser.add_argument("--lang", choices=LANGS, default="zh", help="zh, en or both (default: zh)")
    parser.add_argument(
        "--format", choices=FORMATS, default=None, help="md, docx or tex (default: from --out)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output file (default: stdout for md/tex)"
    )
    parser.add_argument("--shuffle", action="store_true", help="randomise block and item order")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed of the random order (with --shuffle)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    parser.add_argument(
        "--json", action="store_true", help="print the question order and seed as JSON"
    )
    parser.set_defaults(run=run)


def output_format(fmt: str | None, out: Path | None) -> str:
    """The format asked for, or the one the output file's suffix names.

    Examples
    --------
    >>> output_format(None, Path("q.docx")), output_format("tex", None), output_format(None, None)
    ('docx', 'tex', 'md')
    """
    if fmt is not None:
        return fmt
    if out is None:
        return "md"
    if out.suffix.lower() not in _SUFFIXES:
        raise InputError(
            "cannot tell the format from the file name", file=out, hint="give --format md|docx|tex"
        )
    return _SUFFIXES[out.suffix.lower()]


def run(args) -> int:
    fmt = output_format(args.format, args.out)
    if fmt == "docx" and args.out is None:
        raise InputError("a .docx questionnaire needs --out FILE")
    refuse_existing(args.out, args.force)
    if args.seed is not None and not args.shuffle:
        print("sqresearch questionnaire: --seed has no effect without --shuffle", file=sys.stderr)
    framework = args.framework
    if args.instrument is not None:
        from sqresearch.constructs.instrument import load_instrument

        framework = load_instrument(args.instrument)
    q = build_questionnaire(framework, shuffle=args.shuffle, seed=args.seed)
    text = None
    if fmt == "docx":
        args.out.write_bytes(to_docx(q, args.lang))
    else:
        text = (to_markdown if fmt == "md" else to_latex)(q, args.lang)
        if args.out is not None:
            args.out.write_text(text, encoding="utf-8")
        elif not args.json:
            sys.stdout.write(text)
    if args.json:
        emit(
            q.to_dict(),
            inputs={"format": fmt, "lang": args.lang},
            outputs={"out": None if args.out is None else str(args.out)}
            | ({"text": text} if args.out is None else {}),
        )
    return 0
