"""``sqresearch invariance MODEL_FILE DATA --group COL``: measurement invariance across groups.

``--json`` prints the contract documented in docs/reference/cli.md ("sqresearch invariance"):
``groups`` (levels with n, in order of first appearance), ``steps``
(configural, metric, scalar, strict with Δ statistics and a verdict) and,
when scalar invariance holds, ``latent_means``; ``warnings`` (one-line
texts).  Each step carries its fit's ``warnings`` and ``flagged`` (its
verdict rests on a fit with warnings).
"""

from __future__ import annotations

from typing import Any

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import add_points_option, check_points, read_data
from sqresearch.cli.sem import read_model, split_list
from sqresearch.errors import located_in
from sqresearch.sem.invariance import RULES, InvarianceResult, measurement_invariance
from sqresearch.sem.precheck import observed_variables

STEP_KEYS = [
    "chisq",
    "df",
    "pvalue",
    "cfi",
    "tli",
    "rmsea",
    "srmr",
    "delta_chisq",
    "delta_df",
    "delta_pvalue",
    "delta_cfi",
    "delta_rmsea",
]


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


def document(result: InvarianceResult, warnings: list[str] = ()) -> dict[str, Any]:
    """The ``invariance --json`` document."""
    steps = []
    for name, row in result.steps.iterrows():
        step = {
            "name": name,
            **{k: row[k] for k in STEP_KEYS},
            "verdict": row["verdict"],
            "flagged": bool(row["flagged"]),
            "warnings": list(result.fits[name].warnings),
        }
        step["df"] = int(step["df"])
        if step["delta_df"] == step["delta_df"]:  # not NaN
            step["delta_df"] = int(step["delta_df"])
        steps.append(step)
    doc: dict[str, Any] = {
        "groups": [{"level": jsonout.code(g), "n": n} for g, n in result.group_sizes.items()],
        "steps": steps,
        "warnings": jsonout.merge_warnings(
            warnings, *(fit.warnings for fit in result.fits.values())
        ),
    }
    if result.latent_means is not None:
        means: dict[str, dict] = {}
        for row in result.latent_means.itertuples(index=False):
            means.setdefault(str(jsonout.code(row.group)), {})[row.factor] = {
                "est": row.est,
                "se": row.se,
                "pvalue": row.pvalue,
            }
        doc["latent_means"] = means
    return doc


def run(args) -> int:
    model = read_model(args.model_file)
    data = read_data(args.data)
    with located_in(args.data), jsonout.captured_warnings() as caught:
        check_points(data, observed_variables(model), args.points)
        result = measurement_invariance(
            model,
            data,
            args.group,
            group_partial=split_list(args.group_partial) or None,
            missing=args.missing,
            rule=args.rule,
        )
    doc = document(result, caught)
    if args.json:
        jsonout.emit(doc)
        return 0
    jsonout.print_warnings("invariance", doc["warnings"])
    print(result.steps.to_string(float_format=lambda x: f"{x:.4f}"))
    if result.latent_means is not None:
        print(result.latent_means.to_string(index=False))
    return 0
