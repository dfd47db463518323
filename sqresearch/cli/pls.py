"""``sqresearch pls MODEL_FILE DATA``: PLS-SEM as SmartPLS reports it.

``--json`` prints :meth:`sqresearch.model.pls.PLSResult.to_dict`: ``n``,
``converged``, ``iterations``, ``paths`` [{from, to, est, f2, vif, ...}],
``loadings``, ``weights``, ``r2``, ``reliability`` {construct: {alpha, rho_a,
rho_c, ave}}, ``htmt`` [[f1, f2, value]], ``fsquare``, ``fornell_larcker``,
``indirect``, ``effects``; with ``--boot N`` the estimates gain se, t,
pvalue, percentile and BCa intervals, plus ``htmt_ci`` and ``bootstrap``.
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.sem import read_model
from sqresearch.errors import located_in
from sqresearch.io import read_table
from sqresearch.model.pls import bootstrap_pls, fit_pls
from sqresearch.model.pls.estimate import SCHEMES


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "pls",
        help="PLS-SEM (=~ reflective, <~ formative) with SmartPLS's reliability, validity and bootstrap",
        description="Fit a PLS path model written in lavaan-like syntax (=~ reflective/mode A, "
        "<~ formative/mode B, ~ paths) and report paths, loadings, weights, R2, f2, "
        "alpha/rho_A/rho_C/AVE, HTMT, Fornell-Larcker, VIFs and indirect effects.",
    )
    parser.add_argument("model_file", metavar="MODEL_FILE", help="text file with the model (UTF-8)")
    parser.add_argument("data", metavar="DATA", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument(
        "--boot",
        type=int,
        default=0,
        metavar="N",
        help="bootstrap resamples (SmartPLS: 5000); 0 = none (default)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of the bootstrap")
    parser.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    parser.add_argument("--scheme", choices=SCHEMES, default="path", help="inner weighting scheme")
    parser.add_argument(
        "--consistent", action="store_true", help="consistent PLS (PLSc) for =~ blocks"
    )
    parser.add_argument(
        "--jobs", type=int, default=-1, help="bootstrap worker threads (-1: all cores)"
    )
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    model = read_model(args.model_file)
    with located_in(args.data):
        data = read_table(args.data)
        result = fit_pls(model, data, scheme=args.scheme, consistent=args.consistent)
    boot = None
    if args.boot:
        boot = bootstrap_pls(result, args.boot, seed=args.seed, level=args.level, n_jobs=args.jobs)
    if args.json:
        jsonout.emit(result.to_dict(boot))
        return 0
    fmt = {"index": False, "float_format": lambda x: f"{x:.3f}"}
    print(
        f"n = {result.n}; {'PLSc' if result.consistent else 'PLS'}, {result.scheme} weighting; "
        f"converged after {result.iterations} iterations: {result.converged}"
    )
    paths = (
        result.paths
        if boot is None
        else result.paths.join(boot.of("path")[["se", "t", "pvalue", "ci_lower", "ci_upper"]])
    )
    print(paths.to_string(**fmt))
    print(result.r2.to_string(**fmt))
    print(result.reliability.to_string(float_format=lambda x: f"{x:.3f}"))
    return 0
