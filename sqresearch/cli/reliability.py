"""``sqresearch reliability DATA --scale NAME=i1,i2,... [--reverse i,...] --json``.

``--json`` prints the table's :meth:`~sqresearch.measure.reliability.ReliabilityTable.to_dict`,
the contract documented in docs/reference/cli.md ("sqresearch reliability"):
``scales``, an object per scale name with ``alpha``, ``std_alpha``,
``omega``, ``n`` and ``items`` (an object per item with ``citc`` and
``alpha_if_deleted``), each scale listwise within its own items, and
``warnings`` (one-line texts: an item without variance, omega left empty, ...).
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.inputs import read_data
from sqresearch.cli.mediate import split_names
from sqresearch.errors import InputError, located_in
from sqresearch.measure.reliability import reliability_table


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "reliability",
        help="Cronbach's alpha, CITC, alpha if item deleted and McDonald's omega per scale",
        description="Reliability of each scale: Cronbach's alpha (raw and standardised), "
        "corrected item-total correlations, alpha if item deleted, McDonald's omega from a "
        "one-factor ML model; rows with a missing answer are dropped within each scale.",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    add_scale_options(parser, reverse=True)
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def add_scale_options(parser, *, required: bool = True, reverse: bool = False) -> None:
    """``--scale NAME=ITEM1,...`` (repeatable) and, with ``reverse``, ``--reverse`` and ``--points``."""
    parser.add_argument(
        "--scale",
        action="append",
        required=required,
        default=None if required else [],
        metavar="NAME=ITEM1,ITEM2,...",
        help="a scale and its items; repeat for several scales",
    )
    if not reverse:
        return
    parser.add_argument(
        "--reverse", default="", metavar="ITEM1,ITEM2,...", help="reverse-keyed items (any scale)"
    )
    parser.add_argument(
        "--points",
        type=int,
        default=None,
        help="answer categories: every answer must be a whole number 1..K, and reverse-keying is "
        "K + 1 - x; default: no range check, reverse-keying min + max - x (same reliabilities)",
    )


def parse_scales(specs: list[str]) -> dict[str, list[str]]:
    """``["A=a1,a2", "B=b1,b2"]`` -> ``{"A": ["a1", "a2"], "B": ["b1", "b2"]}``.

    Examples
    --------
    >>> parse_scales(["品牌认同=BRD1,BRD2,BRD3"])
    {'品牌认同': ['BRD1', 'BRD2', 'BRD3']}
    """
    scales: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, items = spec.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError("--scale must look like NAME=ITEM1,ITEM2,...", value=spec)
        if name in scales:
            raise InputError("scale given twice", value=name)
        scales[name] = split_names(items)
        if len(scales[name]) < 2:
            raise InputError(f"scale {name!r} needs at least 2 items", value=spec)
    return scales


def run(args) -> int:
    scales = parse_scales(args.scale)
    data = read_data(args.data)
    with located_in(args.data), jsonout.warnings_held():
        table = reliability_table(
            data, scales, reverse=split_names(args.reverse), scale_points=args.points
        )
    if args.json:
        jsonout.emit(table.to_dict())
        return 0
    jsonout.print_warnings("reliability", table.warnings)
    for name, res in table.results.items():
        print(
            f"{name}: alpha = {res.alpha:.3f}, standardised alpha = {res.std_alpha:.3f}, "
            f"omega = {res.omega:.3f}, n = {res.n}, k = {res.k}"
        )
        for item, row in res.items.iterrows():
            print(
                f"  {item}: CITC = {row['citc']:.3f}, alpha if deleted = "
                f"{row['alpha_if_deleted']:.3f}"
            )
    return 0
