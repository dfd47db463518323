"""``sqresearch invariance MODEL_FILE DATA --group COL``: measurement invariance across groups.

``--json`` prints the result's :meth:`~sqresearch.sem.invariance.InvarianceResult.to_dict`,
the contract documented in docs/reference/cli.md ("sqresearch invariance"):
``groups`` (levels with n, in order of first appearance), ``steps``
(configural, metric, scalar, strict with Δ statistics and a verdict) and,
when scalar invariance holds, ``latent_means``; ``warnings`` (one-line
texts).  Each step carries its fit's ``warnings`` and ``flagged`` (its
verdict rests on a fit with warnings).
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import add_points_option, check_points, read_data
from sqresearch.cli.sem import read_model, split_list
from sqresearch.errors import located_in
from sqresearch.sem.invariance import RULES, measurement_invariance
from sqresearch.sem.precheck import observed_variables


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "invariance",
        help="measurement invariance across groups: configural, metric, scalar, strict",
        description="Fit the measurement model jointly in all groups with increasing equality "
        "constraints (lavaan group.equal) and compare the steps (delta chi2, CFI, RMSEA; "
        "Chen 2007 verdicts); latent mean differences when scalar invariance holds.",
    )
    parser.add_argument(
        "model_file", metavar="MODEL_FILE", help="text file with lavaan model syntax (UTF-8)"
    )
    parser.add_argument("data", metavar="DATA", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument("--group", required=True, metavar="COL", help="grouping column")
    parser.add_argument("--missing", choices=["listwise", "fiml"], default="listwise")
    parser.add_argument(
        "--group-partial",
        metavar="PARAMS",
        default="",
        help="comma-separated parameters left free in every step, e.g. 'x3~1'",
    )
    parser.add_argument("--rule", choices=RULES, default="chen", help="verdict rule (default chen)")
    add_points_option(parser)
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    model = read_model(args.model_file)
    data = read_data(args.data)
    with located_in(args.data), jsonout.warnings_held():
        check_points(data, observed_variables(model), args.points)
        result = measurement_invariance(
            model,
            data,
            args.group,
            group_partial=split_list(args.group_partial) or None,
            missing=args.missing,
            rule=args.rule,
        )
    if args.json:
        jsonout.emit(result.to_dict())
        return 0
    jsonout.print_warnings("invariance", result.warnings)
    print(result.steps.to_string(float_format=lambda x: f"{x:.4f}"))
    if result.latent_means is not None:
        print(result.latent_means.to_string(index=False))
    return 0
