"""``sqresearch modindices MODEL_FILE DATA``: modification indices of a fitted model, as lavaan.

``--json`` prints one object: ``n``, ``estimator``, ``modindices`` (a list of
``{lhs, op, rhs, mi, epc, sepc_all}``, plus ``group`` in multi-group fits,
largest MI first) and, for a multi-group fit with equality constraints,
``score_tests`` (``lavTestScore``: ``{lhs, op, rhs, group, x2, df, pvalue}``
per constraint).
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.sem import read_model, split_list
from sqresearch.errors import located_in
from sqresearch.io import read_table
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.modindices import modification_report


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "modindices",
        help="modification indices (MI, EPC, standardised EPC) of a lavaan-syntax model",
        description="Fit the model by ML and list lavaan's modindices(): the score test of "
        "freeing each fixed or omitted parameter, its expected value (EPC) and standardised "
        "EPC; with --group and --group-equal also the score tests of each equality constraint "
        "(lavTestScore). Free a parameter only when theory explains it.",
    )
    parser.add_argument(
        "model_file", metavar="MODEL_FILE", help="text file with lavaan model syntax (UTF-8)"
    )
    parser.add_argument("data", metavar="DATA", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument("--missing", choices=["listwise", "fiml"], default="listwise")
    parser.add_argument("--group", metavar="COL", help="multi-group fit by this column")
    parser.add_argument("--group-equal", metavar="TYPES", default="")
    parser.add_argument(
        "--minimum", type=float, default=0.0, metavar="MI", help="list MIs above this value only"
    )
    parser.add_argument("--top", type=int, metavar="K", help="list the K largest MIs only")
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    model = read_model(args.model_file)
    with located_in(args.data):
        data = read_table(args.data)
        result = fit_sem(
            model,
            data,
            missing=args.missing,
            group=args.group,
            group_equal=split_list(args.group_equal) or None,
        )
    report = modification_report(result, minimum=args.minimum, top=args.top)
    if args.json:
        jsonout.emit(report.to_dict())
        return 0
    print(report.modindices.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0
