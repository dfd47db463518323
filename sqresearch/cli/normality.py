"""``sqresearch normality DATA (--items i1,i2,... | --scale NAME=i1,...) [--rule curran] --json``.

``--json`` prints :meth:`sqresearch.measure.normality.NormalityResult.to_dict`:
``rule`` and ``thresholds`` (the keys of the cut-offs used), ``items`` (an
object per item: ``n``, ``skewness``, ``se_skewness``, ``z_skewness``,
``kurtosis`` (excess), ``se_kurtosis``, ``z_kurtosis``, ``normal``),
``mardia`` (``covariance``, ``n``, ``p``, ``b1p``, ``b2p``, ``skew_chisq``,
``skew_df``, ``skew_pvalue``, ``skew_small_chisq``, ``skew_small_pvalue``,
``kurtosis``, ``kurtosis_cr``, ``kurtosis_pvalue``), ``univariate_ok``,
``multivariate_ok`` and ``robust_advised``.
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.mediate import split_names
from sqresearch.cli.reliability import add_scale_options, parse_scales
from sqresearch.errors import InputError, located_in
from sqresearch.io import read_table
from sqresearch.measure.normality import RULES, normality


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "normality",
        help="item skewness/kurtosis against cited cut-offs and Mardia's multivariate tests",
        description="Univariate and multivariate normality of the items of a model: skewness "
        "and excess kurtosis with standard errors against Kline (2016) |3| / |10| or Curran, "
        "West & Finch (1996) |2| / |7|; Mardia's multivariate skewness and kurtosis with the "
        "critical ratio AMOS prints (listwise complete rows).",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument("--items", default="", metavar="ITEM1,ITEM2,...", help="items to check")
    add_scale_options(parser, required=False)
    parser.add_argument(
        "--rule", choices=sorted(RULES), default="kline", help="univariate cut-offs"
    )
    parser.add_argument(
        "--covariance",
        choices=["ml", "unbiased"],
        default="ml",
        help="Mardia's scaling: ML covariance (divisor n, default) or unbiased (psych::mardia)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    items = split_names(args.items)
    for scale_items in parse_scales(args.scale).values():
        items += [i for i in scale_items if i not in items]
    if not items:
        raise InputError("name the items to check", hint="--items a1,a2,... or --scale NAME=a1,a2")
    data = read_table(args.data)
    with located_in(args.data):
        result = normality(data, items, rule=args.rule, covariance=args.covariance)
    if args.json:
        jsonout.emit(result.to_dict())
        return 0
    for item, row in result.items.iterrows():
        print(
            f"{item}: skewness = {row['skewness']:.3f} (z = {row['z_skewness']:.3f}), "
            f"kurtosis = {row['kurtosis']:.3f} (z = {row['z_kurtosis']:.3f})"
            + ("" if row["normal"] else "  <- outside the cut-offs")
        )
    m = result.mardia
    print(
        f"Mardia: b1p = {m['b1p']:.3f}, chi2({m['skew_df']:.0f}) = {m['skew_chisq']:.3f}, "
        f"p = {m['skew_pvalue']:.4f}; kurtosis = {m['kurtosis']:.3f}, c.r. = "
        f"{m['kurtosis_cr']:.3f}; robust estimation advised: {result.robust_advised}"
    )
    return 0
