"""``sqresearch cmb DATA --scale NAME=i1,i2,... [--marker COLUMN] [--no-ulmc] --json``.

Common-method bias checks on the items of the measurement model. ``--json``
prints :meth:`sqresearch.measure.method_bias.MethodBiasResult.to_dict`, an object with:

- ``harman``: ``first_share`` (0-1), ``n_components``, ``n`` and
  ``passes`` (an object keyed by the thresholds ``harman_40``, ``harman_50``);
- ``ulmc`` (unless ``--no-ulmc``):
  :meth:`sqresearch.measure.method_bias.MethodFactorResult.to_dict` --
  ``models`` (``trait``, ``trait_method``: chisq, df, pvalue, cfi, tli,
  rmsea, srmr), ``delta``, ``items`` (per item: construct, trait and method
  loadings and variances, method_pvalue), ``trait_share``,
  ``method_share``, ``fit_improves``, ``method_smaller``, ``admissible``,
  ``verdict``;
- ``marker`` (with ``--marker``):
  :meth:`sqresearch.measure.method_bias.MarkerResult.to_dict` -- ``marker``,
  ``n``, ``r_m``, ``marker_correlations``, ``pairs`` (a list: v1, v2, r,
  pvalue, r_adjusted, t, df, pvalue_adjusted, significant,
  significant_adjusted), ``verdict``.
"""

from __future__ import annotations

from sqresearch.cli import jsonout
from sqresearch.cli.mediate import split_names
from sqresearch.cli.reliability import add_scale_options, parse_scales
from sqresearch.errors import located_in
from sqresearch.io import read_table
from sqresearch.measure.method_bias import method_bias


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "cmb",
        help="common-method bias: Harman, unmeasured latent method factor, marker variable",
        description="Common-method bias: Harman's single-factor test on all items; the "
        "unmeasured latent method construct (a method factor on every item, orthogonal to the "
        "traits: fit change and variance shares, Podsakoff et al. 2003, Liang et al. 2007); "
        "and, with --marker, Lindell & Whitney's (2001) marker-variable correction of the "
        "correlations among the scales (item means).",
    )
    parser.add_argument("data", help="data file (csv, xlsx, sav, dta)")
    add_scale_options(parser)
    parser.add_argument(
        "--marker",
        default="",
        metavar="COLUMN[,COLUMN...]",
        help="marker variable: a column, or items whose mean is the marker",
    )
    parser.add_argument(
        "--no-ulmc", action="store_true", help="skip the method-factor model (faster)"
    )
    parser.add_argument(
        "--equal-loadings",
        action="store_true",
        help="constrain the method factor's loadings to one value",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.set_defaults(run=run)


def run(args) -> int:
    scales = parse_scales(args.scale)
    marker = split_names(args.marker)
    data = read_table(args.data)
    with located_in(args.data):
        result = method_bias(
            data, scales, marker=marker, ulmc=not args.no_ulmc, equal=args.equal_loadings
        )
    doc = result.to_dict()
    if args.json:
        jsonout.emit(doc)
        return 0
    h = doc["harman"]
    print(f"Harman: first component {100 * h['first_share']:.2f}% of the variance")
    if "ulmc" in doc:
        u = doc["ulmc"]
        d = u["delta"]
        print(
            f"Method factor: delta chi2({d['delta_df']:.0f}) = {d['delta_chisq']:.3f}, "
            f"delta CFI = {d['delta_cfi']:.3f}, delta RMSEA = {d['delta_rmsea']:.3f}; "
            f"trait {u['trait_share']:.3f} vs method {u['method_share']:.3f}; {u['verdict']}"
        )
    if "marker" in doc:
        m = doc["marker"]
        print(f"Marker {m['marker']}: r_M = {m['r_m']:.3f}; {m['verdict']}")
    return 0
