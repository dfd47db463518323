"""``sqresearch moderate DATA --x X --w W --y Y``: simple moderation (PROCESS model 1).

``--json`` prints the result's :meth:`~sqresearch.model.process.ProcessResult.to_dict`, the contract documented in docs/reference/cli.md ("sqresearch moderate"):
``n``, ``coef``, ``se`` and ``pvalue`` keyed ``const``, X, W, ``X:W`` and the
covariates; ``r2``; ``delta_r2_interaction``; ``simple_slopes`` at the probe
values of W; ``jn``, the Johnson–Neyman points within W's observed range; ``level``,
the confidence level of the simple slopes' CIs; ``warnings``.
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import add_points_option
from sqresearch.cli.mediate import fit_from_file, split_names


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "moderate",
        help="moderation: PROCESS model 1 with simple slopes and Johnson-Neyman points",
        description="Simple moderation as Hayes' PROCESS model 1: Y on X, W and X*W (plus "
        "covariates), the R2 change of the product, conditional effects of X at values of W, and "
        "the Johnson-Neyman points.",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument("--x", required=True, metavar="X", help="predictor column")
    parser.add_argument("--w", required=True, metavar="W", help="moderator column")
    parser.add_argument("--y", required=True, metavar="Y", help="outcome column")
    parser.add_argument("--cov", default="", metavar="C1[,C2,...]", help="covariates")
    parser.add_argument(
        "--center", action="store_true", help="mean-centre X and W before the product"
    )
    parser.add_argument(
        "--at",
        choices=("sd", "percentiles"),
        default="sd",
        help="values of W for simple slopes: mean and +-1 SD (default) or 16/50/84th percentiles",
    )
    add_points_option(parser, what="X, W and Y")
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    result = fit_from_file(
        args.data,
        points=args.points,
        model=1,
        x=args.x,
        y=args.y,
        w=args.w,
        covariates=split_names(args.cov),
        center=args.center,
        at=args.at,
        n_boot=0,
    )
    doc = result.to_dict()
    if args.json:
        jsonout.emit(doc)
    else:
        jsonout.print_warnings("moderate", result.warnings)
        xw = f"{args.x}:{args.w}"
        print(
            f"PROCESS model 1, n = {result.n}, R2 = {doc['r2']:.4f}, delta R2 (X:W) = "
            f"{doc['delta_r2_interaction']:.4f}, b({xw}) = {doc['coef'][xw]:.4f} "
            f"(p = {doc['pvalue'][xw]:.4f})"
        )
        for s in doc["simple_slopes"]:
            print(
                f"{s['label']:>5} (W = {s['w']:.4f}): {s['effect']:.4f} "
                f"[{s['ci_lower']:.4f}, {s['ci_upper']:.4f}]"
            )
        print("Johnson-Neyman: " + (", ".join(f"{w:.4f}" for w in doc["jn"]) or "none"))
    return 0
