"""``sqresearch items-analysis DATA --scale NAME=i1,i2,... [--reverse ...] --json``.

Pilot-study item analysis (项目分析) per scale. ``--json`` prints
:meth:`sqresearch.measure.item_analysis.ItemAnalysis.to_dict`: ``max_failed``
and ``scales``, an object per scale with ``k``, ``n``, ``alpha``,
``low_cut``, ``high_cut``, ``n_low``, ``n_high`` and ``items``, an object
per item with the statistics (``cr``, ``cr_df``, ``cr_pvalue``,
``levene_p``, ``equal_var``, ``mean_high``, ``mean_low``, ``r_total``,
``r_total_pvalue``, ``citc``, ``alpha_if_deleted``, ``communality``,
``loading``), ``fired`` (the rules the item misses, in order) and
``decision`` ("keep" | "consider_deleting").
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.mediate import split_names
from sqresearch.cli.reliability import add_scale_options, parse_scales
from sqresearch.errors import located_in
from sqresearch.io import read_table
from sqresearch.measure.item_analysis import EXTREME_SHARE, item_analysis


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "items-analysis",
        help="pilot item analysis (项目分析): extreme-group CR, item-total checks, decisions",
        description="Item analysis of a pilot sample, per scale: top and bottom 27%% groups on "
        "the total score and a t-test per item (critical ratio, CR >= 3), item-total and "
        "corrected item-total correlations (>= .40), alpha if item deleted, communality and "
        "loading on one principal component, and a keep / consider-deleting decision with "
        "the rules each item misses (吴明隆 2010).",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    add_scale_options(parser, reverse=True)
    parser.add_argument(
        "--share",
        type=float,
        default=EXTREME_SHARE,
        help="share of respondents in each extreme group (default 0.27)",
    )
    parser.add_argument(
        "--max-failed",
        type=int,
        default=0,
        help="unmet criteria an item may have and still be kept (default 0)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    scales = parse_scales(args.scale)
    data = read_table(args.data)
    with located_in(args.data):
        result = item_analysis(
            data,
            scales,
            reverse=split_names(args.reverse),
            scale_points=args.points,
            share=args.share,
            max_failed=args.max_failed,
        )
    if args.json:
        jsonout.emit(result.to_dict())
        return 0
    for (scale, item), row in result.items.iterrows():
        dec = result.decisions.loc[(scale, item)]
        fired = f" ({dec['fired']})" if dec["fired"] else ""
        print(
            f"{scale} {item}: CR = {row['cr']:.3f}, r = {row['r_total']:.3f}, "
            f"CITC = {row['citc']:.3f}, alpha if deleted = {row['alpha_if_deleted']:.3f}, "
            f"loading = {row['loading']:.3f} -> {dec['decision']}{fired}"
        )
    return 0
