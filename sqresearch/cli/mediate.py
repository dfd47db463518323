"""``sqresearch mediate DATA --x X --m M1,M2 --y Y``: PROCESS model 4 or 6 with a bootstrap.

``--json`` prints the result's :meth:`~sqresearch.model.process.ProcessResult.to_dict`, the contract documented in docs/reference/cli.md ("sqresearch mediate"): ``n``,
``a`` and ``b`` per mediator, ``direct``, ``total``, ``indirect`` per specific
path plus ``total`` with bootstrap intervals, ``r2`` per outcome (model 6
adds ``d``), the settings ``model``, ``ci_method``, ``level`` (of the CIs), ``boot``,
``seed``, and ``warnings`` (one-line texts; empty when the estimates need no caveat).
"""

from __future__ import annotations

from typing import Any

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import add_points_option, check_points, read_data
from sqresearch.errors import InputError, located_in
from sqresearch.model.process import ProcessResult, process


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "mediate",
        help="mediation: PROCESS model 4 (parallel) or 6 (serial) with bootstrap intervals",
        description="Mediation analysis as Hayes' PROCESS model 4 (parallel mediators) or 6 "
        "(serial, 2-4 mediators): OLS paths, and indirect effects with bootstrap intervals.",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument("--x", required=True, metavar="X", help="predictor column")
    parser.add_argument(
        "--m", required=True, metavar="M1[,M2,...]", help="mediator column(s), in order"
    )
    parser.add_argument("--y", required=True, metavar="Y", help="outcome column")
    parser.add_argument(
        "--cov", default="", metavar="C1[,C2,...]", help="covariates, in every equation"
    )
    parser.add_argument(
        "--model", type=int, choices=(4, 6), default=4, help="PROCESS model (default 4)"
    )
    parser.add_argument("--boot", type=int, default=5000, help="bootstrap resamples (default 5000)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the resampling")
    parser.add_argument(
        "--ci",
        choices=("percentile", "bc"),
        default="percentile",
        help="bootstrap interval: percentile (default, PROCESS 3+) or bias-corrected",
    )
    add_points_option(parser, what="X, M and Y")
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def split_names(text: str) -> list[str]:
    """``"A, B"`` -> ``["A", "B"]``; empty text gives no names.

    Examples
    --------
    >>> split_names("品牌认同, 社群归属"), split_names("")
    (['品牌认同', '社群归属'], [])
    """
    return [part.strip() for part in text.split(",") if part.strip()]


def fit_from_file(path: str, *, points: int | None = None, **kwargs: Any) -> ProcessResult:
    """Read ``path`` and fit :func:`~sqresearch.model.process.process`; errors name the file.

    With ``points``, X, M, W and Y (scale scores or items) must lie in
    1..points.  The result carries every warning raised (``warnings``).
    """
    data = read_data(path)
    likert = [
        kwargs["x"],
        *kwargs.get("m", []),
        *([kwargs["w"]] if "w" in kwargs else []),
        kwargs["y"],
    ]
    check_points(data, likert, points, whole=False, file=path)
    with located_in(path), jsonout.warnings_held():
        return process(data, **kwargs)


def run(args) -> int:
    if args.boot < 1:
        raise InputError("--boot must be at least 1", value=args.boot)
    result = fit_from_file(
        args.data,
        points=args.points,
        model=args.model,
        x=args.x,
        y=args.y,
        m=split_names(args.m),
        covariates=split_names(args.cov),
        n_boot=args.boot,
        seed=args.seed,
        ci=args.ci,
    )
    doc = result.to_dict()
    if args.json:
        jsonout.emit(doc)
    else:
        jsonout.print_warnings("mediate", result.warnings)
        print(
            f"PROCESS model {result.model}, n = {result.n}, {doc['boot']} resamples ({doc['ci_method']})"
        )
        for name, ind in doc["indirect"].items():
            print(
                f"indirect {name}: {ind['effect']:.4f} "
                f"[{ind['ci_lower']:.4f}, {ind['ci_upper']:.4f}]"
            )
        print(f"direct: {doc['direct']['effect']:.4f} (p = {doc['direct']['pvalue']:.4f})")
        print(f"total: {doc['total']['effect']:.4f} (p = {doc['total']['pvalue']:.4f})")
    return 0
