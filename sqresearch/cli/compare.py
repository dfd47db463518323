"""``sqresearch compare DATA --by COL --var NAME=item1,item2``: group comparisons (差异分析).

Each ``--var`` is a scale score, the mean of its items (a respondent missing
any item, or the grouping column, is left out of that test).  Two levels of
``--by`` give the independent-samples t-test set, more give the one-way
ANOVA set with post-hoc pairs; ``--json`` prints the results'
:meth:`~sqresearch.model.groups.GroupComparisons.to_dict`, the contract documented in
docs/reference/cli.md ("sqresearch compare"), with ``warnings`` (one-line texts).
With ``--points K`` every item answer must be a whole number 1..K.
"""

from __future__ import annotations

import sys

import pandas as pd

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import add_points_option, check_points, read_data
from sqresearch.constructs import load_catalogue
from sqresearch.errors import InputError, located_in
from sqresearch.jsondoc import code
from sqresearch.model.groups import POSTHOC_METHODS, GroupComparison, compare_scales


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="group differences of scale scores: t-test / one-way ANOVA with post-hoc tests",
        description="Compare scale scores (mean of items) across the levels of one column: "
        "two levels give Levene, Student and Welch t, Cohen's d and Mann-Whitney U; more give "
        "the one-way ANOVA with Welch and Brown-Forsythe, eta2/omega2, post-hoc pairs and "
        "Kruskal-Wallis.",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    parser.add_argument("--by", required=True, metavar="COL", help="grouping column")
    parser.add_argument(
        "--var",
        action="append",
        required=True,
        metavar="NAME=item1,item2,...",
        help="a scale score to compare (repeatable); NAME alone uses the column NAME",
    )
    parser.add_argument(
        "--posthoc",
        choices=POSTHOC_METHODS,
        default="tukey",
        help="post-hoc method (default: tukey)",
    )
    add_points_option(parser)
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def parse_var(spec: str) -> tuple[str, list[str]]:
    """``"NAME=a,b"`` -> ``("NAME", ["a", "b"])``; ``"NAME"`` -> ``("NAME", ["NAME"])``.

    Examples
    --------
    >>> parse_var("CVA=CVA1, CVA2,CVA3")
    ('CVA', ['CVA1', 'CVA2', 'CVA3'])
    >>> parse_var("满意度")
    ('满意度', ['满意度'])
    """
    name, sep, items = spec.partition("=")
    name = name.strip()
    columns = [c.strip() for c in items.split(",") if c.strip()] if sep else [name]
    if not name or not columns:
        raise InputError("--var needs NAME=item1,item2,...", value=spec)
    return name, columns


def codebook_order(values: pd.Series) -> list[str] | None:
    """The label order of the catalogue's demographic question whose labels cover a text column.

    Numeric codes need no such order (they sort ascending); text answers such as
    男/女 are ordered as the question lists its options.

    Examples
    --------
    >>> codebook_order(pd.Series(["女", "男", "女"]))
    ['男', '女']
    >>> codebook_order(pd.Series([2, 1])) is None, codebook_order(pd.Series(["x", "y"])) is None
    (True, True)
    """
    if pd.api.types.is_numeric_dtype(values):
        return None
    present = set(values.dropna().astype(str))
    for demographic in load_catalogue().demographics.values():
        for lang in ("zh", "en"):
            labels = [level.label(lang) for level in demographic.levels]
            if present and present <= set(labels):
                return labels
    return None


def run(args) -> int:
    scales: dict[str, list[str]] = {}
    for spec in args.var:
        name, columns = parse_var(spec)
        if name in scales:
            raise InputError("--var names the same scale twice", value=name)
        scales[name] = columns
    data = read_data(args.data)
    check_points(data, [c for cs in scales.values() for c in cs], args.points, file=args.data)
    labels = data.attrs.get("value_labels", {}).get(args.by)
    order = codebook_order(data[args.by]) if args.by in data.columns else None
    with located_in(args.data), jsonout.warnings_held():
        results = compare_scales(
            data, scales, args.by, posthoc_method=args.posthoc, labels=labels, order=order
        )
    if args.json:
        jsonout.emit(results.to_dict())
    else:
        jsonout.print_warnings("compare", results.warnings)
        for result in results:
            print(summary_line(result))
    for result in results:
        if not result.equal_variances and result.kind == "anova" and args.posthoc != "games-howell":
            print(
                f"sqresearch compare: {result.var}: Levene's test rejects equal variances; "
                "Games-Howell is advised (--posthoc games-howell)",
                file=sys.stderr,
            )
    return 0


def summary_line(result: GroupComparison) -> str:
    """One readable line per test (the output without ``--json``)."""
    means = ", ".join(
        f"{code(level)}: M = {mean:.2f} (SD = {sd:.2f}, n = {n})"
        for level, mean, sd, n in zip(
            result.groups["level"],
            result.groups["mean"],
            result.groups["sd"],
            result.groups["n"],
            strict=True,
        )
    )
    row = result.tests.loc[result.main_test]
    if result.kind == "t":
        test = f"t({row['df']:.2f}) = {row['statistic']:.3f}"
    else:
        test = f"F({row['df1']:.0f}, {row['df2']:.2f}) = {row['statistic']:.3f}"
    pairs = "; ".join(
        f"{code(hi)} > {code(lo)}" for hi, lo in result.significant_pairs()
    )
    tail = f"; {result.posthoc_method}: {pairs}" if pairs else ""
    return f"{result.var} by {result.by} [{result.main_test}]: {test}, p = {result.pvalue:.4f}; {means}{tail}"
