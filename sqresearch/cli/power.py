"""``sqresearch power CONFIG --json``: Monte Carlo power from a YAML config.

The config (see docs/reference/cli.md, "sqresearch power") names the population model, the analysis,
the sample sizes, the replications and the seed; results are stored in
``cache_dir`` as they finish, so an interrupted run resumes.  ``cache_dir``
is resolved against the config's folder and must stay inside it unless
``--cache-outside`` is given.  Every key is type-checked before anything runs.
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
    parser.add_argument(
        "--cache-outside",
        action="store_true",
        help="allow the config's cache_dir to lie outside the config's folder",
    )
    parser.set_defaults(run=run)


def _typed(config: dict, key: str, kind: type, default, path: Path, *, low: float | None = None):
    """``config[key]`` as ``kind`` (int or float), or an error naming the file, key and value."""
    value = config.get(key, default)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        ok = ok and float(value).is_integer()
    if not ok or (low is not None and value < low):
        need = "a whole number" if kind is int else "a number"
        raise InputError(
            f"{key} must be {need}" + (f" of at least {low}" if low is not None else ""),
            file=path,
            column=key,
            value=value,
        )
    return kind(value)


def cache_folder(config: dict, path: Path, outside: bool) -> Path | None:
    """``cache_dir`` resolved against the config's folder, refused outside it unless ``outside``."""
    cache = config.get("cache_dir")
    if cache is None:
        return None
    if not isinstance(cache, str) or not cache.strip():
        raise InputError("cache_dir must be a folder name", file=path, column="cache_dir", value=cache)
    base = path.parent.resolve()
    folder = (base / cache).resolve()
    if not outside and not folder.is_relative_to(base):
        raise InputError(
            "cache_dir points outside the config's folder",
            file=path,
            column="cache_dir",
            value=cache,
            hint="use a folder inside it (e.g. power_cache), or pass --cache-outside",
        )
    return folder


def analysis_from_config(spec: dict, path: Path):
    """Build the analysis object named by the config's ``analysis`` mapping."""
    if not isinstance(spec, dict) or "kind" not in spec:
        raise InputError("analysis must be a mapping with a kind (sem, mediation, ols)", file=path, column="analysis")
    kind = spec["kind"]

    def names(key: str, *, many: bool = True, default=None) -> tuple[str, ...]:
        if key not in spec and default is not None:
            return default
        value = spec[key]
        values = value if isinstance(value, list) and many else [value]
        if not values or not all(isinstance(v, str) and v for v in values):
            raise InputError(
                f"analysis.{key} must be a variable name" + (" or a list of names" if many else ""),
                file=path,
                column=f"analysis.{key}",
                value=value,
            )
        return tuple(values)

    try:
        if kind == "sem":
            if not isinstance(spec["model"], str):
                raise InputError("analysis.model must be lavaan model text", file=path, column="analysis.model")
            params = names("params", default=())
            return SEMAnalysis(spec["model"], params or None)
        if kind == "mediation":
            n_boot = _typed(spec, "n_boot", int, 2000, path, low=1)
            return MediationAnalysis(
                names("x", many=False)[0], names("m"), names("y", many=False)[0], names("covariates", default=()), n_boot
            )
        if kind == "ols":
            return OLSAnalysis(names("y", many=False)[0], names("x"))
    except KeyError as exc:
        raise InputError(f"analysis of kind {kind!r} needs the key {exc.args[0]!r}", file=path, column="analysis") from None
    raise InputError("unknown analysis kind (use sem, mediation or ols)", file=path, column="analysis.kind", value=kind)


def run(args) -> int:
    path = Path(args.config)
    config = read_yaml(path, what="power config")
    if "framework" in config:
        # Plan from a framework's SEM with assumed effect sizes (see population_from_framework).
        framework = get_framework(config["framework"])
        assume = config.get("assume", {})
        if not isinstance(assume, dict):
            raise InputError("assume must be a mapping", file=path, column="assume", value=assume)
        config.setdefault("population", population_from_framework(framework, **assume))
        config.setdefault("analysis", {"kind": "sem", "model": framework.model_syntax()})
    for key in ("population", "analysis", "sample_sizes"):
        if key not in config:
            raise InputError(f"missing key {key!r}", file=path)
    if not isinstance(config["population"], str):
        raise InputError(
            "population must be lavaan model text", file=path, column="population", value=config["population"]
        )
    sizes = config["sample_sizes"]
    if not isinstance(sizes, list) or not sizes:
        raise InputError("sample_sizes must be a list such as [100, 200]", file=path, column="sample_sizes", value=sizes)
    sizes = [_typed({"sample_sizes": n}, "sample_sizes", int, None, path, low=3) for n in sizes]
    n_rep = _typed(config, "n_rep", int, 1000, path, low=1)
    seed = _typed(config, "seed", int, 0, path, low=0)
    alpha = _typed(config, "alpha", float, 0.05, path, low=0)
    target = _typed(config, "target", float, 0.80, path, low=0)
    likert = config.get("likert")
    if likert is not None and not isinstance(likert, dict):
        likert = _typed(config, "likert", int, None, path, low=2)
    n_jobs = args.n_jobs if args.n_jobs is not None else _typed(config, "n_jobs", int, -1, path)
    scheduler = args.scheduler or config.get("scheduler")
    if scheduler is not None and not isinstance(scheduler, str):
        raise InputError("scheduler must be an address such as tcp://host:8786", file=path, value=scheduler)
    cache = cache_folder(config, path, args.cache_outside)
    result = power_analysis(
        config["population"],
        analysis_from_config(config["analysis"], path),
        sizes,
        n_rep,
        seed=seed,
        alpha=alpha,
        target=target,
        likert=likert,
        n_jobs=n_jobs,
        scheduler=scheduler,
        cache_dir=cache,
        progress=sys.stderr.isatty(),
    )
    if args.figure:
        from sqresearch.report.power import power_curve
        from sqresearch.report.style import save_figure

        for written in save_figure(power_curve(result.summary, target=result.target, lang=args.lang), args.figure):
            print(f"sqresearch power: wrote {written}", file=sys.stderr)
    if args.json:
        emit(result.to_dict())
    else:
        print(result.summary.to_string(index=False))
    return 0
