"""``sqresearch sem-compare MODEL_FILE MODEL_FILE [...] DATA``: nested models, as lavTestLRT.

``--json`` prints one object: ``estimator``, ``method`` ("standard",
"satorra.bentler.2001" under MLR/MLM or "satorra.2000" under WLSMV) and
``models``, least restricted first, each with ``model`` (the file name),
``npar``, ``df``, ``chisq``, ``aic``, ``bic``, ``cfi``, ``rmsea``
(robust under MLR/MLM, scaled under WLSMV) and, against the previous model,
``delta_chisq``, ``delta_df``, ``pvalue``, ``scaling_factor``,
``delta_cfi``, ``delta_rmsea``.
"""

from __future__ import annotations

from pathlib import Path

from sqresearch.cli import jsonout
from sqresearch.cli.sem import ordered_items, read_model
from sqresearch.errors import InputError, located_in
from sqresearch.io import read_table
from sqresearch.sem.compare import compare_models
from sqresearch.sem.fit import fit_sem


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sem-compare",
        help="compare nested SEMs: chi2 difference (Satorra-Bentler 2001 under MLR/MLM, "
        "Satorra 2000 under WLSMV), AIC, BIC",
        description="Fit two or more nested models in lavaan syntax to the same data and test "
        "each against the next less restricted one (lavaan's lavTestLRT).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="MODEL_FILE ... then DATA")
    parser.add_argument("--missing", choices=["listwise", "fiml", "pairwise"], default="listwise")
    parser.add_argument("--group", metavar="COL", help="multi-group fits by this column")
    parser.add_argument(
        "--estimator", type=str.upper, choices=["ML", "MLR", "MLM", "WLSMV"], default="ML"
    )
    parser.add_argument(
        "--ordered",
        metavar="ITEMS",
        default="",
        help="'all' or comma-separated items to treat as ordered categorical (WLSMV)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    *model_files, data_file = args.files
    if len(model_files) < 2:
        raise InputError("give at least two model files before the data file")
    models = [read_model(f) for f in model_files]
    names = [Path(f).stem for f in model_files]
    with located_in(data_file):
        data = read_table(data_file)
        fits = [
            fit_sem(
                m,
                data,
                missing=args.missing,
                group=args.group,
                estimator=args.estimator,
                ordered=ordered_items(args.ordered),
            )
            for m in models
        ]
    result = compare_models(*fits, names=names)
    if args.json:
        jsonout.emit(result.to_dict())
        return 0
    print(result.table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0
