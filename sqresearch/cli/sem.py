"""``sqresearch sem MODEL_FILE DATA``: fit a lavaan-syntax SEM/CFA and report it as lavaan.

``--json`` prints the fit's :meth:`~sqresearch.sem.fit.SEMResult.to_dict`, the contract
documented in docs/reference/cli.md ("sqresearch sem"): ``n``, ``estimator``, ``converged``,
``fit``, ``estimates``, ``r2``, ``validity`` (CR and AVE per factor, HTMT pairs) and ``warnings``.
"""

from __future__ import annotations

from pathlib import Path

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import add_points_option, check_points, read_data
from sqresearch.errors import InputError, located_in
from sqresearch.io.formats import decode_text
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.precheck import observed_variables
from sqresearch.sem.syntax import GROUP_EQUAL_TYPES


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sem",
        help="fit a CFA/SEM written in lavaan syntax; fit indices and estimates as lavaan",
        description="Fit a model in lavaan syntax (=~ ~ ~~ := with labels and fixed values) by "
        "maximum likelihood and report lavaan's parameter table, fit measures, R2, and "
        "CR/AVE/HTMT of the latent factors.",
    )
    parser.add_argument(
        "model_file", metavar="MODEL_FILE", help="text file with lavaan model syntax (UTF-8)"
    )
    parser.add_argument("data", metavar="DATA", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument(
        "--missing",
        choices=["listwise", "fiml", "pairwise"],
        default="listwise",
        help="listwise deletion (default), full-information ML, or pairwise polychorics (WLSMV)",
    )
    parser.add_argument("--group", metavar="COL", help="multi-group fit by this column")
    parser.add_argument(
        "--group-equal",
        metavar="TYPES",
        default="",
        help=f"comma-separated equality constraints across groups: {', '.join(GROUP_EQUAL_TYPES)}",
    )
    parser.add_argument(
        "--group-partial",
        metavar="PARAMS",
        default="",
        help="comma-separated parameters freed from --group-equal, e.g. 'x3~1,visual=~x2'",
    )
    parser.add_argument(
        "--estimator",
        type=str.upper,
        choices=["ML", "MLR", "MLM", "WLSMV"],
        default="ML",
        help="ML (default); MLR or MLM add robust SEs and lavaan's scaled/robust fit measures; "
        "WLSMV (with --ordered) fits ordered items on polychoric correlations",
    )
    parser.add_argument(
        "--ordered",
        metavar="ITEMS",
        default="",
        help="'all' or comma-separated items to treat as ordered categorical (WLSMV)",
    )
    add_points_option(parser)
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def read_model(path: str | Path) -> str:
    """The model text of MODEL_FILE (UTF-8 with or without BOM, UTF-16, or GBK as Notepad saves it)."""
    text, _ = decode_text(Path(path).read_bytes(), file=path)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("the model file is empty", file=path)
    return text


def split_list(text: str) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]``.

    Examples
    --------
    >>> split_list("loadings, intercepts"), split_list("")
    (['loadings', 'intercepts'], [])
    """
    return [part.strip() for part in text.split(",") if part.strip()]


def ordered_items(text: str) -> list[str] | bool | None:
    """The ``--ordered`` option as ``fit_sem(ordered=)``: "all" -> True, else the items.

    Examples
    --------
    >>> ordered_items("all"), ordered_items("x1, x2"), ordered_items("")
    (True, ['x1', 'x2'], None)
    """
    return True if text.strip() == "all" else split_list(text) or None


def run(args) -> int:
    model = read_model(args.model_file)
    data = read_data(args.data)
    with located_in(args.data), jsonout.warnings_held():
        check_points(data, observed_variables(model), args.points)
        result = fit_sem(
            model,
            data,
            missing=args.missing,
            group=args.group,
            group_equal=split_list(args.group_equal) or None,
            group_partial=split_list(args.group_partial) or None,
            estimator=args.estimator,
            ordered=ordered_items(args.ordered),
            check=True,
        )
    if args.json:
        jsonout.emit(result.to_dict())
        return 0
    jsonout.print_warnings("sem", result.warnings)
    fit = result.fit
    print(
        f"n = {result.n}; chi2({fit['df']}) = {fit['chisq']:.3f}, p = {fit['pvalue']:.3f}; "
        f"CFI = {fit['cfi']:.3f}, TLI = {fit['tli']:.3f}, RMSEA = {fit['rmsea']:.3f}, "
        f"SRMR = {fit['srmr']:.3f}"
    )
    print(result.estimates.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0
