"""``sqresearch power CONFIG --json``: Monte Carlo power from a YAML config.

The config (see README, "power") names the population model, the analysis,
the sample sizes, the replications and the seed; results are stored in
``cache_dir`` as they finish, so an interrupted run resumes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqresearch.cli.jsonout import emit
from sqresearch.constructs import get_framework
from sqresearch.errors import InputError
from sqresearch.io.config import read_yaml
from sqresearch.model.power import (
    MediationAnalysis,
    OLSAnalysis,
    SEMAnalysis,
    population_from_framework,
    power_analysis,
)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "power",
        help="Monte Carlo power analysis for SEM and mediation from a YAML config",
        description="Simulate data from a population model at several sample sizes, fit the "
        "analysis model, and report power, bias, coverage and convergence per parameter.",
    )
    parser.add_argument("config", help="power config (YAML)")
    parser.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    parser.add_argument("--n-jobs", type=int, default=None, help="local workers (default: config or all cores)")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    parser.add_argument("--figure", default=None, metavar="STEM", help="save the power curve as STEM.pdf and STEM.png")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the figure (default: zh)")
    parser.set_defaults(run=run)


def analysis_from_config(spec: dict, path: Path):
    """Build the analysis object named by the config's ``analysis`` mapping."""
    if not isinstance(spec, dict) or "kind" not in spec:
        raise InputError("analysis must be a mapping with a kind (sem, mediation, ols)", file=path, column="analysis")
    kind = spec["kind"]
    try:
        if kind == "sem":
            params = spec.get("params")
            return SEMAnalysis(spec["model"], tuple(params) if params else None)
        if kind == "mediation":
            m = spec["m"] if isinstance(spec["m"], list) else [spec["m"]]
            return MediationAnalysis(
                spec["x"], tuple(m), spec["y"], tuple(spec.get("covariates", [])), int(spec.get("n_boot", 2000))
            )
        if kind == "ols":
            return OLSAnalysis(spec["y"], tuple(spec["x"]))
    except KeyError as exc:
        raise InputError(f"analysis of kind {kind!r} needs the key {exc.args[0]!r}", file=path, column="analysis") from None
    raise InputError("unknown analysis kind (use sem, mediation or ols)", file=path, column="analysis.kind", value=kind)


def run(args) -> int:
    path = Path(args.config)
    config = read_yaml(path, what="power config")
    if "framework" in config:
        # Plan from a framework's SEM with assumed effect sizes (see population_from_framework).
        framework = get_framework(config["framework"])
        config.setdefault("population", population_from_framework(framework, **config.get("assume", {})))
        config.setdefault("analysis", {"kind": "sem", "model": framework.model_syntax()})
    for key in ("population", "analysis", "sample_sizes"):
        if key not in config:
            raise InputError(f"missing key {key!r}", file=path)
    cache = config.get("cache_dir")
    result = power_analysis(
        config["population"],
        analysis_from_config(config["analysis"], path),
        config["sample_sizes"],
        int(config.get("n_rep", 1000)),
        seed=int(config.get("seed", 0)),
        alpha=float(config.get("alpha", 0.05)),
        target=float(config.get("target", 0.80)),
        likert=config.get("likert"),
        n_jobs=args.n_jobs if args.n_jobs is not None else int(config.get("n_jobs", -1)),
        scheduler=args.scheduler or config.get("scheduler"),
        cache_dir=(path.parent / cache) if cache else None,
        progress=sys.stderr.isatty(),
    )
    minimum = result.minimum_n().set_index("param")["min_n"]
    document = {
        "settings": {
            "sample_sizes": [int(n) for n in config["sample_sizes"]],
            "n_rep": int(config.get("n_rep", 1000)),
            "seed": int(config.get("seed", 0)),
            "alpha": result.alpha,
            "target": result.target,
        },
        "summary": result.summary.to_dict(orient="records"),
        "minimum_n": {param: (None if value != value else int(value)) for param, value in minimum.items()},
        "truth": result.truth.to_dict(),
    }
    if args.figure:
        from sqresearch.report.figures import power_curve
        from sqresearch.report.style import save_figure

        for written in save_figure(power_curve(result.summary, target=result.target, lang=args.lang), args.figure):
            print(f"sqresearch power: wrote {written}", file=sys.stderr)
    if args.json:
        emit(document)
    else:
        print(result.summary.to_string(index=False))
    return 0
